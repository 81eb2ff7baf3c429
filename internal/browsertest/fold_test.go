package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// holdAppScript makes the browser wait for app.js until release is called (or, with fail, never get
// it): the page is parsed and drawn without the script, as on a slow phone network.
func holdAppScript(t *testing.T, ctx context.Context, fail bool) (release func()) {
	t.Helper()
	paused := make(chan fetch.RequestID, 1)
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			select { // an earlier hold's listener stays registered: only the first pause is this one's
			case paused <- e.RequestID:
			default:
			}
		}
	})
	// A cached app.js would never be asked for, so the cache is off for this browser.
	Run(t, ctx, network.Enable(), network.SetCacheDisabled(true), fetch.Enable().WithPatterns([]*fetch.RequestPattern{{URLPattern: "*/js/app.*"}}))
	return func() {
		t.Helper()
		id := <-paused
		if fail {
			Run(t, ctx, fetch.FailRequest(id, network.ErrorReasonConnectionFailed), fetch.Disable())
			return
		}
		Run(t, ctx, fetch.ContinueRequest(id), fetch.Disable())
	}
}

// navigateParsed opens url without waiting for its load event (which waits for a held script) and
// returns once the document is parsed and its stylesheets are in: the state of the first paint, since
// a stylesheet in the head blocks painting (but not parsing, so on a slow machine the last step can be
// parsed before the stylesheet has arrived).
func navigateParsed(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	Run(t, ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		_, _, _, _, err := page.Navigate(url).Do(ctx)
		return err
	}), chromedp.WaitReady("form[data-steps] section.step:last-of-type", chromedp.ByQuery),
		chromedp.Poll(`[...document.querySelectorAll('link[rel="stylesheet"]')].every(l => l.sheet !== null)`, nil))
}

// layoutShift is the sum of the page's layout shifts so far (what Lighthouse counts as CLS for a page
// this short).
func layoutShift(t *testing.T, ctx context.Context) float64 {
	t.Helper()
	var sum float64
	eval(t, ctx, `(() => {
		const o = new PerformanceObserver(() => {});
		o.observe({type: "layout-shift", buffered: true});
		const s = o.takeRecords().filter(e => !e.hadRecentInput).reduce((a, e) => a + e.value, 0);
		o.disconnect();
		return s;
	})()`, &sum)
	return sum
}

// TestCheckinStepsFoldBeforeTheFirstPaint: the stepped check-in is drawn one step at a time from its
// first paint, its counter already filled in, while app.js is still on its way (no jump when the
// script arrives); the page never shifts under the reader. When the script never comes, the form
// unfolds into the one page it is without JavaScript.
func TestCheckinStepsFoldBeforeTheFirstPaint(t *testing.T) {
	srv := Start(t)
	ctx := NewBrowser(t, Phone)
	ua := SignUp(t, ctx, srv, "fold@example.org", "Ines")
	other := NewBrowser(t, Phone)
	ub := SignUp(t, other, srv, "fold-b@example.org", "Omar")
	Pair(t, srv, ua, ub)
	page := srv.URL + "/checkins/" + ciThisWeek(t)

	release := holdAppScript(t, ctx, false)
	navigateParsed(t, ctx, page)
	s := readSteps(t, ctx)
	if s.Visible != 1 || s.CounterHidden || s.Count != "Step 1 of 6: Something I appreciated" || s.Value != 1 || s.Max != 6 {
		t.Errorf("before the script arrives the page shows %+v, want only the first step, counted", s)
	}
	release()
	Run(t, ctx, chromedp.WaitReady("form[data-steps].stepping", chromedp.ByQuery))
	if s := readSteps(t, ctx); s.Visible != 1 || s.Count != "Step 1 of 6: Something I appreciated" {
		t.Errorf("with the script: %+v", s)
	}
	if cls := layoutShift(t, ctx); cls != 0 {
		t.Errorf("the check-in shifted by %v while loading, want 0", cls)
	}
	// A shared week opens at its review, folded as well.
	Run(t, ctx, ciStep("fieldset#f-trust"), ciRate("trust", 6), ciRate("connection", 7), ciRate("safety", 8))
	Run(t, ctx, chromedp.Click(`.step-skip`, chromedp.ByQuery))
	Run(t, ctx, SubmitAndLoad(`button[value="share"]`, `location.search.includes("saved=shared")`))
	release = holdAppScript(t, ctx, false)
	navigateParsed(t, ctx, page)
	s = readSteps(t, ctx)
	if s.Visible != 1 || !strings.HasPrefix(s.Count, "Step 6 of 6: Review and share") {
		t.Errorf("a shared week before the script: %+v, want only the review", s)
	}
	var review string
	Run(t, ctx, chromedp.Text("[data-step-review]", &review, chromedp.ByQuery))
	if !strings.Contains(review, "Trust: 6") || !strings.Contains(review, "Not answered") {
		t.Errorf("the review before the script: %q", review)
	}
	release()
	Run(t, ctx, chromedp.WaitReady("form[data-steps].stepping", chromedp.ByQuery))
	if cls := layoutShift(t, ctx); cls != 0 {
		t.Errorf("the shared week shifted by %v while loading, want 0", cls)
	}

	// The script never arrives: once the page has loaded, every step is there, as without JavaScript.
	lost := other
	release = holdAppScript(t, lost, true)
	navigateParsed(t, lost, page)
	release()
	Run(t, lost, chromedp.Poll(`document.readyState === "complete" && document.documentElement.classList.contains("unstepped")`, nil))
	if s := readSteps(t, lost); s.Visible != 6 || !s.CounterHidden {
		t.Errorf("without app.js the form shows %+v, want all 6 steps and no counter", s)
	}
}
