package proof

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

// TestEveryCookieWriteNeedsTheCSRFToken covers SECURITY D3 over every unsafe route of the app, pages
// and API, sign-out included: a signed-in browser's request with its session cookie but without the
// CSRF token, or with a token of another session, is refused with 403, and nothing in the database
// changes (the session is still alive afterwards).
func TestEveryCookieWriteNeedsTheCSRFToken(t *testing.T) {
	t.Parallel()
	j := newJourney(t, func(f string) string { return "Words for " + f })
	j.run()
	fx := &fuzzFixture{j: j}
	before := dbState(t, j.app)
	public := map[string]bool{"/login": true, "/register": true, "/reset/:token": true, "/api/v1/auth/register": true, "/api/v1/auth/login": true}
	n := 0
	for _, rt := range j.app.Server.App().GetRoutes(true) {
		if rt.Method == http.MethodGet || rt.Method == http.MethodHead || public[rt.Path] {
			continue
		}
		path := fx.fill(rt.Path, "")
		for _, token := range []string{"", j.B.CSRF} {
			req := httptest.NewRequest(rt.Method, path, strings.NewReader("confirm=yes&password="+formEscape(j.passA)))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if strings.HasPrefix(rt.Path, "/api/") {
				req = httptest.NewRequest(rt.Method, path, strings.NewReader(`{}`))
				req.Header.Set("Content-Type", "application/json")
			}
			if token != "" {
				req.Header.Set("X-CSRF-Token", token)
			}
			for k, v := range j.A.Cookies {
				req.AddCookie(&http.Cookie{Name: k, Value: v})
			}
			resp, err := j.app.Server.App().Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s with the session cookie and token %q: %d, want 403", rt.Method, rt.Path, token, resp.StatusCode)
			}
			n++
		}
	}
	if after := dbState(t, j.app); !reflect.DeepEqual(before, after) {
		t.Error("a refused request changed the database")
	}
	if r := j.A.Get("/account"); r.Status != http.StatusOK {
		t.Errorf("A's session did not survive the refused requests: %d", r.Status)
	}
	if n < 60 {
		t.Errorf("only %d requests sent", n)
	}
}

func formEscape(s string) string { return strings.ReplaceAll(s, " ", "+") }
