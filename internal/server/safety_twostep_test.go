package server_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/mendhq/mend/internal/testutil"
)

// totpNow is the authenticator's code for secret at the app's clock.
func totpNow(t *testing.T, app *testutil.App, secret string) string {
	t.Helper()
	code, err := totp.GenerateCode(secret, app.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// enrollTOTP turns two-step sign-in on for c through the API and returns the secret and recovery codes;
// the clock moves on a window so the first code is spent.
func enrollTOTP(t *testing.T, app *testutil.App, c *testutil.Client) (string, []string) {
	t.Helper()
	r := c.JSON(http.MethodPost, "/api/v1/me/totp", nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST /me/totp: %d %s", r.Status, r.Body)
	}
	var start struct {
		Secret string `json:"secret"`
		URL    string `json:"otpauth_url"`
	}
	r.JSON(t, &start)
	if start.Secret == "" || !strings.HasPrefix(start.URL, "otpauth://totp/") || !strings.Contains(start.URL, "secret="+start.Secret) {
		t.Fatalf("enrolment answer: %+v", start)
	}
	if r := c.JSON(http.MethodPost, "/api/v1/me/totp/confirm", map[string]string{"code": "000000"}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("confirm with a wrong code: %d %s", r.Status, r.Body)
	}
	r = c.JSON(http.MethodPost, "/api/v1/me/totp/confirm", map[string]string{"code": totpNow(t, app, start.Secret)})
	if r.Status != http.StatusOK {
		t.Fatalf("confirm: %d %s", r.Status, r.Body)
	}
	var done struct {
		Codes []string `json:"recovery_codes"`
	}
	r.JSON(t, &done)
	if len(done.Codes) != 10 {
		t.Fatalf("%d recovery codes", len(done.Codes))
	}
	app.Clock.Advance(30 * time.Second)
	return start.Secret, done.Codes
}

// challengeOf signs in through the API with the password and returns the second-factor challenge.
func challengeOf(t *testing.T, app *testutil.App, email string) string {
	t.Helper()
	r := app.Client().JSON(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": email, "password": testutil.Password})
	if r.Status != http.StatusUnauthorized {
		t.Fatalf("password login with two-step on: %d %s", r.Status, r.Body)
	}
	var body struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
		Challenge string `json:"challenge"`
		Token     string `json:"token"`
	}
	r.JSON(t, &body)
	if body.Error.Code != "second_factor_required" || body.Challenge == "" || body.Token != "" {
		t.Fatalf("login answer: %s", r.Body)
	}
	if len(r.Header.Values("Set-Cookie")) != 0 {
		t.Errorf("the password step set a cookie: %v", r.Header.Values("Set-Cookie"))
	}
	return body.Challenge
}

func secondFactor(app *testutil.App, challenge, code, recovery string) *testutil.Response {
	return app.Client().JSON(http.MethodPost, "/api/v1/auth/login/second-factor", map[string]string{"challenge": challenge, "code": code, "recovery_code": recovery})
}

// TestTwoStepAPISignIn covers SECURITY K1 and K2 on the API: the password alone gives a challenge and
// never a session; a code completes it once; a replayed code, a reused or expired challenge and a
// recovery code used twice are refused; the challenge is not a bearer token.
func TestTwoStepAPISignIn(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	const email = "k1@example.org"
	c := acctAPIUser(t, app, email)
	secret, codes := enrollTOTP(t, app, c)

	ch := challengeOf(t, app, email)
	bearer := app.Client()
	bearer.Bearer = ch
	if r := bearer.Get("/api/v1/me"); r.Status != http.StatusUnauthorized {
		t.Errorf("the challenge used as a bearer token: %d", r.Status)
	}
	if r := secondFactor(app, ch, "000000", ""); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("wrong code: %d %s", r.Status, r.Body)
	}
	code := totpNow(t, app, secret)
	r := secondFactor(app, ch, code, "")
	if r.Status != http.StatusOK {
		t.Fatalf("second factor: %d %s", r.Status, r.Body)
	}
	tok, _ := r.Map(t)["token"].(string)
	if meStatus(t, app, tok) != http.StatusOK {
		t.Error("the token from the second step does not work")
	}
	if r := secondFactor(app, ch, totpNow(t, app, secret), ""); r.Status != http.StatusUnauthorized {
		t.Errorf("challenge reused: %d %s", r.Status, r.Body)
	}
	if r := secondFactor(app, challengeOf(t, app, email), code, ""); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("replayed code with a new challenge: %d %s", r.Status, r.Body)
	}

	if r := secondFactor(app, challengeOf(t, app, email), "", codes[0]); r.Status != http.StatusOK {
		t.Fatalf("recovery code: %d %s", r.Status, r.Body)
	}
	if r := secondFactor(app, challengeOf(t, app, email), "", codes[0]); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("recovery code used twice: %d %s", r.Status, r.Body)
	}

	expiring := challengeOf(t, app, email)
	app.Clock.Advance(5 * time.Minute)
	if r := secondFactor(app, expiring, totpNow(t, app, secret), ""); r.Status != http.StatusUnauthorized {
		t.Errorf("expired challenge: %d %s", r.Status, r.Body)
	}
	if r := secondFactor(app, "", totpNow(t, app, secret), ""); r.Status != http.StatusUnauthorized {
		t.Errorf("no challenge: %d", r.Status)
	}
}

// TestTwoStepCodesAreThrottled covers K1's throttle: wrong codes count like wrong passwords, so a
// challenge cannot be used to try codes without end.
func TestTwoStepCodesAreThrottled(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	const email = "throttle-k1@example.org"
	c := acctAPIUser(t, app, email)
	secret, _ := enrollTOTP(t, app, c)
	ch := challengeOf(t, app, email)
	limited := false
	for i := 0; i < 12 && !limited; i++ {
		limited = secondFactor(app, ch, "000000", "").Status == http.StatusTooManyRequests
	}
	if !limited {
		t.Fatal("a dozen wrong codes were never throttled")
	}
	if r := secondFactor(app, ch, totpNow(t, app, secret), ""); r.Status != http.StatusTooManyRequests {
		t.Errorf("a right code while throttled: %d, want 429", r.Status)
	}
}

var challengeField = regexp.MustCompile(`name="challenge" value="([^"]+)"`)

// TestTwoStepPageSignInAndReset covers K2 on the page sign-in and the reset link: the password step
// sets no session, the code step does; a reset signs nobody in, cancels a pending challenge and leaves
// two-step sign-in on.
func TestTwoStepPageSignInAndReset(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	const email = "k2-page@example.org"
	c := acctAPIUser(t, app, email)
	secret, _ := enrollTOTP(t, app, c)

	b := app.Client()
	b.Get("/login")
	r := b.PostForm("/login", testutil.Form("email", email, "password", testutil.Password, "next", "/account"))
	m := challengeField.FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || m == nil {
		t.Fatalf("password step: %d, challenge form: %v", r.Status, m != nil)
	}
	if sessionCookie(b) != "" {
		t.Fatal("the password step set a session cookie")
	}
	if r := b.Get("/dashboard"); r.Status != http.StatusSeeOther {
		t.Errorf("dashboard after the password step: %d, want a redirect to sign in", r.Status)
	}
	if r := b.PostForm("/login/second-factor", testutil.Form("challenge", m[1], "code", "000000", "next", "/account")); r.Status != http.StatusUnprocessableEntity || sessionCookie(b) != "" {
		t.Errorf("wrong code on the page: %d, cookie %v", r.Status, sessionCookie(b) != "")
	}
	r = b.PostForm("/login/second-factor", testutil.Form("challenge", m[1], "code", totpNow(t, app, secret), "next", "/account"))
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/account" || sessionCookie(b) == "" {
		t.Fatalf("code step: %d to %q, cookie %v", r.Status, r.Header.Get("Location"), sessionCookie(b) != "")
	}
	if r := b.Get("/account"); r.Status != http.StatusOK {
		t.Errorf("account after two steps: %d", r.Status)
	}
	again := app.Client()
	again.Get("/login")
	app.Clock.Advance(30 * time.Second)
	r = again.PostForm("/login/second-factor", testutil.Form("challenge", m[1], "code", totpNow(t, app, secret), "next", "/account"))
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login?notice=again") || sessionCookie(again) != "" {
		t.Errorf("a used challenge on the page: %d to %q, cookie %v", r.Status, r.Header.Get("Location"), sessionCookie(again) != "")
	}

	pending := challengeOf(t, app, email)
	plain, err := app.Server.Accounts().CreateResetToken(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	rb := app.Client()
	rb.Get("/reset/" + plain)
	r = rb.PostForm("/reset/"+plain, testutil.Form("new_password", "a brand new long password"))
	if r.Status != http.StatusSeeOther || sessionCookie(rb) != "" {
		t.Fatalf("reset: %d, cookie %v", r.Status, sessionCookie(rb) != "")
	}
	app.Clock.Advance(30 * time.Second)
	if r := secondFactor(app, pending, totpNow(t, app, secret), ""); r.Status != http.StatusUnauthorized {
		t.Errorf("a challenge from before the reset: %d, want 401", r.Status)
	}
	r = app.Client().JSON(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": email, "password": "a brand new long password"})
	if r.Status != http.StatusUnauthorized || !strings.Contains(r.Body, "second_factor_required") {
		t.Errorf("after a reset the new password alone: %d %s", r.Status, r.Body)
	}
}

// TestTwoStepOffNeedsRecentAuthAndTheFactor: DELETE /me/totp needs recent authentication and a right
// code or recovery code.
func TestTwoStepOffNeedsRecentAuthAndTheFactor(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	c := acctAPIUser(t, app, "k1-off@example.org")
	secret, codes := enrollTOTP(t, app, c)
	if r := c.JSON(http.MethodDelete, "/api/v1/me/totp", map[string]string{"code": "000000"}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("off with a wrong code: %d %s", r.Status, r.Body)
	}
	app.Clock.Advance(11 * time.Minute)
	if r := c.JSON(http.MethodDelete, "/api/v1/me/totp", map[string]string{"code": totpNow(t, app, secret)}); r.Status != http.StatusForbidden {
		t.Errorf("off without recent authentication: %d %s", r.Status, r.Body)
	}
	if r := c.JSON(http.MethodPost, "/api/v1/auth/reauth", map[string]string{"password": testutil.Password}); r.Status != http.StatusNoContent {
		t.Fatalf("reauth: %d", r.Status)
	}
	if r := c.JSON(http.MethodDelete, "/api/v1/me/totp", map[string]string{"recovery_code": codes[3]}); r.Status != http.StatusNoContent {
		t.Fatalf("off with a recovery code: %d %s", r.Status, r.Body)
	}
	if v := getSecurity(t, c); v.SecondFactors.TOTP {
		t.Error("still on")
	}
	app.Client().LoginAPI("k1-off@example.org", testutil.Password)
}

// TestTwoStepPageEnrolment: the page shows a QR code drawn by Mend (inline SVG, no image request) and
// the recovery codes once.
func TestTwoStepPageEnrolment(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	b := acctBrowserUser(t, app, "k1-page@example.org")
	b.Get("/account/two-step")
	if r := b.PostForm("/account/two-step/start", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("start: %d %s", r.Status, r.Body)
	}
	r := b.Get("/account/two-step")
	secret := regexp.MustCompile(`<code class="secret">([A-Z2-7]+)</code>`).FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `<svg class="qr"`) || secret == nil || strings.Contains(r.Body, "<img") {
		t.Fatalf("two-step page: %d, svg %v, secret %v", r.Status, strings.Contains(r.Body, `<svg class="qr"`), secret != nil)
	}
	r = b.PostForm("/account/two-step/confirm", testutil.Form("code", totpNow(t, app, secret[1])))
	codes := regexp.MustCompile(`<li><code>([a-z2-7-]+)</code></li>`).FindAllStringSubmatch(r.Body, -1)
	if r.Status != http.StatusOK || len(codes) != 10 {
		t.Fatalf("confirm page: %d, %d codes", r.Status, len(codes))
	}
	if r := b.Get("/account/two-step"); strings.Contains(r.Body, codes[0][1]) {
		t.Error("the recovery codes are shown again")
	}
}

// TestExportHasOwnHistoryAndNoSecrets: the export's security section holds the user's own sign-in history
// and whether two-step sign-in is on, never the secret or a recovery code.
func TestExportHasOwnHistoryAndNoSecrets(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	c := acctAPIUser(t, app, "k4-export@example.org")
	secret, codes := enrollTOTP(t, app, c)
	r := c.Get("/api/v1/me/export")
	if r.Status != http.StatusOK {
		t.Fatalf("export: %d %s", r.Status, r.Body)
	}
	var ex struct {
		Security struct {
			SignIns       []struct{ Kind string } `json:"sign_ins"`
			SecondFactors struct{ TOTP bool }     `json:"second_factors"`
		} `json:"security"`
	}
	r.JSON(t, &ex)
	if len(ex.Security.SignIns) == 0 || !ex.Security.SecondFactors.TOTP {
		t.Errorf("export's security section: %+v", ex.Security)
	}
	if strings.Contains(r.Body, secret) || strings.Contains(r.Body, codes[0]) {
		t.Error("the export holds the TOTP secret or a recovery code")
	}
}
