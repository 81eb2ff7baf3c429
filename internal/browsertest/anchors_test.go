package browsertest

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// box is where an element is on screen, with the sticky quick-exit bar's bottom and the viewport height.
type box struct {
	Found                bool
	Top, Bottom          float64
	BarBottom, Viewport  float64
	Target, NoticeWanted string
}

// landed reads, once the page has loaded and scrolled to its fragment, where the fragment's target and
// the status notice containing notice (when not empty) are on screen.
func landed(t *testing.T, ctx context.Context, notice string) (target, note box) {
	t.Helper()
	var raw string
	script := `(function(){
		var bar = document.querySelector('.quick-exit-bar').getBoundingClientRect().bottom;
		function at(el){ if(!el) return {Found:false}; var r = el.getBoundingClientRect();
			return {Found:true, Top:r.top, Bottom:r.bottom, BarBottom:bar, Viewport:window.innerHeight}; }
		var target = at(document.querySelector(':target'));
		target.Target = location.hash;
		var want = ` + jsString(notice) + `, found = null;
		document.querySelectorAll('.notice[role=status]').forEach(function(n){ if(want && n.textContent.indexOf(want) >= 0) found = n; });
		var note = at(found); note.NoticeWanted = want;
		return JSON.stringify([target, note]);
	})()`
	Run(t, ctx, chromedp.Poll(`document.readyState === "complete"`, nil), chromedp.Evaluate(script, &raw))
	var out [2]box
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatalf("landing: %v (%s)", err, raw)
	}
	return out[0], out[1]
}

// tap scrolls sel to the middle of the screen and clicks it: Chromium's own scrolling stops as soon as
// an element is inside the viewport, which on a phone can be under the fixed tab bar, where the click
// would land on the tab instead.
func tap(sel string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.Evaluate(`document.querySelector(`+jsString(sel)+`).scrollIntoView({block: "center"})`, nil),
		chromedp.Click(sel, chromedp.ByQuery),
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// wantLanding fails unless, after a save that redirected to an anchor, the anchor's target starts below
// the sticky bar and the save's notice (when one is named) is wholly inside the viewport, below the bar.
func wantLanding(t *testing.T, ctx context.Context, what, notice string) {
	t.Helper()
	target, note := landed(t, ctx, notice)
	if !target.Found {
		t.Errorf("%s: no element is the target of the fragment %q", what, target.Target)
	} else if target.Top < target.BarBottom-0.5 {
		t.Errorf("%s: %s starts at %.0fpx, under the quick-exit bar (bottom %.0fpx)", what, target.Target, target.Top, target.BarBottom)
	}
	if notice == "" {
		return
	}
	switch {
	case !note.Found:
		t.Errorf("%s: no status notice says %q", what, notice)
	case note.Top < note.BarBottom-0.5 || note.Bottom > note.Viewport+0.5:
		t.Errorf("%s: the notice %q is at %.0f–%.0fpx, outside the viewport below the bar (%.0f–%.0fpx)",
			what, notice, note.Top, note.Bottom, note.BarBottom, note.Viewport)
	}
}

// TestSavesLandInViewBelowTheQuickExitBar covers issue 15 item 19 at a phone's size: after each save that
// redirects to a part of a long page (#heard, #about-mine, #therapy, #add, #mine), that part starts below
// the sticky quick-exit bar and the save's notice is inside the viewport, not hidden under the bar.
func TestSavesLandInViewBelowTheQuickExitBar(t *testing.T) {
	srv := Start(t)
	tokA, _ := planPerson(t, srv.URL, "ana.anchor@example.org", "Ana")
	tokB, _ := planPerson(t, srv.URL, "ben.anchor@example.org", "Ben")
	planAPI(t, srv.URL, tokA, http.MethodPost, "/api/v1/couple", map[string]string{"timezone": "Europe/London", "checkin_weekday": "sunday"}, nil, http.StatusCreated)
	var inv struct{ Token string }
	planAPI(t, srv.URL, tokA, http.MethodPost, "/api/v1/couple/invite", nil, &inv, http.StatusCreated)
	planAPI(t, srv.URL, tokB, http.MethodPost, "/api/v1/couple/join", map[string]string{"token": inv.Token}, nil, http.StatusOK)
	long := strings.Repeat("Sunday evening was hard, and I would like us to talk about it without rushing. ", 4)
	week := ciThisWeek(t)
	for _, tok := range []string{tokA, tokB} {
		planAPI(t, srv.URL, tok, http.MethodPut, "/api/v1/checkins/"+week+"/mine", map[string]any{"appreciation": long, "went_well": long,
			"was_hard": long, "need": long, "trust": 5, "connection": 6, "safety": 7, "submit": true}, nil, http.StatusOK)
	}
	planAPI(t, srv.URL, tokB, http.MethodPut, "/api/v1/acknowledgment", map[string]any{"what_happened": long, "responsibility": long,
		"impact": long, "commitments": []string{"I tell you where I am.", "I answer your questions honestly."}, "share": true}, nil, http.StatusOK)

	ana, ben := NewBrowser(t, Phone), NewBrowser(t, Phone)
	planSignIn(t, ana, srv.URL, "ana.anchor@example.org")
	planSignIn(t, ben, srv.URL, "ben.anchor@example.org")
	page := srv.URL + "/checkins/" + week

	Run(t, ana, chromedp.Navigate(page), chromedp.WaitVisible("#heard-text", chromedp.ByQuery),
		chromedp.SendKeys("#heard-text", "You found Sunday evening hard and want time to talk.", chromedp.ByQuery),
		SubmitAndLoad(`form[action$="/reflections"] button[type=submit]`, `document.querySelector("[data-kept-done]") !== null`),
		chromedp.WaitVisible(`[data-kept-done]`, chromedp.ByQuery))
	wantLanding(t, ana, "what I heard", "What you heard is shared now")
	Screenshot(t, ana, "heard")

	Run(t, ben, chromedp.Navigate(page), chromedp.WaitVisible(`button[name=accurate][value=yes]`, chromedp.ByQuery),
		SubmitAndLoad(`button[name=accurate][value=yes]`, `document.querySelector("[data-kept-done]") !== null`),
		chromedp.WaitVisible(`[data-kept-done]`, chromedp.ByQuery))
	wantLanding(t, ben, "the answer to what was heard", "that's shared now")

	Run(t, ana, chromedp.Navigate(srv.URL+"/plan"), chromedp.WaitVisible(`#therapy input[name=decision][value=considering]`, chromedp.ByQuery),
		tap(`#therapy input[name=decision][value=considering]`),
		// The save redirects to the address it came from (/plan#therapy): #therapy alone is no sign
		// that the saved page has come.
		SubmitAndLoad(`#therapy form:not(.plan-ask) button[type=submit]`, `location.hash === "#therapy"`),
		chromedp.WaitVisible(`#therapy`, chromedp.ByQuery))
	wantLanding(t, ana, "the therapy decision", "")

	Run(t, ana, chromedp.Navigate(srv.URL+"/plan"), chromedp.WaitVisible(`#add input[name=title]`, chromedp.ByQuery),
		chromedp.SendKeys(`#add input[name=title]`, "Walk together on Saturdays", chromedp.ByQuery),
		SubmitAndLoad(`#add button[type=submit]`, `document.querySelector("#add .notice") !== null`),
		chromedp.WaitVisible(`#add .notice`, chromedp.ByQuery))
	wantLanding(t, ana, "a new plan item", "Added to your plan")

	Run(t, ana, chromedp.Navigate(srv.URL+"/acknowledgment"), chromedp.WaitVisible(`#mine textarea`, chromedp.ByQuery),
		chromedp.SendKeys(`#mine textarea`, "I was not honest about where I was.", chromedp.ByQuery),
		SubmitAndLoad(`#mine button[name=action][value=save]`, `document.querySelector(".notice[role=status]") !== null`),
		chromedp.WaitVisible(`.notice[role=status]`, chromedp.ByQuery))
	wantLanding(t, ana, "an acknowledgment draft", "Saved as a private draft")
	Screenshot(t, ana, "acknowledgment")
}
