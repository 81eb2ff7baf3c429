package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/testutil"
)

// sessionSetCookie returns the Set-Cookie header that carries the session after a page sign-in.
func sessionSetCookie(t *testing.T, app *testutil.App, email string) (*http.Cookie, string) {
	t.Helper()
	c := app.Client()
	c.RegisterAPI(email, "Sam")
	c.Bearer = ""
	c.Get("/login")
	r := c.PostForm("/login", testutil.Form("email", email, "password", testutil.Password))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("sign in: %d %s", r.Status, r.Body)
	}
	for _, line := range r.Header.Values("Set-Cookie") {
		ck, err := http.ParseSetCookie(line)
		if err == nil && strings.HasSuffix(ck.Name, "mend_session") {
			return ck, line
		}
	}
	t.Fatalf("no session cookie in %q", r.Header.Values("Set-Cookie"))
	return nil, ""
}

// TestSessionCookieAttributes covers SECURITY B8, over HTTP and behind an HTTPS base URL.
func TestSessionCookieAttributes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, base, cookie string
		secure             bool
	}{
		{"http", "http://127.0.0.1:8080", "mend_session", false},
		{"https", "https://mend.example.org", "__Host-mend_session", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app := testutil.NewApp(t, func(c *config.Config) { c.BaseURL = tc.base })
			ck, line := sessionSetCookie(t, app, "cookie-"+tc.name+"@example.org")
			if ck.Name != tc.cookie {
				t.Errorf("cookie name %q, want %q", ck.Name, tc.cookie)
			}
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Domain != "" {
				t.Errorf("cookie %q: want HttpOnly, SameSite=Lax, Path=/ and no Domain", line)
			}
			if ck.Secure != tc.secure {
				t.Errorf("cookie %q: Secure = %v, want %v", line, ck.Secure, tc.secure)
			}
			claims := claimsOf(t, ck.Value)
			for k := range claims {
				switch k {
				case "sub", "sid", "iat", "exp", "iss", "aud", "typ":
				default:
					t.Errorf("token carries claim %q", k)
				}
			}
			if strings.Contains(ck.Value, "cookie-") || strings.Contains(string(mustJSON(t, claims)), "@") {
				t.Error("the token carries the email")
			}
			c := app.Client()
			c.Cookies[tc.cookie] = ck.Value
			if r := c.Get("/account"); r.Status != http.StatusOK {
				t.Errorf("the cookie does not sign in: %d", r.Status)
			}
			if tc.secure {
				other := app.Client()
				other.Cookies["mend_session"] = ck.Value
				assertToLogin(t, "the token under the non-__Host- name over HTTPS", other.Get("/account"))
			}
		})
	}
}

func TestLogoutClearsTheCookie(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	c := acctBrowserUser(t, app, "clear@example.org")
	r := c.PostForm("/logout", nil)
	var cleared bool
	for _, line := range r.Header.Values("Set-Cookie") {
		ck, err := http.ParseSetCookie(line)
		if err == nil && ck.Name == "mend_session" && ck.Value == "" && (ck.MaxAge < 0 || (!ck.Expires.IsZero() && ck.Expires.Before(time.Now()))) {
			cleared = true
		}
	}
	if !cleared {
		t.Errorf("logout Set-Cookie %q does not clear the session cookie", r.Header.Values("Set-Cookie"))
	}
	if got := r.Header.Get("Clear-Site-Data"); !strings.Contains(got, `"cookies"`) {
		t.Errorf("Clear-Site-Data %q", got)
	}
	if r.Header.Get("Location") != "/login?notice=signed-out" {
		t.Errorf("logout goes to %q", r.Header.Get("Location"))
	}
	if page := c.Get("/login?notice=signed-out"); !strings.Contains(page.Body, "You are signed out.") {
		t.Error("the sign-in page does not confirm the sign-out")
	}
}
