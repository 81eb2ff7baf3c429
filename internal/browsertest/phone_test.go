package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// eval evaluates a JavaScript expression on the current page into out, failing the test on error.
func eval(t *testing.T, ctx context.Context, expr string, out any) {
	t.Helper()
	Run(t, ctx, chromedp.Evaluate(expr, out))
}

// NoScript turns JavaScript off in the browser for every page it opens from now on.
func NoScript(t *testing.T, ctx context.Context) {
	t.Helper()
	Run(t, ctx, emulation.SetScriptExecutionDisabled(true))
}

// VisitNoScript is Visit for a browser with JavaScript off (NoScript): the page loads and lays out
// without its scripts; axe, itself a script, runs with scripts allowed for that moment only (the page's
// own scripts ran at load or never, so it stays the page without them).
func VisitNoScript(t *testing.T, ctx context.Context, url string) string {
	t.Helper()
	var text string
	Run(t, ctx, chromedp.Navigate(url), chromedp.WaitReady("body"), chromedp.Text("body", &text, chromedp.ByQuery))
	AxeNoScript(t, ctx)
	return text
}

// AxeNoScript runs Axe in a browser with JavaScript off (NoScript), which stays off.
func AxeNoScript(t *testing.T, ctx context.Context) {
	t.Helper()
	Run(t, ctx, emulation.SetScriptExecutionDisabled(false))
	Axe(t, ctx)
	Run(t, ctx, emulation.SetScriptExecutionDisabled(true))
}

// Touch makes the browser a touch screen without a fine pointer (pointer: coarse, hover: none).
func Touch(t *testing.T, ctx context.Context) {
	t.Helper()
	Run(t, ctx, emulation.SetTouchEmulationEnabled(true).WithMaxTouchPoints(5),
		emulation.SetEmitTouchEventsForMouse(true).WithConfiguration(emulation.SetEmitTouchEventsForMouseConfigurationMobile))
}

// tabBar describes the main navigation as laid out: where it sits, its labels, the current one and
// whether every entry has an icon.
type tabBar struct {
	Top, Bottom, ViewportH float64
	Labels                 []string
	Current                string
	Icons                  bool
}

func readTabBar(t *testing.T, ctx context.Context) tabBar {
	t.Helper()
	var tb tabBar
	eval(t, ctx, `(() => {
		const ul = document.querySelector('nav[aria-label="Main"] > ul');
		const r = ul.getBoundingClientRect();
		const items = [...ul.children].map(li => li.querySelector(':scope > a, :scope > details > summary'));
		const cur = ul.querySelector(':scope > li > a[aria-current="page"], summary.current');
		return {Top: r.top, Bottom: r.bottom, ViewportH: window.innerHeight,
			Labels: items.map(e => e.textContent.trim()),
			Current: cur ? cur.textContent.trim() : "",
			Icons: items.every(e => e.querySelector('svg.icon[aria-hidden="true"]') !== null)};
	})()`, &tb)
	return tb
}

// TestThumbNavigationOnAPhone: on a phone the main navigation is a tab bar at the bottom (Home,
// Check-in, Agreements, Plan, More, each with an icon and a label) with the current page marked for
// screen readers; "More" opens without JavaScript and holds the rest; the quick exit is the first
// thing the keyboard reaches and one full-width line; a desktop keeps the navigation at the top.
func TestThumbNavigationOnAPhone(t *testing.T) {
	srv := Start(t)
	ctx := NewBrowser(t, Phone)
	ua := SignUp(t, ctx, srv, "thumb@example.org", "Thumb")
	partner, err := srv.Server.Accounts().Register(context.Background(), "thumb-partner@example.org", "a walk by the river at dawn", "Pat")
	if err != nil {
		t.Fatal(err)
	}
	Pair(t, srv, ua, partner.ID)

	for path, current := range map[string]string{"/dashboard": "Home", "/checkins": "Check-in", "/agreements": "Agreements", "/plan": "Plan", "/triggers": "More", "/account": "More"} {
		Visit(t, ctx, srv.URL+path)
		tb := readTabBar(t, ctx)
		if strings.Join(tb.Labels, "|") != "Home|Check-in|Agreements|Plan|More" {
			t.Fatalf("%s: tabs %q", path, tb.Labels)
		}
		if tb.Current != current {
			t.Errorf("%s: current tab %q, want %q", path, tb.Current, current)
		}
		if !tb.Icons {
			t.Errorf("%s: a tab has no icon", path)
		}
		if tb.Bottom != tb.ViewportH || tb.Top < tb.ViewportH-80 {
			t.Errorf("%s: the tab bar spans %v–%v of a %v px screen, want it at the bottom", path, tb.Top, tb.Bottom, tb.ViewportH)
		}
	}
	var inner string
	Visit(t, ctx, srv.URL+"/account")
	eval(t, ctx, `document.querySelector('.more-list a[aria-current="page"]').textContent`, &inner)
	if inner != "Account" {
		t.Errorf("on /account the current link in More is %q", inner)
	}

	// The quick exit: the first stop of the keyboard, one line across the whole width.
	Visit(t, ctx, srv.URL+"/dashboard")
	var exit struct {
		First         string
		Width, Height float64
		ViewportW     float64
	}
	Run(t, ctx, chromedp.KeyEvent(kb.Tab))
	eval(t, ctx, `(() => { const r = document.getElementById("quick-exit").getBoundingClientRect();
		return {First: document.activeElement.id, Width: r.width, Height: r.height, ViewportW: document.documentElement.clientWidth}; })()`, &exit)
	if exit.First != "quick-exit" {
		t.Errorf("the first Tab reaches %q, want the quick exit", exit.First)
	}
	if exit.Width != exit.ViewportW || exit.Height > 48 {
		t.Errorf("the quick exit is %v×%v px on a %v px screen, want one line across it", exit.Width, exit.Height, exit.ViewportW)
	}

	// More opens with a tap, above the tab bar, and leads on.
	Run(t, ctx, chromedp.Click(`details.more summary`, chromedp.ByQuery), chromedp.WaitVisible(`.more-list a[href="/triggers"]`, chromedp.ByQuery))
	Axe(t, ctx)
	Screenshot(t, ctx, "more-open")
	Run(t, ctx, chromedp.Click(`.more-list a[href="/triggers"]`, chromedp.ByQuery), chromedp.WaitVisible(`body.with-tabs main h1`, chromedp.ByQuery))
	var loc string
	Run(t, ctx, chromedp.Location(&loc))
	if loc != srv.URL+"/triggers" {
		t.Errorf("More → Repair went to %s", loc)
	}

	// Without JavaScript, More still opens.
	plain := NewBrowser(t, Phone)
	SignUp(t, plain, srv, "thumb-plain@example.org", "Plain")
	NoScript(t, plain)
	VisitNoScript(t, plain, srv.URL+"/dashboard")
	Run(t, plain, chromedp.Click(`details.more summary`, chromedp.ByQuery), chromedp.WaitVisible(`.more-list a[href="/safety-check"]`, chromedp.ByQuery))

	// A desktop keeps the navigation at the top.
	desk := NewBrowser(t, Desktop)
	SignUp(t, desk, srv, "thumb-desk@example.org", "Desk")
	Visit(t, desk, srv.URL+"/dashboard")
	if tb := readTabBar(t, desk); tb.Top > 120 {
		t.Errorf("on a desktop the navigation sits at %v px, want it at the top", tb.Top)
	}
}

// TestEscHintOnlyWhereAKeyboardIsLikely: "press Esc twice" shows where a keyboard is likely (headless
// Chromium has no pointer at all, as a keyboard-only machine) with the script running, and not on a
// touch screen.
func TestEscHintOnlyWhereAKeyboardIsLikely(t *testing.T) {
	srv := Start(t)
	hinted := func(ctx context.Context, plain bool) bool {
		var shown bool
		if plain {
			VisitNoScript(t, ctx, srv.URL+"/")
			Run(t, ctx, emulation.SetScriptExecutionDisabled(false))
		} else {
			Visit(t, ctx, srv.URL+"/")
		}
		eval(t, ctx, `getComputedStyle(document.querySelector("#quick-exit .esc-hint")).display !== "none"`, &shown)
		return shown
	}
	if !hinted(NewBrowser(t, Desktop), false) {
		t.Error("a desktop browser is not told about Esc")
	}
	phone := NewBrowser(t, Phone)
	Touch(t, phone)
	if hinted(phone, false) {
		t.Error("a touch screen is told to press Esc")
	}
	plain := NewBrowser(t, Desktop)
	NoScript(t, plain)
	if hinted(plain, true) {
		t.Error("without JavaScript, Esc does nothing, yet the hint shows")
	}
}
