package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/mendhq/mend/internal/auth"
	"github.com/mendhq/mend/internal/testutil"
)

// jwtKey is the key test apps sign session tokens with (derived from testutil.TestSecret).
var jwtKey = auth.DeriveKeys([]byte(testutil.TestSecret)).JWT

// apiUser registers email through the API and returns a client holding a bearer token.
func acctAPIUser(t *testing.T, app *testutil.App, email string) *testutil.Client {
	t.Helper()
	c := app.Client()
	c.RegisterAPI(email, "Sam")
	return c
}

// browserUser registers email through the page form and returns a client holding the session cookie.
func acctBrowserUser(t *testing.T, app *testutil.App, email string) *testutil.Client {
	t.Helper()
	c := app.Client()
	c.RegisterBrowser(email, "Sam")
	return c
}

// claimsOf reads a token's claims without verifying it.
func claimsOf(t *testing.T, raw string) jwt.MapClaims {
	t.Helper()
	c := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(raw, c); err != nil {
		t.Fatalf("parse token: %v", err)
	}
	return c
}

// meStatus is the status GET /api/v1/me answers with the bearer token raw.
func meStatus(t *testing.T, app *testutil.App, raw string) int {
	t.Helper()
	c := app.Client()
	c.Bearer = raw
	return c.Get("/api/v1/me").Status
}

// sessionCookie returns the client's session cookie value ("" when it has none).
func sessionCookie(c *testutil.Client) string {
	for k, v := range c.Cookies {
		if strings.HasSuffix(k, "mend_session") {
			return v
		}
	}
	return ""
}

// assertUnauthorizedJSON checks an API answer is 401 with the JSON error envelope.
func assertUnauthorizedJSON(t *testing.T, what string, r *testutil.Response) {
	t.Helper()
	if r.Status != http.StatusUnauthorized {
		t.Errorf("%s: status %d, want 401 (%s)", what, r.Status, r.Body)
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: content type %q, want JSON", what, ct)
	}
	if !strings.Contains(r.Body, `"code":"unauthorized"`) {
		t.Errorf("%s: body %s lacks the unauthorized code", what, r.Body)
	}
}

// assertToLogin checks a page answer is a 303 redirect to the sign-in page.
func assertToLogin(t *testing.T, what string, r *testutil.Response) {
	t.Helper()
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Errorf("%s: %d to %q, want 303 to /login", what, r.Status, r.Header.Get("Location"))
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
