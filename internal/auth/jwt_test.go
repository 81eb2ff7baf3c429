package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var (
	testKey = DeriveKeys([]byte("test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")).JWT
	t0      = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
)

func goodClaims() jwt.MapClaims {
	return jwt.MapClaims{"sub": "user1", "sid": "sess1", "typ": TypeSess, "iss": Issuer, "aud": []string{Audience},
		"iat": t0.Unix(), "exp": t0.Add(time.Hour).Unix()}
}

func sign(t testing.TB, m jwt.SigningMethod, key any, c jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(m, c).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func with(edit func(jwt.MapClaims)) jwt.MapClaims {
	c := goodClaims()
	edit(c)
	return c
}

// TestParseRefusesEverythingButOurHS256 covers SECURITY B1, B3 and B4 at the token level.
func TestParseRefusesEverythingButOurHS256(t *testing.T) {
	t.Parallel()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	now := t0
	tokens := NewTokens(testKey, func() time.Time { return now })
	issued, err := tokens.Issue("user1", "sess1", t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if u, s, err := tokens.Parse(issued); err != nil || u != "user1" || s != "sess1" {
		t.Fatalf("issued token: %q %q %v", u, s, err)
	}
	if got := sign(t, jwt.SigningMethodHS256, testKey, goodClaims()); func() error { _, _, err := tokens.Parse(got); return err }() != nil {
		t.Fatal("the test's own well-formed token is refused: the cases below would prove nothing")
	}
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, goodClaims()).SignedString(jwt.UnsafeAllowNoneSignatureType)
	cases := map[string]string{
		"forged (other key)": sign(t, jwt.SigningMethodHS256, []byte("another key, 32 bytes long......"), goodClaims()),
		"alg none":           none,
		"HS512":              sign(t, jwt.SigningMethodHS512, testKey, goodClaims()),
		"RS256":              sign(t, jwt.SigningMethodRS256, rsaKey, goodClaims()),
		"expired":            sign(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["exp"] = t0.Add(-31 * time.Second).Unix() })),
		"missing exp":        sign(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { delete(c, "exp") })),
		"wrong audience":     sign(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["aud"] = []string{"other"} })),
		"missing audience":   sign(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { delete(c, "aud") })),
		"wrong issuer":       sign(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["iss"] = "other" })),
		"wrong typ":          sign(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["typ"] = "reset" })),
		"missing sid":        sign(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { delete(c, "sid") })),
		"missing sub":        sign(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { delete(c, "sub") })),
		"issued in future":   sign(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["iat"] = t0.Add(time.Hour).Unix() })),
		"random":             "d8f7a6s5d4f3g2h1j0k9l8",
		"three random parts": "aaaa.bbbb.cccc",
		"empty":              "",
		"huge":               "eyJhbGciOiJIUzI1NiJ9." + strings.Repeat("A", 10000) + ".x",
	}
	for name, tok := range cases {
		if u, s, err := tokens.Parse(tok); err == nil {
			t.Errorf("%s: accepted (%q, %q)", name, u, s)
		}
	}
	within := sign(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["exp"] = t0.Add(-20 * time.Second).Unix() }))
	if _, _, err := tokens.Parse(within); err != nil {
		t.Errorf("a token 20 s past exp was refused: the leeway is under 30 s (%v)", err)
	}
	now = t0.Add(2 * time.Hour)
	if _, _, err := tokens.Parse(issued); err == nil {
		t.Error("the issued token was accepted after its exp")
	}
}

func TestIssuedTokenCarriesOnlyMinimalClaims(t *testing.T) {
	t.Parallel()
	tokens := NewTokens(testKey, func() time.Time { return t0 })
	raw, err := tokens.Issue("user1", "sess1", t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	c := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(raw, c); err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{"sub": true, "sid": true, "iat": true, "exp": true, "iss": true, "aud": true, "typ": true}
	for k := range c {
		if !allowed[k] {
			t.Errorf("token carries claim %q", k)
		}
	}
	if len(c) != len(allowed) {
		t.Errorf("token claims %v, want exactly %v", c, allowed)
	}
}

// FuzzParse checks that no input panics and nothing but a token signed with our key verifies (SECURITY B4).
func FuzzParse(f *testing.F) {
	tokens := NewTokens(testKey, func() time.Time { return t0 })
	good, _ := tokens.Issue("user1", "sess1", t0.Add(time.Hour))
	f.Add(good)
	f.Add("")
	f.Add("a.b.c")
	f.Add("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")
	f.Add(good[:len(good)-2])
	f.Fuzz(func(t *testing.T, raw string) {
		u, s, err := tokens.Parse(raw)
		if err == nil && raw != good && (u != "user1" || s != "sess1") {
			t.Errorf("accepted a token this test never issued: %q", raw)
		}
	})
}
