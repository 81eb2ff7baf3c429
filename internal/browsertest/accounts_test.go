package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// submit types into empty form fields by CSS selector, clicks button and waits for waitFor on the next page.
func submit(t *testing.T, ctx context.Context, fields map[string]string, button, waitFor string) {
	t.Helper()
	var actions []chromedp.Action
	for sel, text := range fields {
		actions = append(actions, chromedp.SendKeys(sel, text, chromedp.ByQuery))
	}
	actions = append(actions, chromedp.Click(button, chromedp.ByQuery), chromedp.WaitVisible(waitFor, chromedp.ByQuery))
	Run(t, ctx, actions...)
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	var loc string
	Run(t, ctx, chromedp.Location(&loc))
	return loc
}

func bodyText(t *testing.T, ctx context.Context) string {
	t.Helper()
	var text string
	Run(t, ctx, chromedp.Text("body", &text, chromedp.ByQuery))
	return text
}

// TestAccountsInBrowser registers, signs out, signs in, changes the password, signs in from a second
// browser, sees both devices and signs the other one out; axe checks every page on the way.
func TestAccountsInBrowser(t *testing.T) {
	srv := Start(t)
	const email = "robin@example.org"
	phone := NewBrowser(t, Phone)

	Visit(t, phone, srv.URL+"/register?next=/account")
	submit(t, phone, map[string]string{"#display_name": "Robin", "#email": email, "#password": "short"}, `form[action="/register"] button`, "#password-error")
	Axe(t, phone) // the form shown again with its errors
	submit(t, phone, map[string]string{"#password": "quiet evening by the sea"}, `form[action="/register"] button`, "#devices-heading")
	Axe(t, phone)
	if !strings.HasSuffix(location(t, phone), "/account") {
		t.Fatalf("after registering: %s", location(t, phone))
	}

	Run(t, phone, chromedp.Click(`footer form[action="/logout"] button`, chromedp.ByQuery), chromedp.WaitVisible(`form[action="/login"]`, chromedp.ByQuery))
	Axe(t, phone)
	if !strings.Contains(bodyText(t, phone), "You are signed out.") {
		t.Error("sign-out is not confirmed")
	}

	Visit(t, phone, srv.URL+"/login?next=/account")
	submit(t, phone, map[string]string{"#email": email, "#password": "not my password"}, `form[action="/login"] button`, `.notice.error`)
	Axe(t, phone)
	submit(t, phone, map[string]string{"#password": "quiet evening by the sea"}, `form[action="/login"] button`, "#devices-heading")

	submit(t, phone, map[string]string{"#current_password": "quiet evening by the sea", "#new_password": "a walk before breakfast"},
		`form[action="/account/password"] button`, ".notice")
	if !strings.Contains(bodyText(t, phone), "Your password is changed.") {
		t.Fatalf("password change not confirmed: %s", bodyText(t, phone))
	}
	Axe(t, phone)

	laptop := NewBrowser(t, Desktop)
	Visit(t, laptop, srv.URL+"/login?next=/account")
	submit(t, laptop, map[string]string{"#email": email, "#password": "a walk before breakfast"}, `form[action="/login"] button`, "#devices-heading")

	text := Visit(t, phone, srv.URL+"/account")
	var devices int
	Run(t, phone, chromedp.Evaluate(`document.querySelectorAll(".devices li").length`, &devices))
	if devices != 2 || !strings.Contains(text, "This device") || !strings.Contains(text, "Chrome on Linux") {
		t.Fatalf("account page lists %d devices, want 2: %s", devices, text)
	}
	Screenshot(t, phone, "account-two-devices")

	Run(t, phone, chromedp.Click(`.devices form button`, chromedp.ByQuery), chromedp.WaitVisible(".notice", chromedp.ByQuery))
	if !strings.Contains(bodyText(t, phone), "That device is signed out.") {
		t.Error("signing the other device out is not confirmed")
	}
	Run(t, phone, chromedp.Evaluate(`document.querySelectorAll(".devices li").length`, &devices))
	if devices != 1 {
		t.Errorf("after signing the other out, %d devices are listed", devices)
	}
	Axe(t, phone)

	Run(t, laptop, chromedp.Navigate(srv.URL+"/account"), chromedp.WaitVisible(`form[action="/login"]`, chromedp.ByQuery))
	if loc := location(t, laptop); !strings.Contains(loc, "/login?next=") {
		t.Errorf("the signed-out browser is at %s, want the sign-in page", loc)
	}
	if !strings.Contains(bodyText(t, laptop), "You were signed out.") {
		t.Error("the signed-out browser is not told why")
	}
	Axe(t, laptop)
	Screenshot(t, laptop, "signed-out")

	Visit(t, phone, srv.URL+"/reauth?next=/account")
	submit(t, phone, map[string]string{"#password": "a walk before breakfast"}, `form[action="/reauth"] button`, "#devices-heading")
	Screenshot(t, phone, "account")
}

// TestResetPageInBrowser opens a reset link like the one `mend user reset-password` prints.
func TestResetPageInBrowser(t *testing.T) {
	srv := Start(t)
	ctx := context.Background()
	if _, err := srv.Server.Accounts().Register(ctx, "kim@example.org", "the old password here", "Kim"); err != nil {
		t.Fatal(err)
	}
	plain, err := srv.Server.Accounts().CreateResetToken(ctx, "kim@example.org")
	if err != nil {
		t.Fatal(err)
	}
	b := NewBrowser(t, Phone)
	Visit(t, b, srv.URL+"/reset/"+plain)
	submit(t, b, map[string]string{"#new_password": "a new start for kim"}, "main form button", `form[action="/login"]`)
	if !strings.Contains(bodyText(t, b), "Your new password is set") {
		t.Error("the sign-in page does not confirm the reset")
	}
	Axe(t, b)
	text := Visit(t, b, srv.URL+"/reset/"+plain)
	if !strings.Contains(text, "expired or was already used") {
		t.Errorf("a used link: %s", text)
	}
	Screenshot(t, b, "reset-used")
}
