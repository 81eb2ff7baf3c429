package browsertest

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/testutil"
)

// onLocalhost serves the test Mend as http://localhost:port: a passkey's relying party id is a host
// name (never an address), and the browser treats localhost as a secure context.
func onLocalhost(c *config.Config) {
	_, port, _ := net.SplitHostPort(c.Addr)
	c.BaseURL = "http://localhost:" + port
}

// signOut submits the layout's sign-out form and waits for the sign-in page.
func signOut(t *testing.T, ctx context.Context) {
	t.Helper()
	Run(t, ctx, chromedp.Click(`form[action="/logout"] button`, chromedp.ByQuery), chromedp.WaitVisible(`form[action="/login"]`, chromedp.ByQuery))
}

// TestPasskeyEnrolAndSignInOnAPhone covers SECURITY K3 in the real browser, with Chromium's virtual
// authenticator (user verification on): on a phone viewport a person adds a passkey on the Safety Check,
// keeps the recovery codes it gives, signs out, signs in with the passkey alone, and then after their
// password uses the passkey as the second step.
func TestPasskeyEnrolAndSignInOnAPhone(t *testing.T) {
	t.Parallel()
	srv := Start(t, onLocalhost)
	ctx := NewBrowser(t, Phone)
	var authID webauthn.AuthenticatorID
	Run(t, ctx, webauthn.Enable(), chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		authID, err = webauthn.AddVirtualAuthenticator(&webauthn.VirtualAuthenticatorOptions{
			Protocol: webauthn.AuthenticatorProtocolCtap2, Ctap2version: webauthn.Ctap2versionCtap21,
			Transport: webauthn.AuthenticatorTransportInternal, HasResidentKey: true, HasUserVerification: true,
			IsUserVerified: true, AutomaticPresenceSimulation: true,
		}).Do(ctx)
		return err
	}))
	const email = "passkey-phone@example.org"
	SignUp(t, ctx, srv, email, "Robin")

	Visit(t, ctx, srv.URL+"/safety-check")
	var codes []string
	Run(t, ctx,
		chromedp.WaitVisible(`[data-passkey="add"] [data-passkey-start]`, chromedp.ByQuery),
		chromedp.SendKeys("#passkey-name", "My phone", chromedp.ByQuery),
		chromedp.Click(`[data-passkey="add"] [data-passkey-start]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-passkey-codes] li`, chromedp.ByQuery),
		chromedp.Evaluate(`Array.from(document.querySelectorAll("[data-passkey-codes] li")).map(li => li.textContent)`, &codes),
	)
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown after the first passkey", len(codes))
	}
	Axe(t, ctx)
	var text string
	Run(t, ctx, chromedp.Click(`[data-passkey-codes] a`, chromedp.ByQuery), chromedp.WaitVisible(`.passkey-row`, chromedp.ByQuery),
		chromedp.Text("#password", &text, chromedp.ByQuery))
	if !strings.Contains(text, "My phone") {
		t.Errorf("the Safety Check does not list the new passkey: %q", text)
	}
	Axe(t, ctx)
	var creds []*webauthn.Credential
	Run(t, ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		creds, err = webauthn.GetCredentials(authID).Do(ctx)
		return err
	}))
	if len(creds) != 1 || !creds[0].IsResidentCredential || creds[0].RpID != "localhost" {
		t.Fatalf("the authenticator holds %+v", creds)
	}

	// Signed out, the passkey alone signs in.
	signOut(t, ctx)
	Visit(t, ctx, srv.URL+"/login?next=/account")
	var loc string
	Run(t, ctx,
		chromedp.WaitVisible(`[data-passkey="sign-in"] [data-passkey-start]`, chromedp.ByQuery),
		chromedp.Click(`[data-passkey="sign-in"] [data-passkey-start]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#password-heading`, chromedp.ByQuery),
		chromedp.Location(&loc),
	)
	if !strings.HasSuffix(loc, "/account") {
		t.Errorf("after the passkey the browser is at %s, want /account", loc)
	}

	// After the password, the second step offers the passkey, and it completes the step.
	signOut(t, ctx)
	Run(t, ctx,
		chromedp.SendKeys("#email", email, chromedp.ByQuery),
		chromedp.SendKeys("#password", testutil.Password, chromedp.ByQuery),
		chromedp.Click(`form[action="/login"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-passkey="second-factor"] [data-passkey-start]`, chromedp.ByQuery),
	)
	Axe(t, ctx)
	Run(t, ctx,
		chromedp.Click(`[data-passkey="second-factor"] [data-passkey-start]`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[action="/logout"]`, chromedp.ByQuery),
		chromedp.Location(&loc),
	)
	if strings.Contains(loc, "/login") {
		t.Errorf("the second step with the passkey left the browser at %s", loc)
	}
	Run(t, ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		creds, err = webauthn.GetCredentials(authID).Do(ctx)
		return err
	}))
	if len(creds) != 1 || creds[0].SignCount < 2 {
		t.Errorf("the passkey was not used twice: %+v", creds)
	}
}

// TestTOTPJourneyOnAPhone is two-step sign-in in the real browser, with codes computed from the secret
// at the injected clock (SECURITY K1): enrol from the page's key, sign out, sign in with a code, lose
// the phone and sign in with a recovery code, which then works no more.
func TestTOTPJourneyOnAPhone(t *testing.T) {
	t.Parallel()
	clock := testutil.NewClock(time.Now())
	srv := StartWith(t, server.Deps{Now: clock.Now})
	ctx := NewBrowser(t, Phone)
	const email = "totp-phone@example.org"
	SignUp(t, ctx, srv, email, "Quinn")

	Visit(t, ctx, srv.URL+"/account/two-step")
	var secret string
	Run(t, ctx,
		chromedp.Click(`form[action="/account/two-step/start"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`code.secret`, chromedp.ByQuery),
		chromedp.Text(`code.secret`, &secret, chromedp.ByQuery),
	)
	Axe(t, ctx)
	code := func() string {
		c, err := totp.GenerateCode(strings.TrimSpace(secret), clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	var codes []string
	Run(t, ctx,
		chromedp.SendKeys("#code", code(), chromedp.ByQuery),
		chromedp.Click(`form[action="/account/two-step/confirm"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`.recovery-codes`, chromedp.ByQuery),
		chromedp.Evaluate(`Array.from(document.querySelectorAll(".recovery-codes code")).map(c => c.textContent)`, &codes),
	)
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes", len(codes))
	}
	Axe(t, ctx)

	passwordStep := func() {
		t.Helper()
		Run(t, ctx,
			chromedp.SendKeys("#email", email, chromedp.ByQuery),
			chromedp.SendKeys("#password", testutil.Password, chromedp.ByQuery),
			chromedp.Click(`form[action="/login"] button[type=submit]`, chromedp.ByQuery),
			chromedp.WaitVisible(`form[action="/login/second-factor"]`, chromedp.ByQuery),
		)
	}
	signOut(t, ctx)
	clock.Advance(30 * time.Second) // the enrolment's code is spent
	passwordStep()
	Axe(t, ctx)
	Run(t, ctx,
		chromedp.SendKeys("#code", code(), chromedp.ByQuery),
		chromedp.Click(`form[action="/login/second-factor"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[action="/logout"]`, chromedp.ByQuery),
	)

	// The phone is lost: a recovery code signs in once.
	signOut(t, ctx)
	recovery := func() {
		t.Helper()
		Run(t, ctx,
			chromedp.Click(`form[action="/login/second-factor"] summary`, chromedp.ByQuery),
			chromedp.SendKeys("#recovery_code", codes[0], chromedp.ByQuery),
			chromedp.Click(`form[action="/login/second-factor"] button[type=submit]`, chromedp.ByQuery),
		)
	}
	passwordStep()
	recovery()
	Run(t, ctx, chromedp.WaitVisible(`form[action="/logout"]`, chromedp.ByQuery))
	signOut(t, ctx)
	passwordStep()
	recovery()
	var msg string
	Run(t, ctx, chromedp.WaitVisible(`form[action="/login/second-factor"] .field-error, .form-error, [role=alert]`, chromedp.ByQuery),
		chromedp.Text("main", &msg, chromedp.ByQuery))
	if !strings.Contains(msg, "didn't work") {
		t.Errorf("a recovery code used twice: %q", msg)
	}
	var cookies int
	Run(t, ctx, chromedp.Evaluate(`document.querySelectorAll('form[action="/logout"]').length`, &cookies))
	if cookies != 0 {
		t.Error("a recovery code used twice signed in")
	}
}
