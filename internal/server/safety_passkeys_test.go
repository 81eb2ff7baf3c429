package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/testutil"
)

// passkeyApp is a test app whose base URL has a host name: a relying party id is a domain, never an
// address such as 127.0.0.1, so passkeys are off on a Mend reached by its IP address.
func passkeyApp(t *testing.T) *testutil.App {
	t.Helper()
	return testutil.NewApp(t, func(c *config.Config) { c.BaseURL = "http://localhost:8080" })
}

// begun reads a begin endpoint's answer: the ceremony secret and the options for the authenticator.
func begun(t *testing.T, r *testutil.Response) (string, []byte) {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("begin: %d %s", r.Status, r.Body)
	}
	var b struct {
		Ceremony string          `json:"ceremony"`
		Options  json.RawMessage `json:"options"`
	}
	r.JSON(t, &b)
	if b.Ceremony == "" || len(b.Options) == 0 {
		t.Fatalf("begin answer: %s", r.Body)
	}
	return b.Ceremony, b.Options
}

// enrollPasskey adds a passkey of a to c's account through the API and returns the recovery codes.
func enrollPasskey(t *testing.T, c *testutil.Client, a *testutil.Authenticator) []string {
	t.Helper()
	cer, opts := begun(t, c.JSON(http.MethodPost, "/api/v1/me/passkeys/begin", nil))
	r := c.JSON(http.MethodPost, "/api/v1/me/passkeys/finish", map[string]any{"ceremony": cer, "name": "Phone", "credential": json.RawMessage(a.Create(t, opts))})
	if r.Status != http.StatusCreated {
		t.Fatalf("finish: %d %s", r.Status, r.Body)
	}
	var done struct {
		Passkey struct {
			ID, Name string
		} `json:"passkey"`
		Codes []string `json:"recovery_codes"`
	}
	r.JSON(t, &done)
	if done.Passkey.ID == "" || done.Passkey.Name != "Phone" {
		t.Fatalf("finish answer: %s", r.Body)
	}
	return done.Codes
}

// passkeyAPISignIn signs in through /auth/passkey with a's newest key (use, when set), completing
// challenge when it is not empty.
func passkeyAPISignIn(t *testing.T, app *testutil.App, a *testutil.Authenticator, use *testutil.SoftCredential, challenge string) *testutil.Response {
	t.Helper()
	cl := app.Client()
	cer, opts := begun(t, cl.JSON(http.MethodPost, "/api/v1/auth/passkey/begin", map[string]string{"challenge": challenge}))
	return cl.JSON(http.MethodPost, "/api/v1/auth/passkey/finish", map[string]any{"ceremony": cer, "challenge": challenge,
		"credential": json.RawMessage(a.Get(t, opts, use))})
}

func passkeyID(t *testing.T, c *testutil.Client) string {
	t.Helper()
	var sec struct {
		Factors struct {
			Passkeys []struct {
				ID string `json:"id"`
			} `json:"passkeys"`
		} `json:"second_factors"`
	}
	c.Get("/api/v1/me/security").JSON(t, &sec)
	if len(sec.Factors.Passkeys) == 0 {
		t.Fatal("no passkey in /me/security")
	}
	return sec.Factors.Passkeys[0].ID
}

// TestPasskeyAPISignIn covers SECURITY K3 and K2 on the API: a passkey is enrolled with recent
// authentication, signs in without a password, is the second step after one, and its ceremonies and
// the password step work once; a passkey signs in nobody but its owner.
func TestPasskeyAPISignIn(t *testing.T) {
	t.Parallel()
	app := passkeyApp(t)
	const email = "pk-api@example.org"
	c := acctAPIUser(t, app, email)
	a := testutil.NewAuthenticator(app.Config.BaseURL)
	codes := enrollPasskey(t, c, a)
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes with the first passkey", len(codes))
	}

	r := app.Client().JSON(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": email, "password": testutil.Password})
	if r.Status != http.StatusUnauthorized || !strings.Contains(r.Body, `"passkey"`) || strings.Contains(r.Body, `"token"`) {
		t.Fatalf("password login with a passkey on: %d %s", r.Status, r.Body)
	}
	r = passkeyAPISignIn(t, app, a, nil, "")
	if r.Status != http.StatusOK {
		t.Fatalf("passkey sign-in: %d %s", r.Status, r.Body)
	}
	if tok, _ := r.Map(t)["token"].(string); meStatus(t, app, tok) != http.StatusOK {
		t.Error("the passkey's token does not work")
	}

	ch := challengeOf(t, app, email)
	if r := passkeyAPISignIn(t, app, a, nil, ch); r.Status != http.StatusOK {
		t.Fatalf("passkey as the second step: %d %s", r.Status, r.Body)
	}
	cl := app.Client()
	if r := cl.JSON(http.MethodPost, "/api/v1/auth/passkey/begin", map[string]string{"challenge": ch}); r.Status != http.StatusUnauthorized {
		t.Errorf("a used password step for a passkey: %d %s", r.Status, r.Body)
	}
	// A ceremony without a password step cannot complete one: the passkey alone signs in, the step stays.
	ch = challengeOf(t, app, email)
	cer, opts := begun(t, cl.JSON(http.MethodPost, "/api/v1/auth/passkey/begin", nil))
	if r := cl.JSON(http.MethodPost, "/api/v1/auth/passkey/finish", map[string]any{"ceremony": cer, "challenge": ch,
		"credential": json.RawMessage(a.Get(t, opts, nil))}); r.Status != http.StatusUnauthorized {
		t.Errorf("a sign-in ceremony used for a password step: %d %s", r.Status, r.Body)
	}
	if r := secondFactor(app, ch, "", codes[0]); r.Status != http.StatusOK {
		t.Errorf("a recovery code for a passkey account: %d %s", r.Status, r.Body)
	}
	if r := cl.JSON(http.MethodPost, "/api/v1/auth/passkey/finish", map[string]any{"ceremony": "made-up", "credential": json.RawMessage(`{}`)}); r.Status != http.StatusUnauthorized {
		t.Errorf("an unknown ceremony: %d %s", r.Status, r.Body)
	}
	if r := cl.JSON(http.MethodPost, "/api/v1/auth/passkey/finish", map[string]any{"ceremony": 7}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("a ceremony of the wrong type: %d %s", r.Status, r.Body)
	}
}

// TestPasskeyOfOneUserNeverSignsInAnother is K3's cross-user proof on the API: Alice's passkey, even
// claiming Bob's user handle, never gives a session of Bob's, and never completes Bob's password step.
func TestPasskeyOfOneUserNeverSignsInAnother(t *testing.T) {
	t.Parallel()
	app := passkeyApp(t)
	alice, bob := acctAPIUser(t, app, "pk-alice@example.org"), acctAPIUser(t, app, "pk-bob@example.org")
	aa, ba := testutil.NewAuthenticator(app.Config.BaseURL), testutil.NewAuthenticator(app.Config.BaseURL)
	enrollPasskey(t, alice, aa)
	enrollPasskey(t, bob, ba)
	bobID, _ := bob.Get("/api/v1/me").Map(t)["user"].(map[string]any)["id"].(string)

	forged := *aa.Credentials()[0]
	forged.UserHandle = []byte(bobID)
	if r := passkeyAPISignIn(t, app, aa, &forged, ""); r.Status != http.StatusUnauthorized {
		t.Errorf("Alice's passkey with Bob's user handle: %d %s", r.Status, r.Body)
	}
	ch := challengeOf(t, app, "pk-bob@example.org")
	if r := passkeyAPISignIn(t, app, aa, aa.Credentials()[0], ch); r.Status != http.StatusUnauthorized {
		t.Errorf("Alice's passkey for Bob's password step: %d %s", r.Status, r.Body)
	}
	r := passkeyAPISignIn(t, app, aa, nil, "")
	if r.Status != http.StatusOK {
		t.Fatalf("Alice's own sign-in: %d %s", r.Status, r.Body)
	}
	if u, _ := r.Map(t)["user"].(map[string]any); u["email"] != "pk-alice@example.org" {
		t.Errorf("Alice's passkey signed in %v", u["email"])
	}
	if r := passkeyAPISignIn(t, app, ba, nil, ch); r.Status != http.StatusOK {
		t.Errorf("Bob's own passkey for his step after Alice's was refused: %d %s", r.Status, r.Body)
	}
}

// TestPasskeyPageSignIn covers the browser paths of passkey.js: the sign-in page's passkey (no
// password) and the second step's passkey start a cookie session only with the CSRF token; the second
// step offers what the account has.
func TestPasskeyPageSignIn(t *testing.T) {
	t.Parallel()
	app := passkeyApp(t)
	const email = "pk-page@example.org"
	c := acctAPIUser(t, app, email)
	a := testutil.NewAuthenticator(app.Config.BaseURL)
	enrollPasskey(t, c, a)

	b := app.Client()
	page := b.Get("/login")
	if !strings.Contains(page.Body, `data-passkey="sign-in"`) || !strings.Contains(page.Body, "<noscript>") {
		t.Error("the sign-in page offers no passkey, or says nothing without JavaScript")
	}
	noToken := app.Client()
	noToken.Get("/login")
	noToken.CSRF = ""
	if r := noToken.JSON(http.MethodPost, "/login/passkey/begin", nil); r.Status != http.StatusForbidden {
		t.Errorf("begin without the CSRF token: %d", r.Status)
	}
	cer, opts := begun(t, b.JSON(http.MethodPost, "/login/passkey/begin", nil))
	r := b.JSON(http.MethodPost, "/login/passkey/finish", map[string]any{"ceremony": cer, "next": "/account", "credential": json.RawMessage(a.Get(t, opts, nil))})
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `"/account"`) || sessionCookie(b) == "" {
		t.Fatalf("page passkey sign-in: %d %s, cookie %v", r.Status, r.Body, sessionCookie(b) != "")
	}
	if r := b.Get("/account"); r.Status != http.StatusOK {
		t.Errorf("account after a passkey: %d", r.Status)
	}
	// A failed passkey answers the script in JSON.
	bad := app.Client()
	bad.Get("/login")
	if r := bad.JSON(http.MethodPost, "/login/passkey/finish", map[string]any{"ceremony": "nope"}); r.Status != http.StatusUnauthorized ||
		!strings.Contains(r.Body, `"unauthorized"`) || sessionCookie(bad) != "" {
		t.Errorf("a bad ceremony: %d %s", r.Status, r.Body)
	}

	// On a Mend reached by its IP address browsers refuse passkeys, so none are offered.
	ip := testutil.NewApp(t)
	if page := ip.Client().Get("/login"); strings.Contains(page.Body, "data-passkey") {
		t.Error("the sign-in page offers passkeys on an IP address")
	}
	if r := ip.Client().JSON(http.MethodPost, "/api/v1/auth/passkey/begin", nil); r.Status != http.StatusNotFound {
		t.Errorf("passkey begin on an IP address: %d %s", r.Status, r.Body)
	}

	// The second step: a passkey and a recovery code, no app code (no authenticator app here).
	s := app.Client()
	s.Get("/login")
	r = s.PostForm("/login", testutil.Form("email", email, "password", testutil.Password, "next", "/account"))
	m := challengeField.FindStringSubmatch(r.Body)
	if m == nil || !strings.Contains(r.Body, `data-passkey="second-factor"`) || strings.Contains(r.Body, `name="code"`) || sessionCookie(s) != "" {
		t.Fatalf("second step for a passkey account: %d %s", r.Status, r.Body)
	}
	cer, opts = begun(t, s.JSON(http.MethodPost, "/login/passkey/begin", map[string]string{"challenge": m[1]}))
	r = s.JSON(http.MethodPost, "/login/passkey/finish", map[string]any{"ceremony": cer, "challenge": m[1], "next": "/account", "credential": json.RawMessage(a.Get(t, opts, nil))})
	if r.Status != http.StatusOK || sessionCookie(s) == "" {
		t.Fatalf("second step with the passkey: %d %s", r.Status, r.Body)
	}
}

// TestPasskeyAccountsNeedTheSecondStepOnEveryPath is K2 for an account whose only second factor is a
// passkey: the password alone gives no session on the page or the API, before or after a reset, and
// a made-up code does not complete the step.
func TestPasskeyAccountsNeedTheSecondStepOnEveryPath(t *testing.T) {
	t.Parallel()
	app := passkeyApp(t)
	const email = "pk-bypass@example.org"
	c := acctAPIUser(t, app, email)
	enrollPasskey(t, c, testutil.NewAuthenticator(app.Config.BaseURL))

	check := func(when, password string) {
		t.Helper()
		b := app.Client()
		b.Get("/login")
		r := b.PostForm("/login", testutil.Form("email", email, "password", password))
		if r.Status != http.StatusOK || challengeField.FindStringSubmatch(r.Body) == nil || sessionCookie(b) != "" {
			t.Errorf("%s: the page's password alone: %d, cookie %v", when, r.Status, sessionCookie(b) != "")
		}
		if r := b.Get("/dashboard"); r.Status != http.StatusSeeOther {
			t.Errorf("%s: dashboard after the password step: %d", when, r.Status)
		}
		r = app.Client().JSON(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": email, "password": password})
		var body struct {
			Challenge string `json:"challenge"`
			Token     string `json:"token"`
		}
		r.JSON(t, &body)
		if r.Status != http.StatusUnauthorized || body.Challenge == "" || body.Token != "" {
			t.Fatalf("%s: the API's password alone: %d %s", when, r.Status, r.Body)
		}
		ch := body.Challenge
		for _, code := range []string{"000000", ""} {
			if r := secondFactor(app, ch, code, ""); r.Status == http.StatusOK {
				t.Errorf("%s: code %q completed a passkey account's step", when, code)
			}
		}
	}
	check("before a reset", testutil.Password)
	plain, err := app.Server.Accounts().CreateResetToken(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	rb := app.Client()
	rb.Get("/reset/" + plain)
	if r := rb.PostForm("/reset/"+plain, testutil.Form("new_password", "a brand new long password")); r.Status != http.StatusSeeOther || sessionCookie(rb) != "" {
		t.Fatalf("reset: %d, cookie %v", r.Status, sessionCookie(rb) != "")
	}
	check("after a reset", "a brand new long password")
}

// TestRemovingAPasskeyNeedsRecentAuthAndTheFactor: DELETE /me/passkeys/{id} and the Safety Check's
// form need recent authentication and the passkey's own answer, a code or a recovery code.
func TestRemovingAPasskeyNeedsRecentAuthAndTheFactor(t *testing.T) {
	t.Parallel()
	app := passkeyApp(t)
	c := acctAPIUser(t, app, "pk-remove@example.org")
	a := testutil.NewAuthenticator(app.Config.BaseURL)
	codes := enrollPasskey(t, c, a)
	id := passkeyID(t, c)
	if r := c.JSON(http.MethodDelete, "/api/v1/me/passkeys/"+id, map[string]string{}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("removal without proof: %d %s", r.Status, r.Body)
	}
	if r := c.JSON(http.MethodDelete, "/api/v1/me/passkeys/nope", map[string]string{"recovery_code": codes[0]}); r.Status != http.StatusNotFound {
		t.Errorf("an unknown passkey: %d %s", r.Status, r.Body)
	}
	app.Clock.Advance(11 * time.Minute)
	if r := c.JSON(http.MethodDelete, "/api/v1/me/passkeys/"+id, map[string]string{"recovery_code": codes[1]}); r.Status != http.StatusForbidden || !strings.Contains(r.Body, "reauth_required") {
		t.Errorf("removal without recent authentication: %d %s", r.Status, r.Body)
	}
	if r := c.JSON(http.MethodPost, "/api/v1/auth/reauth", map[string]string{"password": testutil.Password}); r.Status != http.StatusNoContent && r.Status != http.StatusOK {
		t.Fatalf("reauth: %d %s", r.Status, r.Body)
	}
	cer, opts := begun(t, c.JSON(http.MethodPost, "/api/v1/me/passkeys/"+id+"/confirm", nil))
	if r := c.JSON(http.MethodDelete, "/api/v1/me/passkeys/"+id, map[string]any{"ceremony": cer, "credential": json.RawMessage(a.Get(t, opts, nil))}); r.Status != http.StatusNoContent {
		t.Fatalf("removal with its own answer: %d %s", r.Status, r.Body)
	}
	var sec struct {
		Factors struct {
			Passkeys []any `json:"passkeys"`
			Left     int   `json:"recovery_codes_left"`
		} `json:"second_factors"`
	}
	c.Get("/api/v1/me/security").JSON(t, &sec)
	if len(sec.Factors.Passkeys) != 0 || sec.Factors.Left != 0 {
		t.Errorf("after removing the only passkey: %+v", sec.Factors)
	}
	r := app.Client().JSON(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": "pk-remove@example.org", "password": testutil.Password})
	if r.Status != http.StatusOK {
		t.Errorf("the password alone after the last factor went: %d %s", r.Status, r.Body)
	}

	// The page form, with a recovery code, keeps what was typed wrong on a failure.
	b := acctBrowserUser(t, app, "pk-remove-page@example.org")
	codes = enrollPasskey(t, b, testutil.NewAuthenticator(app.Config.BaseURL))
	id = passkeyID(t, b)
	b.Get("/safety-check")
	if r := b.PostForm("/safety-check/passkeys/"+id+"/remove", testutil.Form("code", "123")); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="code-`+id+`-error"`) {
		t.Errorf("page removal with a wrong code: %d", r.Status)
	}
	if r := b.PostForm("/safety-check/passkeys/"+id+"/remove", testutil.Form("recovery_code", codes[0])); r.Status != http.StatusSeeOther {
		t.Errorf("page removal with a recovery code: %d %s", r.Status, r.Body)
	}
	if page := b.Get("/safety-check"); !strings.Contains(page.Body, "No passkey yet") {
		t.Error("the Safety Check still lists the removed passkey")
	}
}
