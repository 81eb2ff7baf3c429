package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestRepairToolsOnAPhone: two partners, each on their own phone, without touching the API. Alex says
// on the couple page that they were hurt, and the home's next step on their path leads to the trigger
// log, where Alex notes a hard moment, previews what Sam would see and sends it without the words;
// Sam sees only the signal and reassures with a fact; Alex reads the response. Alex asks a question,
// Sam, who says they broke trust, is led by the home's next step to the waiting question, answers it
// and then corrects the answer, and Alex sees the correction beside the first answer with
// what changed. Axe checks every page on the way; every step is photographed.
func TestRepairToolsOnAPhone(t *testing.T) {
	srv := Start(t)
	sam := &journeyPerson{name: "repair-sam", ctx: NewBrowser(t, Phone)}
	alex := &journeyPerson{name: "repair-alex", ctx: NewBrowser(t, Phone)}
	Pair(t, srv, SignUp(t, sam.ctx, srv, "repair-sam@example.org", "Sam"), SignUp(t, alex.ctx, srv, "repair-alex@example.org", "Alex"))
	const words = "The song from that summer came on in the shop."

	chooseRole(t, alex, srv, "hurt")
	alex.visit(t, srv.URL+"/dashboard", "Your path", "The guide for the partner who was hurt")
	alex.shot(t, "home-path")
	alex.then(t, "trigger-log", `form[action="/triggers"]`, chromedp.Click(`.home-path a[href="/triggers"]`, chromedp.ByQuery))
	alex.visit(t, srv.URL+"/triggers", "Trigger log", "Only you can see this log")
	alex.then(t, "trigger-saved", `a[href$="/signal"]`,
		chromedp.SendKeys("#what", words, chromedp.ByQuery),
		chromedp.Click(`fieldset#strength label:nth-of-type(8)`, chromedp.ByQuery),
		chromedp.SendKeys("#helped", "Sitting in the car for a minute.", chromedp.ByQuery),
		chromedp.Click(`form[action="/triggers"] button[type=submit]`, chromedp.ByQuery))
	alex.then(t, "signal-preview", `form[action$="/signal"]`, chromedp.Click(`a[href$="/signal"]`, chromedp.ByQuery))
	text := alex.visit(t, currentURL(t, alex), "Without your words", "With your words", words)
	if !strings.Contains(text, "Something brought the hurt back") {
		t.Fatalf("the preview does not show the message:\n%s", text)
	}
	alex.then(t, "signal-sent", `.notice[role="status"]`,
		chromedp.Click(`form[action$="/signal"] input[value="0"] ~ button`, chromedp.ByQuery))

	text = sam.visit(t, srv.URL+"/triggers", "From Alex", "Something brought the hurt back")
	if strings.Contains(text, words) || strings.Contains(text, "Sitting in the car") {
		t.Fatalf("Sam sees Alex's private words:\n%s", text)
	}
	sam.shot(t, "signal-received")
	sam.then(t, "signal-answered", `.notice[role="status"]`,
		chromedp.Click(`input[name="kind"][value="reassure"]`, chromedp.ByQuery),
		chromedp.SendKeys(`textarea[id^="text-"]`, "I'm home by six and my phone is on the table.", chromedp.ByQuery),
		chromedp.Click(`form[action^="/signals/"] button[type=submit]`, chromedp.ByQuery))
	alex.visit(t, srv.URL+"/triggers", "Reassure with a fact", "I'm home by six")
	alex.shot(t, "response-read")
	alex.visit(t, srv.URL+"/progress", "Your trigger log (only you see this)", "Times noted")
	if text := sam.visit(t, srv.URL+"/progress"); strings.Contains(text, "Times noted") {
		t.Fatalf("Sam's progress counts Alex's triggers:\n%s", text)
	}

	alex.visit(t, srv.URL+"/questions", "Questions about meaning", "Questions about fine detail")
	alex.then(t, "question-asked", `.notice[role="status"]`,
		chromedp.SendKeys("#question-text", "When did you last speak to her?", chromedp.ByQuery),
		chromedp.Click(`form[action="/questions"] button[type=submit]`, chromedp.ByQuery))
	chooseRole(t, sam, srv, "broke_trust")
	text = sam.visit(t, srv.URL+"/dashboard", "Your path", "A question is waiting for your answer")
	if strings.Contains(text, "When did you last speak to her?") {
		t.Fatalf("the home's next step shows the question's words:\n%s", text)
	}
	sam.then(t, "home-question-waiting", `textarea[id^="answer-"]`, chromedp.Click(`.home-path a[href="/questions"]`, chromedp.ByQuery))
	sam.visit(t, srv.URL+"/questions", "When did you last speak to her?")
	sam.then(t, "question-answered", `.notice[role="status"]`,
		chromedp.SendKeys(`textarea[id^="answer-"]`, "In March.", chromedp.ByQuery),
		chromedp.Click(`form[action$="/answer"] button[type=submit]`, chromedp.ByQuery))
	sam.then(t, "answer-corrected", `.notice[role="status"]`,
		chromedp.SetValue(`textarea[id^="answer-"]`, "In May. I said March before; that was not true.", chromedp.ByQuery),
		chromedp.Click(`form[action$="/answer"] button[type=submit]`, chromedp.ByQuery))
	text = alex.visit(t, srv.URL+"/questions", "In May. I said March before", "Answer, corrected", "Earlier answers (1), kept as they were")
	if !strings.Contains(text, "What changed from the answer before") {
		t.Fatalf("the correction is not shown with what changed:\n%s", text)
	}
	alex.shot(t, "correction-seen")
}

// chooseRole records the person's part in what happened on the couple page.
func chooseRole(t *testing.T, p *journeyPerson, srv *Server, role string) {
	t.Helper()
	p.visit(t, srv.URL+"/couple", "Your part in what happened")
	p.then(t, "role-"+role, `.notice[role="status"]`,
		chromedp.Click(`form[action="/couple/role"] input[value="`+role+`"]`, chromedp.ByQuery),
		chromedp.Click(`form[action="/couple/role"] button[type=submit]`, chromedp.ByQuery))
}

// currentURL returns the address the person's browser is on.
func currentURL(t *testing.T, p *journeyPerson) string {
	t.Helper()
	var loc string
	Run(t, p.ctx, chromedp.Location(&loc))
	return loc
}
