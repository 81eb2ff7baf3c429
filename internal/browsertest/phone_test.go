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

// stepState is what the stepped check-in form shows: how many steps are in view, the counter and the
// progress bar, and the height of the step in view.
type stepState struct {
	Visible       int
	Count         string
	Value, Max    float64
	Height, Room  float64
	CounterHidden bool
}

func readSteps(t *testing.T, ctx context.Context) stepState {
	t.Helper()
	var s stepState
	eval(t, ctx, `(() => {
		const parts = [...document.querySelectorAll("form[data-steps] section.step")];
		const shown = parts.filter(p => p.getClientRects().length > 0);
		const bar = document.querySelector("form[data-steps] progress");
		const tabs = document.querySelector(".tabs-app").getBoundingClientRect().height;
		const exit = document.getElementById("quick-exit").getBoundingClientRect().height;
		return {Visible: shown.length, Count: document.querySelector(".step-count").textContent,
			Value: bar.value, Max: bar.max, CounterHidden: document.querySelector("[data-step-progress]").getClientRects().length === 0,
			Height: shown.length ? shown[0].getBoundingClientRect().height : 0, Room: window.innerHeight - tabs - exit};
	})()`, &s)
	return s
}

// TestCheckinOnePartAtATime: on a phone the week's answers come one part at a time, each fitting one
// screen, with a counter and a progress bar; moving on and back keeps what was typed, the review shows
// it, and sharing from there works. Without JavaScript the same form is one page and saves as well.
func TestCheckinOnePartAtATime(t *testing.T) {
	srv := Start(t)
	ctx := NewBrowser(t, Phone)
	ua := SignUp(t, ctx, srv, "steps@example.org", "Rae")
	plain := NewBrowser(t, Phone)
	ub := SignUp(t, plain, srv, "steps-plain@example.org", "Noor")
	Pair(t, srv, ua, ub)
	page := srv.URL + "/checkins/" + ciThisWeek(t)

	Visit(t, ctx, page)
	s := readSteps(t, ctx)
	if s.Visible != 1 || s.Count != "Step 1 of 6: Something I appreciated" || s.Value != 1 || s.Max != 6 {
		t.Fatalf("the first step: %+v", s)
	}
	Screenshot(t, ctx, "step-1")
	Run(t, ctx, chromedp.SendKeys("#f-appreciation", "Rae appreciated the soup", chromedp.ByQuery))
	for i := 2; i <= 6; i++ {
		Run(t, ctx, chromedp.Click(`section.step:not([hidden]) .step-nav button:last-child`, chromedp.ByQuery))
		s = readSteps(t, ctx)
		if s.Visible != 1 || s.Value != float64(i) || !strings.HasPrefix(s.Count, "Step "+string(rune('0'+i))+" of 6") {
			t.Fatalf("after Next to step %d: %+v", i, s)
		}
		if s.Height > s.Room {
			t.Errorf("step %d (%s) is %v px tall, more than the %v px a phone shows between the bars", i, s.Count, s.Height, s.Room)
		}
		Axe(t, ctx)
		if i == 5 {
			Run(t, ctx, ciRate("trust", 6), ciRate("connection", 7), ciRate("safety", 8))
			Screenshot(t, ctx, "step-ratings")
			// The first screen as a phone shows it: a touch screen, the counter at the top.
			Touch(t, ctx)
			Run(t, ctx, chromedp.Evaluate(`document.querySelector("[data-step-progress]").scrollIntoView({block: "start"})`, nil))
			ViewportShot(t, ctx, "screen-checkin-step-ratings")
			Run(t, ctx, emulation.SetTouchEmulationEnabled(false), emulation.SetEmitTouchEventsForMouse(false))
		}
	}
	var review string
	Run(t, ctx, chromedp.Text("[data-step-review]", &review, chromedp.ByQuery))
	for _, w := range []string{"Rae appreciated the soup", "Not answered", "Trust: 6", "How safe I feel: 8"} {
		if !strings.Contains(review, w) {
			t.Errorf("the review lacks %q:\n%s", w, review)
		}
	}
	Screenshot(t, ctx, "step-review")
	// Change goes back to the step, with the text still there.
	var kept string
	Run(t, ctx, chromedp.Click(`[data-step-review] li:first-child button`, chromedp.ByQuery),
		chromedp.WaitVisible("#f-appreciation", chromedp.ByQuery), chromedp.Value("#f-appreciation", &kept, chromedp.ByQuery))
	if kept != "Rae appreciated the soup" {
		t.Errorf("back at the first step the text is %q", kept)
	}
	Run(t, ctx, chromedp.Click(`.step-skip`, chromedp.ByQuery), chromedp.Click(`button[name=action][value=share]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-kept-done]`, chromedp.ByQuery))
	ciWant(t, "Rae's page once shared", ciBody(t, ctx), "Answers open when you have both shared.", "Step 6 of 6: Review and share", "Rae appreciated the soup")

	// Without JavaScript: every part on one page, no counter, and the same post.
	NoScript(t, plain)
	VisitNoScript(t, plain, page)
	var allShown bool
	eval(t, plain, `[...document.querySelectorAll("section.step")].every(p => p.getClientRects().length > 0) && document.querySelector("[data-step-progress]").hidden`, &allShown)
	if !allShown {
		t.Fatal("without JavaScript the form is not one page")
	}
	Screenshot(t, plain, "one-page")
	Run(t, plain,
		chromedp.SendKeys("#f-was-hard", "Noor found the drive hard", chromedp.ByQuery),
		ciRate("trust", 5), ciRate("connection", 5), ciRate("safety", 7),
		chromedp.Click(`button[name=action][value=share]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-kept-done]`, chromedp.ByQuery))
	AxeNoScript(t, plain)
	text := ciBody(t, plain)
	ciWant(t, "Noor's opened page", text, "Rae appreciated the soup", "Noor found the drive hard")
	if strings.Index(text, "Rae's answers") > strings.Index(text, "My answers") {
		t.Error("the partner's answers do not lead while listening is next")
	}
	Screenshot(t, plain, "opened-partner-first")
}

// liveHints reads the acknowledgment's hint list as it is shown.
func liveHints(t *testing.T, ctx context.Context) string {
	t.Helper()
	var s string
	eval(t, ctx, `(() => { const box = document.querySelector("[data-live-hints]");
		return box && box.getClientRects().length ? [...box.querySelectorAll("li")].map(li => li.textContent.trim()).join("\n") : ""; })()`, &s)
	return s
}

// TestAcknowledgmentHintsAsYouWrite: the phrase hints appear while the person writes, from the same rules
// as the server's: what the page shows live is what the server shows after saving. Without JavaScript
// they appear after saving, as before. The partner who receives it reads a calm framing first.
func TestAcknowledgmentHintsAsYouWrite(t *testing.T) {
	srv := Start(t)
	ctx := NewBrowser(t, Phone)
	ua := SignUp(t, ctx, srv, "ack-live@example.org", "Jo")
	other := NewBrowser(t, Phone)
	ub := SignUp(t, other, srv, "ack-read@example.org", "Lou")
	Pair(t, srv, ua, ub)

	Visit(t, ctx, srv.URL+"/acknowledgment")
	if h := liveHints(t, ctx); h != "" {
		t.Fatalf("hints before anything is written: %q", h)
	}
	Run(t, ctx, chromedp.SendKeys("#what_happened", "I\u2019m sorry if it hurt, BUT  you were never home.", chromedp.ByQuery),
		chromedp.SendKeys("#impact", "It was only a few weeks.", chromedp.ByQuery))
	live := liveHints(t, ctx)
	for _, w := range []string{"What happened: “I\u2019m sorry if”", "What happened: “BUT  you”", "The impact I understand: “It was only”"} {
		if !strings.Contains(live, w) {
			t.Errorf("the live hints lack %q:\n%s", w, live)
		}
	}
	Axe(t, ctx)
	Screenshot(t, ctx, "live-hints")
	Run(t, ctx, chromedp.Click(`button[name=action][value=save]`, chromedp.ByQuery), chromedp.WaitVisible(`#mine .notice[role="status"]`, chromedp.ByQuery))
	if saved := liveHints(t, ctx); saved != live {
		t.Errorf("the server's hints after saving differ from the live ones:\nserver: %q\nlive:   %q", saved, live)
	}
	Run(t, ctx, chromedp.Evaluate(`document.getElementById("what_happened").value = ""; document.getElementById("impact").value = "";
		document.getElementById("impact").dispatchEvent(new Event("input", {bubbles: true}))`, nil))
	if h := liveHints(t, ctx); h != "" {
		t.Errorf("hints stay after the phrases are gone: %q", h)
	}

	// Without JavaScript: after saving, as before.
	NoScript(t, ctx)
	VisitNoScript(t, ctx, srv.URL+"/acknowledgment")
	if h := liveHints(t, ctx); !strings.Contains(h, "“BUT  you”") {
		t.Errorf("without JavaScript the saved text's hints are %q", h)
	}

	// Shared, the partner reads a calm line before the text.
	Run(t, ctx, emulation.SetScriptExecutionDisabled(false))
	Visit(t, ctx, srv.URL+"/acknowledgment")
	Run(t, ctx,
		chromedp.SendKeys("#responsibility", "It was my choice.", chromedp.ByQuery),
		chromedp.SendKeys("#impact", "You stopped feeling safe at home.", chromedp.ByQuery),
		chromedp.SendKeys("#commitments", "Answer your questions honestly", chromedp.ByQuery),
		chromedp.Click(`button[value="preview"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[action="/acknowledgment/share"]`, chromedp.ByQuery),
		chromedp.Click(`form[action="/acknowledgment/share"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`.notice[role="status"]`, chromedp.ByQuery))
	text := Visit(t, other, srv.URL+"/acknowledgment")
	calm, words := strings.Index(text, "Take a breath; you can answer later."), strings.Index(text, "you were never home")
	if calm < 0 || words < 0 || calm > words {
		t.Errorf("the partner's page does not frame the text calmly before it (%d, %d):\n%s", calm, words, text)
	}
	Screenshot(t, other, "received")
}
