package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/mendhq/mend/internal/testutil"
)

// keptJS returns every text app.js keeps in this browser, joined by "|".
const keptJS = `(function () {
  var out = [];
  for (var i = 0; i < localStorage.length; i++) {
    var k = localStorage.key(i);
    if (k.indexOf("mend.keep.") === 0) { out.push(localStorage.getItem(k)); }
  }
  return out.join("|");
})()`

// TestKeptTextStaysWithItsWriter: text typed (unsent) into a check-in is kept per person, so a partner who
// signs in on the same browser never sees it, and the quick-exit control forgets it.
func TestKeptTextStaysWithItsWriter(t *testing.T) {
	srv := Start(t)
	ctx := NewBrowser(t, Phone)
	other := NewBrowser(t, Desktop)
	ua := SignUp(t, ctx, srv, "kim@example.org", "Kim")
	ub := SignUp(t, other, srv, "lee@example.org", "Lee")
	Pair(t, srv, ua, ub)
	page := srv.URL + "/checkins/" + ciThisWeek(t)
	var kept string
	Visit(t, ctx, page)
	Run(t, ctx, ciStep("#f-need"), chromedp.SendKeys("#f-need", "kept-canary unsent words", chromedp.ByQuery))
	Run(t, ctx,
		chromedp.Evaluate(keptJS, &kept),
	)
	if !strings.Contains(kept, "kept-canary") {
		t.Fatalf("the typed text was not kept: %q", kept)
	}
	// Kim's session ends without signing out (so nothing clears the browser), then Lee signs in on
	// Kim's browser and opens the same week.
	if err := srv.Server.Accounts().RevokeOthers(context.Background(), ua, ""); err != nil {
		t.Fatal(err)
	}
	var need string
	Run(t, ctx,
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.WaitVisible("#email", chromedp.ByQuery),
		chromedp.SendKeys("#email", "lee@example.org", chromedp.ByQuery),
		chromedp.SendKeys("#password", testutil.Password, chromedp.ByQuery),
		chromedp.Click(`form[action="/login"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`form[action="/login"]`, chromedp.ByQuery),
		chromedp.Navigate(page),
		chromedp.WaitReady("#f-need", chromedp.ByQuery),
		chromedp.Value("#f-need", &need, chromedp.ByQuery),
	)
	if strings.Contains(need, "kept-canary") {
		t.Fatalf("Kim's unsent text appeared in Lee's form: %q", need)
	}
	// Quick exit forgets every kept text in this browser.
	Run(t, ctx,
		chromedp.Evaluate(`document.getElementById("quick-exit").setAttribute("data-url", "about:blank")`, nil),
		chromedp.Click("#quick-exit", chromedp.ByQuery),
		chromedp.Navigate(srv.URL+"/healthz"),
		chromedp.Evaluate(keptJS, &kept),
	)
	if kept != "" {
		t.Fatalf("kept text remains after the quick exit: %q", kept)
	}
}
