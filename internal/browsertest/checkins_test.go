package browsertest

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/testutil"
)

func ciThisWeek(t *testing.T) string {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return checkin.WeekOf(time.Now(), loc).String()
}

// ciRate taps the label of value on the 0–10 scale named name.
func ciRate(name string, value int) chromedp.Action {
	return chromedp.Click(`fieldset#f-`+name+` label:nth-of-type(`+strconv.Itoa(value+1)+`)`, chromedp.ByQuery)
}

// ciStep shows the step of the stepped check-in form that holds sel, pressing Next (or Review) as a
// person would until it is in view; it does nothing when sel is already shown (or the page has no steps).
func ciStep(sel string) chromedp.Action {
	return chromedp.Evaluate(`(() => {
		const el = document.querySelector(`+jsString(sel)+`);
		for (let i = 0; i < 10 && el && el.closest("section.step") && el.closest("section.step").hidden; i++) {
			const cur = [...document.querySelectorAll("section.step")].find(s => !s.hidden);
			[...cur.querySelectorAll(".step-nav button")].pop().click();
		}
	})()`, nil)
}

// ciAnswer fills in the form on the week page and presses the button with value action.
func ciAnswer(t *testing.T, ctx context.Context, tag string, trust, connection, safety int, action string) {
	t.Helper()
	Run(t, ctx,
		ciStep("#f-appreciation"), chromedp.SendKeys("#f-appreciation", tag+" appreciated the walk", chromedp.ByQuery),
		ciStep("#f-was-hard"), chromedp.SendKeys("#f-was-hard", tag+" found Sunday evening hard", chromedp.ByQuery),
		ciStep("#f-need"), chromedp.SendKeys("#f-need", tag+" needs an unhurried talk", chromedp.ByQuery),
		ciStep("#f-trust"), ciRate("trust", trust), ciRate("connection", connection), ciRate("safety", safety),
		ciStep(`button[name=action][value=`+action+`]`), chromedp.Click(`button[name=action][value=`+action+`]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-kept-done]`, chromedp.ByQuery),
	)
}

func ciBody(t *testing.T, ctx context.Context) string {
	t.Helper()
	var text string
	Run(t, ctx, chromedp.Text("body", &text, chromedp.ByQuery))
	return text
}

func ciWant(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Fatalf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

// Two partners answer on their own; the answers open when both have shared; A restates B's answers and B
// confirms. Axe checks /checkins and /checkins/{week} in their states; screenshots of sealed and opened.
func TestCheckinsInBrowser(t *testing.T) {
	srv := Start(t)
	ctxA, ctxB := NewBrowser(t, Phone), NewBrowser(t, Phone)
	ua := SignUp(t, ctxA, srv, "ana@example.org", "Ana")
	ub := SignUp(t, ctxB, srv, "ben@example.org", "Ben")
	Pair(t, srv, ua, ub)
	week := ciThisWeek(t)
	page := srv.URL + "/checkins/" + week

	ciWant(t, "/checkins", Visit(t, ctxA, srv.URL+"/checkins"), "This week", "Last week", "Need a pause?")
	ciWant(t, "the week page", Visit(t, ctxA, page), "Step 1 of 6: Something I appreciated")
	ciAnswer(t, ctxA, "Ana", 3, 4, 7, "share")
	Axe(t, ctxA)
	ciWant(t, "A's page once shared", ciBody(t, ctxA), "Answers open when you have both shared.")
	Screenshot(t, ctxA, "sealed")

	text := Visit(t, ctxB, page)
	if strings.Contains(text, "Ana appreciated") || strings.Contains(text, "Ana found") {
		t.Fatal("B sees A's answers before sharing")
	}
	ciAnswer(t, ctxB, "Ben", 8, 9, 6, "share")
	text = ciBody(t, ctxB)
	ciWant(t, "B's page once both shared", text, "your answers are open now", "Ana found Sunday evening hard", "Ana's answers", "What I heard")
	if strings.Contains(text, "7 out of 10") {
		t.Fatal("B sees A's safety rating")
	}
	Axe(t, ctxB)
	Screenshot(t, ctxB, "opened")

	text = Visit(t, ctxA, page)
	ciWant(t, "A's opened page", text, "Ben found Sunday evening hard", "7 out of 10")
	Run(t, ctxA,
		chromedp.SendKeys("#heard-text", "You found Sunday evening hard, and you need time to talk without rushing.", chromedp.ByQuery),
		chromedp.Click(`form[action$="/reflections"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-kept-done]`, chromedp.ByQuery),
	)
	ciWant(t, "A's page after restating", ciBody(t, ctxA), "Thank you. What you heard is shared now.")

	text = Visit(t, ctxB, page)
	ciWant(t, "B's page with A's restatement", text, "Ana heard:", "you need time to talk without rushing")
	Run(t, ctxB,
		chromedp.Click(`button[name=accurate][value=yes]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-kept-done]`, chromedp.ByQuery),
	)
	ciWant(t, "B's page after confirming", ciBody(t, ctxB), `I said: "Yes, that's it."`)
	Axe(t, ctxB)

	ciWant(t, "A's page at the end", Visit(t, ctxA, page), `Ben said: "Yes, that's it."`, "A line to say the feeling makes sense")
	Screenshot(t, ctxA, "confirmed")
	ciWant(t, "/checkins after opening", Visit(t, ctxA, srv.URL+"/checkins"), "Your answers are open")
}

// Text typed into a saved draft survives the session ending: the post leads to sign-in, and back on the
// page app.js puts the newer text back over the saved draft.
func TestCheckinTextSurvivesSessionEnd(t *testing.T) {
	srv := Start(t)
	ctx := NewBrowser(t, Phone)
	ua := SignUp(t, ctx, srv, "cal@example.org", "Cal")
	ub := SignUp(t, NewBrowser(t, Desktop), srv, "dee@example.org", "Dee")
	Pair(t, srv, ua, ub)
	page := srv.URL + "/checkins/" + ciThisWeek(t)
	Visit(t, ctx, page)
	Run(t, ctx,
		ciStep("#f-need"), chromedp.SendKeys("#f-need", "First thoughts.", chromedp.ByQuery),
		ciStep(`button[name=action][value=draft]`), chromedp.Click(`button[name=action][value=draft]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-kept-done]`, chromedp.ByQuery),
		ciStep("#f-need"), chromedp.Evaluate(`(function(){var e=document.querySelector('#f-need');e.focus();e.setSelectionRange(e.value.length,e.value.length);})()`, nil),
		chromedp.SendKeys("#f-need", " And more, written slowly.", chromedp.ByQuery),
	)
	if err := srv.Server.Accounts().RevokeOthers(context.Background(), ua, ""); err != nil {
		t.Fatal(err)
	}
	var loc, need string
	Run(t, ctx,
		ciStep(`button[name=action][value=draft]`), chromedp.Click(`button[name=action][value=draft]`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[action="/login"]`, chromedp.ByQuery),
		chromedp.Location(&loc),
	)
	if !strings.Contains(loc, "next=%2Fcheckins%2F") {
		t.Fatalf("after the session ended the form led to %s", loc)
	}
	Run(t, ctx,
		chromedp.SendKeys("#email", "cal@example.org", chromedp.ByQuery),
		chromedp.SendKeys("#password", testutil.Password, chromedp.ByQuery),
		chromedp.Click(`form[action="/login"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitReady("#f-need", chromedp.ByQuery),
		chromedp.Location(&loc),
		chromedp.Value("#f-need", &need, chromedp.ByQuery),
	)
	if !strings.HasPrefix(loc, page) {
		t.Fatalf("signing in again led to %s, want the check-in page", loc)
	}
	if need != "First thoughts. And more, written slowly." {
		t.Fatalf("the text typed before the session ended is %q", need)
	}
	// The signed-in page already carries data-kept-done from restoring the text: wait for the saved
	// page (its ?saved= address) before reading, or the read can land on the page being left.
	Run(t, ctx,
		ciStep(`button[name=action][value=draft]`), SubmitAndLoad(`button[name=action][value=draft]`, `location.search.includes("saved=")`),
		chromedp.WaitVisible(`[data-kept-done]`, chromedp.ByQuery),
		chromedp.Value("#f-need", &need, chromedp.ByQuery),
	)
	if need != "First thoughts. And more, written slowly." {
		t.Fatalf("saved after signing in again: %q", need)
	}
}

// ciLastWeek is last week's key in the couple's time zone.
func ciLastWeek(t *testing.T) string {
	t.Helper()
	w, ok := checkin.ParseWeek(ciThisWeek(t))
	if !ok {
		t.Fatal("this week's key does not parse")
	}
	return w.Prev().String()
}

// "Take a pause" in the header leads to the pause form from any page; only the asker is offered to end
// it. A week one of them skips passes without an exchange, and while A's safety answer is low the
// listening form waits behind a quiet disclosure. Axe checks each page in these states.
func TestCheckinPauseSkipAndQuietListeningInBrowser(t *testing.T) {
	srv := Start(t)
	ctxA, ctxB := NewBrowser(t, Phone), NewBrowser(t, Phone)
	ua := SignUp(t, ctxA, srv, "eve@example.org", "Eve")
	ub := SignUp(t, ctxB, srv, "fin@example.org", "Fin")
	Pair(t, srv, ua, ub)

	Visit(t, ctxA, srv.URL+"/agreements")
	Run(t, ctxA, chromedp.Click(`header a.pause-link`, chromedp.ByQuery),
		chromedp.WaitVisible(`#pause-for`, chromedp.ByQuery))
	Axe(t, ctxA)
	Run(t, ctxA,
		chromedp.SendKeys("#pause-note", "Back after a walk.", chromedp.ByQuery),
		chromedp.Click(`form[action="/timeouts"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#pause-banner form[action="/timeouts/end"]`, chromedp.ByQuery),
	)
	ciWant(t, "A's banner", ciBody(t, ctxA), "You asked for a pause until", "London time")
	Axe(t, ctxA)
	text := Visit(t, ctxB, srv.URL+"/dashboard")
	ciWant(t, "B's banner", text, "A pause was asked for until", "London time", "ends by itself", "Back after a walk.")
	var endButtons int
	Run(t, ctxB, chromedp.Evaluate(`document.querySelectorAll('form[action="/timeouts/end"]').length`, &endButtons))
	if endButtons != 0 {
		t.Fatal("B is offered to end A's pause")
	}

	page := srv.URL + "/checkins/" + ciThisWeek(t)
	Visit(t, ctxA, page)
	ciAnswer(t, ctxA, "Eve", 5, 5, 6, "share")
	Visit(t, ctxB, page)
	Run(t, ctxB,
		ciStep(`input[name=skip]`), chromedp.Click(`input[name=skip]`, chromedp.ByQuery),
		chromedp.Click(`button[name=action][value=share]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-kept-done]`, chromedp.ByQuery),
	)
	ciWant(t, "B's page after skipping", ciBody(t, ctxB), "passed without an exchange")
	Axe(t, ctxB)
	text = Visit(t, ctxA, page)
	ciWant(t, "A's page of the skipped week", text, "passed without an exchange", "Eve appreciated the walk")
	if strings.Contains(Visit(t, ctxB, page), "Eve appreciated") {
		t.Fatal("B reads A's answers of a skipped week")
	}

	last := srv.URL + "/checkins/" + ciLastWeek(t)
	Visit(t, ctxA, last)
	ciAnswer(t, ctxA, "Eve", 5, 5, 2, "share")
	Visit(t, ctxB, last)
	ciAnswer(t, ctxB, "Fin", 6, 6, 8, "share")
	ciWant(t, "A's opened last week", Visit(t, ctxA, last), "Your safety comes first", "Write what I heard (optional)")
	var formShown bool
	Run(t, ctxA, chromedp.Evaluate(`document.querySelector('#heard-text').checkVisibility()`, &formShown))
	if formShown {
		t.Fatal("the listening form is pushed at A while A's safety answer is low")
	}
	Run(t, ctxA, chromedp.Click(`details.quiet-listening > summary`, chromedp.ByQuery), chromedp.WaitVisible(`#heard-text`, chromedp.ByQuery))
	Axe(t, ctxA)
	Screenshot(t, ctxA, "quiet-listening")
}
