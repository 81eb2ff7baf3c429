package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// ciInOrder fails unless each of wants is in body, each after the one before.
func ciInOrder(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	at := 0
	for _, w := range wants {
		i := strings.Index(body[at:], w)
		if i < 0 {
			t.Fatalf("%s: %q is missing after %d, or comes before what it should follow", what, w, at)
		}
		at += i + len(w)
	}
}

// TestCheckinAnswersAreOneFormInSteps: the week's answers are one form posted to the one path, in the
// steps the script shows one at a time (appreciation, what went well, what was hard, what I need,
// ratings, agreements, review and share); without the script it is that same form on one page, and
// the step counter stays hidden until the script fills it in.
func TestCheckinAnswersAreOneFormInSteps(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := ciBrowserCouple(t, app, "steps")
	body := cp.A.Get("/checkins/" + ciWeek).Body
	if n := strings.Count(body, `<form method="post" action="/checkins/`+ciWeek+`"`); n != 1 {
		t.Fatalf("%d answer forms, want one", n)
	}
	ciInOrder(t, "the answer form", body, `data-steps`, `data-step-progress hidden`,
		`<section class="step" data-step="Something I appreciated`, `name="appreciation"`,
		`<section class="step" data-step="`, `name="went_well"`,
		`<section class="step" data-step="`, `name="was_hard"`,
		`<section class="step" data-step="`, `name="need"`,
		`<section class="step" data-step="Ratings"`, `name="trust"`, `name="connection"`, `name="safety"`,
		`<section class="step" data-step="Review and share"`, `name="skip"`, `value="share"`, `</form>`)
	if n := strings.Count(body, `class="step" data-step=`); n != 6 {
		t.Errorf("%d steps without agreements, want 6", n)
	}
}

// TestCheckinOpenedLeadsWithThePartnerWhenListeningIsNext: once the answers open, the one whose next task
// is to say what they heard reads the partner's answers first, set apart from their own; after they have
// said it, their own answers lead again.
func TestCheckinOpenedLeadsWithThePartnerWhenListeningIsNext(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := ciBrowserCouple(t, app, "leads")
	page := "/checkins/" + ciWeek
	ciWantRedirect(t, cp.A.PostForm(page, testutil.Form("was_hard", "LEADS-A-hard", "trust", "3", "connection", "4", "safety", "7", "action", "share")), page+"?saved=shared")
	ciWantRedirect(t, cp.B.PostForm(page, testutil.Form("was_hard", "LEADS-B-hard", "trust", "8", "connection", "9", "safety", "6", "action", "share")), page+"?saved=shared")

	body := cp.A.Get(page).Body
	ciInOrder(t, "A's page before listening", body, `<section class="answers-theirs"`, "LEADS-B-hard", `<section class="answers-mine"`, "LEADS-A-hard", `id="heard-text"`)
	r := cp.A.PostForm(page+"/reflections", testutil.Form("heard", "You found it hard."))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("restate: %d", r.Status)
	}
	ciInOrder(t, "A's page after listening", cp.A.Get(page).Body, `<section class="answers-mine"`, "LEADS-A-hard", `<section class="answers-theirs"`, "LEADS-B-hard")
}

// ciOpenStep returns the data-step of the one section marked data-step-open, and the counter's text.
func ciOpenStep(t *testing.T, body string) (step, counter string) {
	t.Helper()
	if n := strings.Count(body, " data-step-open>"); n != 1 {
		t.Fatalf("%d steps marked open, want one", n)
	}
	i := strings.Index(body, " data-step-open>")
	open := body[:i]
	j := strings.LastIndex(open, `data-step="`)
	step = open[j+len(`data-step="`):]
	step = step[:strings.Index(step, `"`)]
	c := body[strings.Index(body, `id="step-count" aria-live="polite">`)+len(`id="step-count" aria-live="polite">`):]
	return step, c[:strings.Index(c, "<")]
}

// TestCheckinStepsOpenWhereTheScriptWould: the server marks the step the form opens at and fills in its
// counter, so the page is drawn one step at a time before the script comes: the first step for new
// answers, the review once they are shared, and after a refused post the first step with a message.
func TestCheckinStepsOpenWhereTheScriptWould(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := ciBrowserCouple(t, app, "open")
	page := "/checkins/" + ciWeek
	step, counter := ciOpenStep(t, cp.A.Get(page).Body)
	if step != "Something I appreciated" || counter != "Step 1 of 6: Something I appreciated" {
		t.Errorf("new answers open at %q, counted %q", step, counter)
	}
	r := cp.A.PostForm(page, testutil.Form("appreciation", "OPEN-kept", "trust", "11", "action", "draft"))
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a trust of 11: %d", r.Status)
	}
	if step, counter := ciOpenStep(t, r.Body); step != "Ratings" || counter != "Step 5 of 6: Ratings" {
		t.Errorf("a refused rating opens at %q, counted %q", step, counter)
	}
	ciWantRedirect(t, cp.A.PostForm(page, testutil.Form("appreciation", "OPEN-kept", "trust", "4", "connection", "5", "safety", "6", "action", "share")), page+"?saved=shared")
	body := cp.A.Get(page).Body
	if step, counter := ciOpenStep(t, body); step != "Review and share" || counter != "Step 6 of 6: Review and share" {
		t.Errorf("shared answers open at %q, counted %q", step, counter)
	}
	ciInOrder(t, "the review as the server draws it", body, `data-step-review hidden>`,
		`<strong>Something I appreciated: </strong>OPEN-kept`, `<strong>What went well: </strong>Not answered`,
		`<strong>Trust: </strong>4`, `aria-label="Change: Ratings"`, `</ul>`)
}
