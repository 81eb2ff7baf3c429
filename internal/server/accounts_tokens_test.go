package server_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/mendhq/mend/internal/testutil"
)

func signed(t *testing.T, m jwt.SigningMethod, key any, c jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(m, c).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestTokensThatDoNotVerifyAre401 covers SECURITY B1, B3 and B4 end to end: each token is built from a real
// session's claims with one thing wrong, and is refused on the API (401) and as a page cookie (to sign-in).
func TestTokensThatDoNotVerifyAre401(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	c := acctAPIUser(t, app, "tokens@example.org")
	base := claimsOf(t, c.Bearer)
	edit := func(f func(jwt.MapClaims)) jwt.MapClaims {
		m := jwt.MapClaims{}
		for k, v := range base {
			m[k] = v
		}
		f(m)
		return m
	}
	if st := meStatus(t, app, signed(t, jwt.SigningMethodHS256, jwtKey, edit(func(jwt.MapClaims) {}))); st != http.StatusOK {
		t.Fatalf("a token re-signed with the right key and claims gets %d: the cases below would prove nothing", st)
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, edit(func(jwt.MapClaims) {})).SignedString(jwt.UnsafeAllowNoneSignatureType)
	now := app.Clock.Now()
	random := make([]byte, 6000)
	_, _ = rand.Read(random)
	cases := map[string]string{
		"forged with another key": signed(t, jwt.SigningMethodHS256, []byte("0123456789abcdef0123456789abcdef"), edit(func(jwt.MapClaims) {})),
		"alg none":                none,
		"alg none, no dot":        strings.TrimSuffix(none, "."),
		"HS512 with our key":      signed(t, jwt.SigningMethodHS512, jwtKey, edit(func(jwt.MapClaims) {})),
		"RS256":                   signed(t, jwt.SigningMethodRS256, rsaKey, edit(func(jwt.MapClaims) {})),
		"expired":                 signed(t, jwt.SigningMethodHS256, jwtKey, edit(func(m jwt.MapClaims) { m["exp"] = now.Add(-time.Minute).Unix() })),
		"missing exp":             signed(t, jwt.SigningMethodHS256, jwtKey, edit(func(m jwt.MapClaims) { delete(m, "exp") })),
		"wrong audience":          signed(t, jwt.SigningMethodHS256, jwtKey, edit(func(m jwt.MapClaims) { m["aud"] = []string{"another-app"} })),
		"wrong issuer":            signed(t, jwt.SigningMethodHS256, jwtKey, edit(func(m jwt.MapClaims) { m["iss"] = "someone-else" })),
		"wrong typ":               signed(t, jwt.SigningMethodHS256, jwtKey, edit(func(m jwt.MapClaims) { m["typ"] = "password_reset" })),
		"unknown session id":      signed(t, jwt.SigningMethodHS256, jwtKey, edit(func(m jwt.MapClaims) { m["sid"] = "no-such-session" })),
		"other user's id":         signed(t, jwt.SigningMethodHS256, jwtKey, edit(func(m jwt.MapClaims) { m["sub"] = "someone-else" })),
		"random text":             "not-a-token-at-all",
		"random base64":           base64.RawURLEncoding.EncodeToString(random[:200]),
		"three random parts":      base64.RawURLEncoding.EncodeToString(random[:30]) + "." + base64.RawURLEncoding.EncodeToString(random[30:90]) + "." + base64.RawURLEncoding.EncodeToString(random[90:122]),
		"huge (8 KB)":             base64.RawURLEncoding.EncodeToString(random),
		"tampered payload":        tamper(c.Bearer),
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			api := app.Client()
			api.Bearer = tok
			assertUnauthorizedJSON(t, "bearer", api.Get("/api/v1/me"))
			page := app.Client()
			page.Cookies["mend_session"] = tok
			assertToLogin(t, "cookie", page.Get("/account"))
		})
	}
}

// tamper flips the subject inside an otherwise valid token without re-signing it.
func tamper(raw string) string {
	parts := strings.Split(raw, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	payload = []byte(strings.Replace(string(payload), `"sub":"`, `"sub":"x`, 1))
	return parts[0] + "." + base64.RawURLEncoding.EncodeToString(payload) + "." + parts[2]
}

func TestMalformedAuthorizationHeadersAre401(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	c := acctAPIUser(t, app, "headers@example.org")
	for _, h := range []string{"Bearer", "Bearer ", "bearer" + c.Bearer, "Basic " + c.Bearer, "Token " + c.Bearer, c.Bearer,
		"Bearer " + c.Bearer + "x", "Bearer " + strings.Repeat("a.", 1500)} {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/me", nil)
		req.Header.Set("Authorization", h)
		resp, err := app.Server.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("Authorization %.30q…: %d, want 401", h, resp.StatusCode)
		}
	}
	if st := meStatus(t, app, c.Bearer); st != http.StatusOK {
		t.Errorf("the real token gets %d", st)
	}
}

// FuzzAuthMiddleware sends arbitrary bearer tokens and cookies: never a panic or 5xx, never signed in (SECURITY B4).
func FuzzAuthMiddleware(f *testing.F) {
	app := testutil.NewApp(f)
	f.Add("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "")
	f.Add("", "a.b.c")
	f.Add("Bearer "+strings.Repeat("A", 3000), "")
	f.Add("Bearer ..", "%00")
	f.Fuzz(func(t *testing.T, header, cookie string) {
		for _, s := range []string{header, cookie} {
			for _, r := range s {
				if r < 0x20 || r > 0x7e || r == ';' {
					return // not expressible in an HTTP header
				}
			}
		}
		req := httptest.NewRequest(http.MethodGet, "/api/v1/me", nil)
		if header != "" {
			req.Header.Set("Authorization", header)
		}
		if cookie != "" {
			req.Header.Set("Cookie", fmt.Sprintf("mend_session=%s", cookie))
		}
		resp, err := app.Server.App().Test(req, -1)
		if err != nil {
			t.Fatalf("request failed: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("Authorization %q, cookie %q: status %d, want 401", header, cookie, resp.StatusCode)
		}
	})
}
