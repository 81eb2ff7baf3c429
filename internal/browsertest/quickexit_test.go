package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/testutil"
)

// neutralSite is a stand-in for MEND_QUICK_EXIT_URL on another origin of this machine.
func neutralSite(t *testing.T) string {
	t.Helper()
	ns := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html lang="en"><title>Weather</title><h1 id="neutral">Weather</h1></html>`)
	}))
	t.Cleanup(ns.Close)
	return ns.URL + "/weather"
}

// quickExitUser signs up in ctx, pairs with a partner and leaves the browser on the private progress page
// (the safety chart), after the dashboard.
func quickExitUser(t *testing.T, ctx context.Context, srv *Server, email string) {
	t.Helper()
	uid := SignUp(t, ctx, srv, email, "Kim")
	partner, err := srv.Server.Accounts().Register(context.Background(), "partner-"+email, testutil.Password, "Lee")
	if err != nil {
		t.Fatal(err)
	}
	Pair(t, srv, uid, partner.ID)
	Run(t, ctx,
		chromedp.Navigate(srv.URL+"/dashboard"), chromedp.WaitVisible("#couple-heading", chromedp.ByQuery),
		chromedp.Navigate(srv.URL+"/progress"), chromedp.WaitVisible("#quick-exit", chromedp.ByQuery),
	)
}

// backShowsSignIn goes Back from the neutral site and checks the sign-in page shows, on the way back to
// from (the page Back went to), and that the safety chart asks for a password too.
func backShowsSignIn(t *testing.T, ctx context.Context, srv *Server, back chromedp.Action, from string) {
	t.Helper()
	var loc string
	Run(t, ctx, back, chromedp.WaitVisible(`form[action="/login"]`, chromedp.ByQuery), chromedp.Location(&loc))
	if want := srv.URL + "/login?next=" + url.QueryEscape(from); loc != want {
		t.Errorf("Back after quick exit shows %s, want the sign-in page %s", loc, want)
	}
	Run(t, ctx, chromedp.Navigate(srv.URL+"/progress"), chromedp.WaitVisible(`form[action="/login"]`, chromedp.ByQuery), chromedp.Location(&loc))
	if !strings.HasPrefix(loc, srv.URL+"/login") {
		t.Errorf("the safety chart after quick exit: %s, want the sign-in page", loc)
	}
}

// TestQuickExitSignsOutAndBackShowsSignIn: Escape pressed twice (with JavaScript) and the control's form
// (without) both leave for the neutral site and end the session, so one Back press shows the sign-in
// page, not Mend's private pages.
func TestQuickExitSignsOutAndBackShowsSignIn(t *testing.T) {
	neutral := neutralSite(t)
	srv := Start(t, func(c *config.Config) { c.QuickExitURL = neutral })

	t.Run("Escape twice, with JavaScript", func(t *testing.T) {
		ctx := NewBrowser(t, Phone)
		quickExitUser(t, ctx, srv, "esc@example.org")
		var loc string
		Run(t, ctx,
			chromedp.KeyEvent(kb.Escape), chromedp.KeyEvent(kb.Escape),
			chromedp.WaitVisible("#neutral", chromedp.ByQuery), chromedp.Location(&loc),
		)
		if loc != neutral {
			t.Fatalf("Escape twice went to %s, want the neutral site", loc)
		}
		// The page left at once; the beacon it sent ends the session on the server (a form post would
		// have answered 303): wait for its answer before pressing Back.
		if err := srv.Logs.WaitFor(ctx, `"method":"POST","route":"/quick-exit","status":204`); err != nil {
			t.Fatalf("the quick-exit beacon was never answered: %v", err)
		}
		// The page replaced itself in history: Back skips it and goes to the page before.
		backShowsSignIn(t, ctx, srv, chromedp.Evaluate(`history.back()`, nil), "/dashboard")
	})

	t.Run("the form, without JavaScript", func(t *testing.T) {
		ctx := NewBrowser(t, Phone)
		Run(t, ctx, emulation.SetScriptExecutionDisabled(true))
		quickExitUser(t, ctx, srv, "nojs@example.org")
		var loc string
		Run(t, ctx,
			chromedp.Click("#quick-exit", chromedp.ByQuery),
			chromedp.WaitVisible("#neutral", chromedp.ByQuery), chromedp.Location(&loc),
		)
		if loc != neutral {
			t.Fatalf("the quick-exit form went to %s, want the neutral site", loc)
		}
		backShowsSignIn(t, ctx, srv, chromedp.NavigateBack(), "/progress")
	})
}
