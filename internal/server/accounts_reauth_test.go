package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

// TestRecentAuthenticationOnTheAPI covers SECURITY B10 on the API: 10 minutes after sign-in, changing the
// password answers 403 reauth_required until the password is entered again.
func TestRecentAuthenticationOnTheAPI(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	c := acctAPIUser(t, app, "reauth-api@example.org")
	change := func() *testutil.Response {
		return c.JSON(http.MethodPost, "/api/v1/me/password", map[string]string{"current_password": testutil.Password, "new_password": "a fresh new password"})
	}
	app.Clock.Advance(10*time.Minute + time.Second)
	r := change()
	if r.Status != http.StatusForbidden || !strings.Contains(r.Body, `"code":"reauth_required"`) {
		t.Fatalf("change 10 minutes after sign-in: %d %s, want 403 reauth_required", r.Status, r.Body)
	}
	if r := c.JSON(http.MethodPost, "/api/v1/auth/reauth", map[string]string{"password": "not my password"}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("reauth with a wrong password: %d %s, want 422", r.Status, r.Body)
	}
	if r := change(); r.Status != http.StatusForbidden {
		t.Fatalf("a failed reauth counted as recent authentication: %d", r.Status)
	}
	if r := c.JSON(http.MethodPost, "/api/v1/auth/reauth", map[string]string{"password": testutil.Password}); r.Status != http.StatusNoContent {
		t.Fatalf("reauth: %d %s", r.Status, r.Body)
	}
	if r := change(); r.Status != http.StatusNoContent {
		t.Errorf("change after reauth: %d %s, want 204", r.Status, r.Body)
	}
	app.Clock.Advance(10*time.Minute + time.Second)
	if r := c.JSON(http.MethodPost, "/api/v1/me/password", map[string]string{"current_password": "a fresh new password", "new_password": "and another one again"}); r.Status != http.StatusForbidden {
		t.Errorf("recent authentication outlived 10 minutes: %d", r.Status)
	}
}

// TestRecentAuthenticationOnPages covers SECURITY B10 on pages: the form sends the person to /reauth, which
// returns them to the account page, where the change then works.
func TestRecentAuthenticationOnPages(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	c := acctBrowserUser(t, app, "reauth-page@example.org")
	app.Clock.Advance(11 * time.Minute)
	page := c.Get("/account")
	if !strings.Contains(page.Body, "confirm your current password") {
		t.Error("the account page does not say a password check comes first")
	}
	form := testutil.Form("current_password", testutil.Password, "new_password", "a fresh new password")
	r := c.PostForm("/account/password", form)
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/reauth?next="+url.QueryEscape("/account") {
		t.Fatalf("change without recent auth: %d to %q, want 303 to /reauth", r.Status, r.Header.Get("Location"))
	}
	if p := c.Get(r.Header.Get("Location")); p.Status != http.StatusOK || !strings.Contains(p.Body, `name="next" value="/account"`) {
		t.Fatalf("reauth page: %d", p.Status)
	}
	bad := c.PostForm("/reauth", testutil.Form("password", "not my password", "next", "/account"))
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `id="password-error"`) || !strings.Contains(bad.Body, `aria-invalid="true"`) {
		t.Errorf("wrong password on /reauth: %d", bad.Status)
	}
	ok := c.PostForm("/reauth", testutil.Form("password", testutil.Password, "next", "/account"))
	if ok.Status != http.StatusSeeOther || ok.Header.Get("Location") != "/account?done=reauth" {
		t.Fatalf("reauth: %d to %q", ok.Status, ok.Header.Get("Location"))
	}
	c.Get("/account?done=reauth")
	if r := c.PostForm("/account/password", form); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/account?done=password" {
		t.Errorf("change after reauth: %d to %q (%s)", r.Status, r.Header.Get("Location"), r.Body)
	}
}

func TestReauthReturnsOnlyToLocalPaths(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	c := acctBrowserUser(t, app, "reauth-next@example.org")
	for next, want := range map[string]string{
		"/couple":                "/couple",
		"//evil.example/x":       "/dashboard",
		"https://evil.example/":  "/dashboard",
		"/\\evil.example":        "/dashboard",
		"":                       "/account?done=reauth",
		"/account":               "/account?done=reauth",
		"javascript:alert(1)":    "/dashboard",
		"/ok\r\nSet-Cookie: x=1": "/dashboard",
	} {
		c.Get("/reauth")
		r := c.PostForm("/reauth", testutil.Form("password", testutil.Password, "next", next))
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != want {
			t.Errorf("next %q: %d to %q, want %q", next, r.Status, r.Header.Get("Location"), want)
		}
	}
}
