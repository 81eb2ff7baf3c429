package browsertest

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/mendhq/mend/internal/testutil"
)

// SignUp registers through the real form with testutil.Password, leaving the browser signed in, and
// returns the new user's id.
func SignUp(t *testing.T, ctx context.Context, srv *Server, email, name string) string {
	t.Helper()
	Run(t, ctx,
		chromedp.Navigate(srv.URL+"/register"),
		chromedp.WaitVisible("#email", chromedp.ByQuery),
		chromedp.SendKeys("#display_name", name, chromedp.ByQuery),
		chromedp.SendKeys("#email", email, chromedp.ByQuery),
		chromedp.SendKeys("#password", testutil.Password, chromedp.ByQuery),
		chromedp.Click(`form[action="/register"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`form[action="/register"]`, chromedp.ByQuery),
	)
	u, err := srv.Server.Accounts().UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatalf("registered user %s: %v", email, err)
	}
	return u.ID
}

// Pair makes users a and b one couple (Europe/London, check-ins on Sunday) through the couple service.
func Pair(t *testing.T, srv *Server, a, b string) {
	t.Helper()
	ctx := context.Background()
	cs := srv.Server.Couples()
	c, err := cs.Start(ctx, a, "Europe/London", "sunday")
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	tok, _, err := cs.CreateInvite(ctx, c.ID, a)
	if err != nil {
		t.Fatalf("invite: %v", err)
	}
	if _, err := cs.Join(ctx, b, tok); err != nil {
		t.Fatalf("join: %v", err)
	}
}
