package browsertest

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// journeyPerson is one partner: their name, their own browser and how many steps they have photographed.
type journeyPerson struct {
	name string
	ctx  context.Context
	step int
}

// shot takes the step's screenshot, numbered in order, on the person's phone.
func (p *journeyPerson) shot(t *testing.T, what string) {
	t.Helper()
	p.step++
	Screenshot(t, p.ctx, p.name+"-"+twoDigits(p.step)+"-"+what)
}

func twoDigits(n int) string { return string(rune('0'+n/10)) + string(rune('0'+n%10)) }

// visit opens url with axe, checks the page says each of wants, and returns its text.
func (p *journeyPerson) visit(t *testing.T, url string, wants ...string) string {
	t.Helper()
	text := Visit(t, p.ctx, url)
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Fatalf("%s's %s lacks %q:\n%s", p.name, url, w, text)
		}
	}
	return text
}

// then runs actions, waits for waitFor on the page that follows (to be visible, or only present when
// it starts with "present:"), checks the page with axe and takes a screenshot.
func (p *journeyPerson) then(t *testing.T, what, waitFor string, actions ...chromedp.Action) {
	t.Helper()
	wait := chromedp.WaitVisible(waitFor, chromedp.ByQuery)
	if sel, ok := strings.CutPrefix(waitFor, "present:"); ok {
		wait = chromedp.WaitReady(sel, chromedp.ByQuery)
	}
	// Mark the current document, so the wait is for the page that follows and not this one.
	Run(t, p.ctx, chromedp.Evaluate(`window.mendOldPage = true`, nil))
	Run(t, p.ctx, actions...)
	newPage := false
	for deadline := time.Now().Add(30 * time.Second); !newPage && time.Now().Before(deadline); {
		// An evaluation can fail while the page is being replaced; that only means: not yet.
		if chromedp.Run(p.ctx, chromedp.Evaluate(`!window.mendOldPage && document.readyState === "complete"`, &newPage)) != nil || !newPage {
			time.Sleep(50 * time.Millisecond)
		}
	}
	if !newPage {
		t.Fatalf("%s: no new page after %s", p.name, what)
	}
	Run(t, p.ctx, wait)
	Axe(t, p.ctx)
	p.shot(t, what)
}

// TestFullJourneyOfTwoPartners is the whole of Mend as two people use it, each on their own phone:
// register, start the couple, invite and join, write and accept an agreement, both answer a check-in,
// open it, restate and confirm, write and answer an acknowledgment, mark plan items, note a moment,
// look at progress, export, and leave. Axe checks every page on the way; every step is photographed.
func TestFullJourneyOfTwoPartners(t *testing.T) {
	srv := Start(t)
	a := &journeyPerson{name: "sam", ctx: NewBrowser(t, Phone)}
	b := &journeyPerson{name: "alex", ctx: NewBrowser(t, Phone)}
	const passA, passB = "a walk by the river at dawn", "tea in the garden after rain"

	// Sam registers and starts the couple.
	a.visit(t, srv.URL+"/", "Mend")
	a.visit(t, srv.URL+"/register")
	a.then(t, "registered", `form[action="/logout"]`,
		chromedp.SendKeys("#display_name", "Sam", chromedp.ByQuery),
		chromedp.SendKeys("#email", "sam@example.org", chromedp.ByQuery),
		chromedp.SendKeys("#password", passA, chromedp.ByQuery),
		chromedp.Click(`form[action="/register"] button[type=submit]`, chromedp.ByQuery))
	a.visit(t, srv.URL+"/couple", "Start your couple")
	a.then(t, "couple-started", "#invite-link",
		chromedp.SetValue("#timezone", "Europe/London", chromedp.ByQuery),
		chromedp.SetValue("#checkin_weekday", "sunday", chromedp.ByQuery),
		chromedp.Click(`form[action="/couple"] button[type=submit]`, chromedp.ByQuery))
	var link string
	Run(t, a.ctx, chromedp.Value("#invite-link", &link, chromedp.ByQuery))
	if !strings.HasPrefix(link, srv.URL+"/join/") {
		t.Fatalf("invite link %q", link)
	}

	// Alex opens the link and registers, which joins the couple.
	b.visit(t, link, "Sam", "invited you")
	b.shot(t, "invited")
	b.then(t, "register-from-invite", "#display_name", chromedp.Click(`a[href^="/register?"]`, chromedp.ByQuery))
	b.then(t, "joined", "#couple-heading",
		chromedp.SendKeys("#display_name", "Alex", chromedp.ByQuery),
		chromedp.SendKeys("#email", "alex@example.org", chromedp.ByQuery),
		chromedp.SendKeys("#password", passB, chromedp.ByQuery),
		chromedp.Click(`form[action="/register"] button[type=submit]`, chromedp.ByQuery))
	a.visit(t, srv.URL+"/dashboard", "You and Alex")
	a.shot(t, "dashboard-together")

	// Sam records their part, proposes an agreement; Alex accepts it.
	a.visit(t, srv.URL+"/couple")
	a.then(t, "role", ".notice",
		chromedp.Click(`input[name="role"][value="broke_trust"]`, chromedp.ByQuery),
		chromedp.Click(`form[action="/couple/role"] button`, chromedp.ByQuery))
	a.visit(t, srv.URL+"/agreements/new", "Start from an example")
	a.then(t, "agreement-proposed", ".agreement-status",
		chromedp.SendKeys("#title", "We say where we are", chromedp.ByQuery),
		chromedp.SendKeys("#body", "If plans change, we send a short message before, not after.", chromedp.ByQuery),
		chromedp.SetValue("#category", "honesty", chromedp.ByQuery),
		chromedp.SetValue("#review_on", time.Now().AddDate(0, 1, 0).Format("2006-01-02"), chromedp.ByQuery),
		chromedp.Click(`form[action="/agreements"] button[type=submit]`, chromedp.ByQuery))
	var detail string
	Run(t, a.ctx, chromedp.Location(&detail))
	detail = strings.SplitN(detail, "?", 2)[0]
	b.visit(t, srv.URL+"/agreements", "We say where we are", "Waiting for you to read it.")
	b.visit(t, detail, "We say where we are")
	b.then(t, "agreement-accepted", ".status-active", chromedp.Click(`form[action$="/accept"] button[type=submit]`, chromedp.ByQuery))

	// Both answer this week's check-in; it opens; Sam restates, Alex confirms.
	week := srv.URL + "/checkins/" + ciThisWeek(t)
	a.visit(t, srv.URL+"/checkins", "This week")
	for i, p := range []*journeyPerson{a, b} {
		// One part at a time: each step is photographed and checked as it shows.
		p.visit(t, week, "Step 1 of 7: Something I appreciated")
		step := func(what string, actions ...chromedp.Action) {
			Run(t, p.ctx, actions...)
			Axe(t, p.ctx)
			if i == 0 {
				p.shot(t, "checkin-step-"+what)
			}
		}
		step("appreciation", chromedp.SendKeys("#f-appreciation", p.name+" appreciated the walk", chromedp.ByQuery))
		step("hard", ciStep("#f-was-hard"), chromedp.SendKeys("#f-was-hard", p.name+" found Sunday evening hard", chromedp.ByQuery))
		step("need", ciStep("#f-need"), chromedp.SendKeys("#f-need", p.name+" needs an unhurried talk", chromedp.ByQuery))
		step("ratings", ciStep("#f-trust"), ciRate("trust", 5+i), ciRate("connection", 6), ciRate("safety", 8))
		step("agreements", ciStep("#f-agreement-0"), chromedp.WaitVisible("#f-agreement-0", chromedp.ByQuery),
			chromedp.Click(`#f-agreement-0 label:nth-of-type(1)`, chromedp.ByQuery))
		step("review", ciStep(`button[name=action][value=share]`), chromedp.WaitVisible(`[data-step-review]`, chromedp.ByQuery))
		p.then(t, "checkin-shared", `[data-kept-done]`, chromedp.Click(`button[name=action][value=share]`, chromedp.ByQuery))
	}
	a.visit(t, week, "alex found Sunday evening hard")
	a.then(t, "restated", `[data-kept-done]`,
		chromedp.SendKeys("#heard-text", "You found Sunday evening hard, and you need an unhurried talk.", chromedp.ByQuery),
		chromedp.Click(`form[action$="/reflections"] button[type=submit]`, chromedp.ByQuery))
	b.visit(t, week, "Sam heard:", "you need an unhurried talk")
	b.then(t, "confirmed", `[data-kept-done]`, chromedp.Click(`button[name=accurate][value=yes]`, chromedp.ByQuery))
	a.visit(t, week, `Alex said: "Yes, that's it."`)

	// Sam writes and shares an acknowledgment; Alex answers it.
	a.visit(t, srv.URL+"/acknowledgment")
	a.then(t, "acknowledgment-preview", `form[action="/acknowledgment/share"]`,
		chromedp.SendKeys("#what_happened", "I hid messages from you for months and lied about where I was.", chromedp.ByQuery),
		chromedp.SendKeys("#responsibility", "It was my choice, and it is mine to own.", chromedp.ByQuery),
		chromedp.SendKeys("#impact", "You stopped feeling safe at home.", chromedp.ByQuery),
		chromedp.SendKeys("#commitments", "Answer your questions honestly", chromedp.ByQuery),
		chromedp.Click(`button[value="preview"]`, chromedp.ByQuery))
	a.then(t, "acknowledgment-shared", `.notice[role="status"]`, chromedp.Click(`form[action="/acknowledgment/share"] button`, chromedp.ByQuery))
	b.visit(t, srv.URL+"/acknowledgment", "I hid messages from you for months")
	b.then(t, "acknowledgment-answered", "#partner .plan-response",
		chromedp.Click(`input[name="status"][value="read"]`, chromedp.ByQuery),
		chromedp.SendKeys("#response-note", "Thank you. I need time.", chromedp.ByQuery),
		chromedp.Click(`form[action="/acknowledgment/response"] button`, chromedp.ByQuery))

	// Plan: Sam did their part on the check-ins item, Alex noticed it.
	a.visit(t, srv.URL+"/plan", "An acknowledgment has been shared and marked as read")
	a.then(t, "plan-did-my-part", `present:#item-checkins input[name="field"][value="did_my_part"] + input[value="0"]`,
		chromedp.Click(`#item-checkins form:nth-of-type(1) button`, chromedp.ByQuery))
	b.visit(t, srv.URL+"/plan", "Sam: did their part")
	b.then(t, "plan-noticed", `present:#item-checkins input[name="field"][value="noticed"] + input[value="0"]`,
		chromedp.Click(`#item-checkins form:nth-of-type(2) button`, chromedp.ByQuery))

	// Alex notes a shared moment; both look at it and at progress.
	b.visit(t, srv.URL+"/moments")
	b.then(t, "moment", `li.card[id^="moment-"]`,
		chromedp.SetValue("#kind", "kindness", chromedp.ByQuery),
		chromedp.SendKeys("#moment-note", "Sam made tea without being asked.", chromedp.ByQuery),
		chromedp.Click("#shared", chromedp.ByQuery),
		chromedp.Click(`form[action="/moments"] button[type=submit]`, chromedp.ByQuery))
	a.visit(t, srv.URL+"/moments", "Sam made tea without being asked.")
	for _, p := range []*journeyPerson{a, b} {
		p.visit(t, srv.URL+"/progress")
		p.shot(t, "progress")
		p.visit(t, srv.URL+"/dashboard")
	}

	// Sam exports their data from the account page, then leaves the couple.
	a.visit(t, srv.URL+"/account", "Export my data")
	export := downloadExport(t, a.ctx)
	for _, want := range []string{"We say where we are", "sam appreciated the walk", "I hid messages from you", "Sam made tea"} {
		if !strings.Contains(export, want) {
			t.Errorf("the export lacks %q", want)
		}
	}
	for _, never := range []string{passA, passB, "alex@example.org", "$argon2"} {
		if strings.Contains(export, never) {
			t.Errorf("the export holds %q", never)
		}
	}
	a.visit(t, srv.URL+"/couple", "Leave the couple")
	leave := chromedp.Tasks{chromedp.Click(`form[action="/couple/leave"] input[name="confirm"]`, chromedp.ByQuery),
		chromedp.Click(`form[action="/couple/leave"] button`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`form[action="/couple/leave"]`, chromedp.ByQuery), chromedp.WaitReady("main", chromedp.ByQuery)}
	Run(t, a.ctx, leave)
	var loc string
	Run(t, a.ctx, chromedp.Location(&loc))
	if strings.Contains(loc, "/reauth") {
		a.then(t, "password-again", `form[action="/couple/leave"]`,
			chromedp.SendKeys("#password", passA, chromedp.ByQuery), chromedp.Click(`form[action="/reauth"] button`, chromedp.ByQuery))
		Run(t, a.ctx, leave)
	}
	a.visit(t, srv.URL+"/dashboard", "ended")
	a.shot(t, "left")
	a.visit(t, srv.URL+"/archive", "We say where we are")
	a.shot(t, "archive")
	text := b.visit(t, srv.URL+"/dashboard", "Your couple has ended")
	if strings.Contains(text, "Sam left") {
		t.Error("Alex is told who left; the one who stays is told only that the couple has ended")
	}
	b.shot(t, "couple-ended")
}

// downloadExport clicks "Export my data" as a person would and returns the downloaded file.
func downloadExport(t *testing.T, ctx context.Context) string {
	t.Helper()
	dir := t.TempDir()
	Run(t, ctx, browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllow).WithDownloadPath(dir).WithEventsEnabled(true),
		chromedp.Click(`a[href="/account/export"]`, chromedp.ByQuery))
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, f := range files {
			if strings.HasSuffix(f, ".crdownload") {
				continue
			}
			raw, err := os.ReadFile(f)
			if err != nil || len(raw) == 0 {
				continue
			}
			var doc map[string]any
			if err := json.Unmarshal(raw, &doc); err != nil {
				t.Fatalf("the export %s is not JSON: %v", filepath.Base(f), err)
			}
			return string(raw)
		}
		time.Sleep(100 * time.Millisecond)
	}
	var loc string
	_ = chromedp.Run(ctx, chromedp.Location(&loc))
	t.Fatalf("no export was downloaded (the browser is on %s)", loc)
	return ""
}
