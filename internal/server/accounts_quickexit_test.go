package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/testutil"
)

// TestQuickExitEndsTheSession covers SECURITY B5 for quick exit: the control on every page is a form that
// posts to /quick-exit with its CSRF token; that signs out (the old token gets 401 at once, the cookie is
// cleared) and sends the browser to the neutral site. The page's beacon does the same and answers 204.
// Signed out, or with a session that ended while the page was open, it only sends the browser away.
func TestQuickExitEndsTheSession(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	toNeutral := func(what string, r *testutil.Response) {
		t.Helper()
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != app.Config.QuickExitURL {
			t.Errorf("%s: %d to %q, want 303 to the neutral site %q", what, r.Status, r.Header.Get("Location"), app.Config.QuickExitURL)
		}
	}

	t.Run("the form", func(t *testing.T) {
		t.Parallel()
		c := acctBrowserUser(t, app, "qe-form@example.org")
		page := c.Get("/dashboard").Body
		mustContain(t, "every page", page, `<form method="post" action="/quick-exit"`, `id="quick-exit"`)
		if exit, main := strings.Index(page, `action="/quick-exit"`), strings.Index(page, "<main"); exit < 0 || exit > main {
			t.Error("the quick-exit form is not before the content")
		}
		if r := c.Get("/quick-exit"); r.Status != http.StatusNotFound {
			t.Errorf("GET /quick-exit: %d, want 404 (GET never changes state)", r.Status)
		}
		old := sessionCookie(c)
		if st := meStatus(t, app, old); st != http.StatusOK {
			t.Fatalf("the session before quick exit: %d", st)
		}
		r := c.PostForm("/quick-exit", nil)
		toNeutral("quick exit", r)
		if r.Header.Get("Clear-Site-Data") == "" || sessionCookie(c) != "" {
			t.Errorf("quick exit left the browser's data: Clear-Site-Data %q, cookie %q", r.Header.Get("Clear-Site-Data"), sessionCookie(c))
		}
		if st := meStatus(t, app, old); st != http.StatusUnauthorized {
			t.Errorf("the old token after quick exit: %d, want 401", st)
		}
		replay := app.Client()
		replay.Cookies["mend_session"] = old
		assertToLogin(t, "the safety chart with the old cookie", replay.Get("/progress"))
	})
	t.Run("the beacon", func(t *testing.T) {
		t.Parallel()
		c := acctBrowserUser(t, app, "qe-beacon@example.org")
		other := app.Client()
		other.LoginBrowser("qe-beacon@example.org", testutil.Password)
		c.Get("/account")
		old := sessionCookie(c)
		if r := c.PostForm("/quick-exit", testutil.Form("via", "beacon")); r.Status != http.StatusNoContent {
			t.Errorf("beacon: %d, want 204", r.Status)
		}
		if st := meStatus(t, app, old); st != http.StatusUnauthorized {
			t.Errorf("the old token after the beacon: %d, want 401", st)
		}
		if r := other.Get("/account"); r.Status != http.StatusOK {
			t.Errorf("another device of the same person: %d, want 200 (quick exit ends this session only)", r.Status)
		}
	})
	t.Run("signed out", func(t *testing.T) {
		t.Parallel()
		anon := app.Client()
		anon.Get("/login")
		toNeutral("signed out", anon.PostForm("/quick-exit", nil))

		// The page was open while the session ended: its token belongs to that session.
		c := acctBrowserUser(t, app, "qe-idle@example.org")
		c.Get("/checkins")
		if err := app.Server.Accounts().RevokeOthers(t.Context(), userIDOf(t, app, "qe-idle@example.org"), ""); err != nil {
			t.Fatal(err)
		}
		toNeutral("after the session ended", c.PostForm("/quick-exit", nil))
	})
	t.Run("a live session without its token", func(t *testing.T) {
		t.Parallel()
		c := acctBrowserUser(t, app, "qe-csrf@example.org")
		c.Get("/account")
		if r := c.PostForm("/quick-exit", testutil.Form("_csrf", "forged")); r.Status != http.StatusForbidden {
			t.Errorf("quick exit with a forged token: %d, want 403", r.Status)
		}
		app.Clock.Advance(time.Second)
		if r := c.Get("/account"); r.Status != http.StatusOK {
			t.Errorf("a refused quick exit signed out: %d", r.Status)
		}
	})
}

// userIDOf returns the id of the account with email.
func userIDOf(t *testing.T, app *testutil.App, email string) string {
	t.Helper()
	u, err := app.Server.Accounts().UserByEmail(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// TestCSPLetsOnlyTheQuickExitLeave: form-action allows Mend and the neutral site's origin (the quick-exit
// form's answer redirects there), nothing else; an address that is not a plain origin adds nothing.
func TestCSPLetsOnlyTheQuickExitLeave(t *testing.T) {
	t.Parallel()
	got := server.CSPFor("https://www.bbc.co.uk/weather?x=1")
	if want := strings.Replace(server.CSP, "form-action 'self'", "form-action 'self' https://www.bbc.co.uk", 1); got != want {
		t.Errorf("CSPFor = %q, want %q", got, want)
	}
	for _, bad := range []string{"", "javascript:alert(1)", "https://a.example;script-src *", "https://a.example'/"} {
		if got := server.CSPFor(bad); got != server.CSP {
			t.Errorf("CSPFor(%q) = %q, want the base policy", bad, got)
		}
	}
	app := testutil.NewApp(t)
	if h := app.Client().Get("/").Header.Get("Content-Security-Policy"); !strings.Contains(h, "form-action 'self' https://example.org;") &&
		!strings.HasSuffix(h, "form-action 'self' https://example.org") {
		t.Errorf("served CSP %q does not allow the quick exit's redirect", h)
	}
}
