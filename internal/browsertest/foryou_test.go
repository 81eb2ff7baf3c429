package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/mendhq/mend/internal/account"
)

// TestForYouAndForgotPasswordInBrowser: the sign-in page's "Forgot your password?" leads to its page
// (which, without e-mail set up, says to ask whoever runs Mend), and after a sign-in from a device the
// account had not used, the home page opens with "For you" naming it; "Mark all as seen" works without
// JavaScript. Both pages pass axe.
func TestForYouAndForgotPasswordInBrowser(t *testing.T) {
	srv := Start(t)
	ctx := context.Background()
	u, err := srv.Server.Accounts().Register(ctx, "ash@example.org", "a long walk by the river", "Ash")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Server.Accounts().Record(ctx, u.ID, account.EventSignIn, "curl/8.5.0"); err != nil {
		t.Fatal(err)
	}
	phone := NewBrowser(t, Phone)
	Visit(t, phone, srv.URL+"/login")
	Run(t, phone, chromedp.Click(`a[href="/forgot-password"]`, chromedp.ByQuery), chromedp.WaitVisible("main h1", chromedp.ByQuery))
	if text := bodyText(t, phone); !strings.Contains(text, "Forgot your password?") || !strings.Contains(text, "Ask whoever runs it") {
		t.Errorf("the forgot-password page: %s", text)
	}
	Axe(t, phone)

	Visit(t, phone, srv.URL+"/login")
	submit(t, phone, map[string]string{"#email": "ash@example.org", "#password": "a long walk by the river"}, `form[action="/login"] button`, "#for-you-heading")
	text := Visit(t, phone, srv.URL+"/dashboard")
	if !strings.Contains(text, "For you") || !strings.Contains(text, "A new device signed in to your account.") || !strings.Contains(text, "New") {
		t.Fatalf("the home page: %s", text)
	}
	Axe(t, phone)
	Screenshot(t, phone, "for-you")
	// The form posts and the home page comes back with everything seen: no badge, no form.
	Run(t, phone, chromedp.Click(`form[action="/updates/seen"] button`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`form[action="/updates/seen"]`, chromedp.ByQuery))
	var badges int
	Run(t, phone, chromedp.Evaluate(`document.querySelectorAll('.for-you .badge').length`, &badges))
	if badges != 0 {
		t.Errorf("after marking all as seen, %d updates are still new", badges)
	}
}
