package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

// TestRevocationTakesEffectAtOnce covers SECURITY B5 and A6: logout, password change and "sign out
// everywhere else" make the old tokens 401 on the very next request.
func TestRevocationTakesEffectAtOnce(t *testing.T) {
	t.Parallel()
	t.Run("API logout", func(t *testing.T) {
		t.Parallel()
		app := testutil.NewApp(t)
		c := acctAPIUser(t, app, "logout@example.org")
		old := c.Bearer
		if r := c.JSON(http.MethodPost, "/api/v1/auth/logout", nil); r.Status != http.StatusNoContent {
			t.Fatalf("logout: %d %s", r.Status, r.Body)
		}
		if st := meStatus(t, app, old); st != http.StatusUnauthorized {
			t.Errorf("token after logout: %d, want 401", st)
		}
	})
	t.Run("browser logout", func(t *testing.T) {
		t.Parallel()
		app := testutil.NewApp(t)
		c := acctBrowserUser(t, app, "pagelogout@example.org")
		old := sessionCookie(c)
		r := c.PostForm("/logout", nil)
		if r.Status != http.StatusSeeOther || r.Header.Get("Clear-Site-Data") == "" {
			t.Fatalf("logout: %d, Clear-Site-Data %q", r.Status, r.Header.Get("Clear-Site-Data"))
		}
		if sessionCookie(c) != "" {
			t.Error("logout did not clear the cookie")
		}
		replay := app.Client()
		replay.Cookies["mend_session"] = old
		assertToLogin(t, "old cookie after logout", replay.Get("/account"))
	})
	t.Run("password change", func(t *testing.T) {
		t.Parallel()
		app := testutil.NewApp(t)
		c := acctAPIUser(t, app, "change@example.org")
		other := app.Client()
		other.LoginAPI("change@example.org", testutil.Password)
		browser := app.Client()
		browser.LoginBrowser("change@example.org", testutil.Password)
		r := c.JSON(http.MethodPost, "/api/v1/me/password", map[string]string{"current_password": testutil.Password, "new_password": "a completely new password"})
		if r.Status != http.StatusNoContent {
			t.Fatalf("change: %d %s", r.Status, r.Body)
		}
		assertUnauthorizedJSON(t, "other API session", other.Get("/api/v1/me"))
		assertToLogin(t, "other browser session", browser.Get("/account"))
		if r := c.Get("/api/v1/me"); r.Status != http.StatusOK {
			t.Errorf("the session that changed the password: %d, want 200", r.Status)
		}
	})
	t.Run("sign out everywhere else", func(t *testing.T) {
		t.Parallel()
		app := testutil.NewApp(t)
		c := acctBrowserUser(t, app, "others@example.org")
		api := app.Client()
		api.LoginAPI("others@example.org", testutil.Password)
		phone := app.Client()
		phone.LoginBrowser("others@example.org", testutil.Password)
		c.Get("/account")
		if r := c.PostForm("/account/sessions/others", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("sign out others: %d %s", r.Status, r.Body)
		}
		assertUnauthorizedJSON(t, "API session", api.Get("/api/v1/me"))
		assertToLogin(t, "phone", phone.Get("/account"))
		if r := c.Get("/account"); r.Status != http.StatusOK {
			t.Errorf("this browser: %d, want 200", r.Status)
		}
		again := app.Client()
		again.LoginAPI("others@example.org", testutil.Password)
		if r := again.JSON(http.MethodPost, "/api/v1/me/sessions/revoke-others", nil); r.Status != http.StatusNoContent {
			t.Fatalf("API sign out others: %d %s", r.Status, r.Body)
		}
		assertToLogin(t, "browser after API sign-out-others", c.Get("/account"))
		if r := again.Get("/api/v1/me"); r.Status != http.StatusOK {
			t.Errorf("the API session that asked: %d", r.Status)
		}
	})
}

// TestSessionTimeouts covers SECURITY B6 with the fake clock: browser sessions end after 30 idle minutes,
// every session after 7 days, however active.
func TestSessionTimeouts(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	idle := acctBrowserUser(t, app, "idle@example.org")
	active := app.Client()
	active.LoginBrowser("idle@example.org", testutil.Password)
	api := app.Client()
	api.LoginAPI("idle@example.org", testutil.Password)

	app.Clock.Advance(29 * time.Minute)
	if r := active.Get("/account"); r.Status != http.StatusOK {
		t.Fatalf("active browser at 29 minutes: %d", r.Status)
	}
	app.Clock.Advance(2 * time.Minute)
	assertToLogin(t, "browser idle for 31 minutes", idle.Get("/account"))
	if r := active.Get("/account"); r.Status != http.StatusOK {
		t.Errorf("browser used 2 minutes ago: %d, want 200", r.Status)
	}
	for elapsed := 31 * time.Minute; elapsed < 7*24*time.Hour-29*time.Minute; elapsed += 29 * time.Minute {
		app.Clock.Advance(29 * time.Minute)
		if r := active.Get("/account"); r.Status != http.StatusOK {
			t.Fatalf("active browser after %s: %d", elapsed, r.Status)
		}
	}
	if r := api.Get("/api/v1/me"); r.Status != http.StatusOK {
		t.Fatalf("API session before 7 days: %d", r.Status)
	}
	app.Clock.Advance(29 * time.Minute)
	assertToLogin(t, "browser used all week, after 7 days", active.Get("/account"))
	assertUnauthorizedJSON(t, "API session after 7 days", api.Get("/api/v1/me"))
}

// TestLoginAlwaysStartsANewSession covers SECURITY B7: a cookie sent before sign-in is never kept.
func TestLoginAlwaysStartsANewSession(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	acctBrowserUser(t, app, "fixation@example.org")

	planted := app.Client()
	planted.Cookies["mend_session"] = "attacker-chosen-value"
	planted.LoginBrowser("fixation@example.org", testutil.Password)
	if got := sessionCookie(planted); got == "" || got == "attacker-chosen-value" {
		t.Errorf("after sign-in the cookie is %q: the planted value was kept", got)
	}
	if r := planted.Get("/account"); r.Status != http.StatusOK {
		t.Errorf("signed-in browser: %d", r.Status)
	}

	c := app.Client()
	c.LoginBrowser("fixation@example.org", testutil.Password)
	before := sessionCookie(c)
	c.LoginBrowser("fixation@example.org", testutil.Password)
	after := sessionCookie(c)
	if before == after || claimsOf(t, before)["sid"] == claimsOf(t, after)["sid"] {
		t.Error("signing in again kept the same session")
	}
	replay := app.Client()
	replay.Cookies["mend_session"] = before
	assertToLogin(t, "the browser's earlier session after signing in again", replay.Get("/account"))
}

// TestSessionListAndRevoke covers SECURITY B9: a user sees and revokes only their own sessions.
func TestSessionListAndRevoke(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	a := acctAPIUser(t, app, "list-a@example.org")
	laptop := app.Client()
	laptop.Headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
	laptop.LoginBrowser("list-a@example.org", testutil.Password)
	b := acctAPIUser(t, app, "list-b@example.org")

	var list struct {
		Sessions []struct {
			ID, Kind, Device, CreatedAt, LastSeenAt string
			Current                                 bool
		} `json:"sessions"`
	}
	a.Get("/api/v1/me/sessions").JSON(t, &list)
	if len(list.Sessions) != 2 {
		t.Fatalf("A sees %d sessions, want 2: %+v", len(list.Sessions), list.Sessions)
	}
	var currentID, laptopID string
	for _, s := range list.Sessions {
		if s.Current {
			currentID = s.ID
		} else {
			laptopID = s.ID
			if s.Device != "Firefox on Linux" || s.Kind != "browser" {
				t.Errorf("laptop listed as %q (%s)", s.Device, s.Kind)
			}
		}
	}
	if currentID == "" || laptopID == "" || currentID != claimsOf(t, a.Bearer)["sid"] {
		t.Fatalf("current session not marked: %+v", list.Sessions)
	}
	if body := b.Get("/api/v1/me/sessions").Body; strings.Contains(body, laptopID) || strings.Contains(body, currentID) {
		t.Error("B's session list shows A's sessions")
	}
	for _, r := range []*testutil.Response{
		b.JSON(http.MethodDelete, "/api/v1/me/sessions/"+laptopID, nil),
		b.JSON(http.MethodDelete, "/api/v1/me/sessions/no-such-session", nil),
	} {
		if r.Status != http.StatusNotFound {
			t.Errorf("B revoking someone else's or a missing session: %d, want 404", r.Status)
		}
	}
	bPage := acctBrowserUser(t, app, "list-b-page@example.org")
	bPage.Get("/account")
	if r := bPage.PostForm("/account/sessions/"+laptopID, nil); r.Status != http.StatusNotFound {
		t.Errorf("B's page revoking A's session: %d, want 404", r.Status)
	}
	if r := laptop.Get("/account"); r.Status != http.StatusOK {
		t.Fatalf("A's laptop after B's attempts: %d", r.Status)
	}
	if r := a.JSON(http.MethodDelete, "/api/v1/me/sessions/"+laptopID, nil); r.Status != http.StatusNoContent {
		t.Fatalf("A revoking the laptop: %d %s", r.Status, r.Body)
	}
	assertToLogin(t, "revoked laptop", laptop.Get("/account"))
	if r := a.JSON(http.MethodDelete, "/api/v1/me/sessions/"+currentID, nil); r.Status != http.StatusNoContent {
		t.Fatalf("A revoking the current session: %d", r.Status)
	}
	assertUnauthorizedJSON(t, "after revoking the current session", a.Get("/api/v1/me"))
}
