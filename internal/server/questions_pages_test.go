package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

// TestQuestionPagesAskAnswerCorrectAndPause drives the questions through their pages, without
// JavaScript: the guidance at the point of writing, an invalid question shown again with its text, a
// question that waits, an answer and its correction shown with what changed, a similar question that
// links the earlier answer, and a pause only its asker ends.
func TestQuestionPagesAskAnswerCorrectAndPause(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("qpage")
	a, b := cp.A, cp.B

	r := a.Get("/questions")
	planWantStatus(t, r, http.StatusOK, "/questions")
	mustContain(t, "/questions", r.Body, "<title>Questions</title>", "Questions about meaning", "Questions about fine detail",
		`href="/guide/rebuild-trust#resentment-and-anger"`, "At our next check-in, Sunday 29 November")
	r = a.PostForm("/questions", testutil.Form("text", "", "wait", "now"))
	planWantStatus(t, r, http.StatusUnprocessableEntity, "empty question")
	r = a.PostForm("/questions", testutil.Form("text", "QPAGE waits for Sunday", "wait", "date", "wait_on", "2030-01-01"))
	planWantStatus(t, r, http.StatusUnprocessableEntity, "a day too far")
	mustContain(t, "shown again", r.Body, "QPAGE waits for Sunday")
	planWantRedirect(t, a.PostForm("/questions", testutil.Form("text", "QPAGE waits for Sunday", "wait", "checkin")), "/questions?done=waiting", "wait")
	mustContain(t, "A's page", a.Get("/questions").Body, "QPAGE waits for Sunday", "Waiting for your check-in on Sunday 29 November")
	mustNotContain(t, "B's page", b.Get("/questions").Body, "QPAGE waits for Sunday")

	planWantRedirect(t, a.PostForm("/questions", testutil.Form("text", "Why did you keep messaging her after you promised to stop?", "wait", "now")),
		"/questions?done=asked", "ask")
	r = b.Get("/questions")
	id := regexpFind(t, r.Body, `action="/questions/([A-Za-z0-9_-]+)/answer"`)
	planWantRedirect(t, b.PostForm("/questions/"+id+"/answer", testutil.Form("text", "Because I was afraid of losing her friendship.")), "/questions?done=answered", "answer")
	planWantRedirect(t, b.PostForm("/questions/"+id+"/answer", testutil.Form("text", "Because I was afraid of losing her.")), "/questions?done=answered", "correct")
	r = a.Get("/questions")
	mustContain(t, "the corrected answer", r.Body, "Because I was afraid of losing her.", "Answer, corrected", "<del>her friendship.</del><ins>her.</ins>",
		"Earlier answers (1), kept as they were", "Because I was afraid of losing her friendship.")
	if strings.Contains(r.Body, `action="/questions/`+id+`/answer"`) {
		t.Errorf("the asker is offered to answer their own question")
	}

	app.Clock.Advance(time.Minute)
	r = a.PostForm("/questions", testutil.Form("text", "Why did you keep messaging her after promising?", "wait", "now"))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("the similar question was not taken: %d", r.Status)
	}
	r = a.Get(r.Header.Get("Location"))
	mustContain(t, "after a similar question", r.Body, "You asked something like this on 25 November; here is what was said.", `href="#question-`+id+`"`)

	planWantRedirect(t, b.PostForm("/questions/pause", testutil.Form("for", "72", "note", "QPAGE a break")), "/questions?done=paused", "pause")
	r = a.Get("/questions")
	mustContain(t, "A during the pause", r.Body, "The questions are paused until", "QPAGE a break")
	mustNotContain(t, "A during the pause", r.Body, `action="/questions/pause/end"`)
	planWantStatus(t, a.PostForm("/questions/pause/end", testutil.Form()), http.StatusForbidden, "A ends B's pause")
	r = a.PostForm("/questions", testutil.Form("text", "QPAGE during the pause", "wait", "now"))
	planWantStatus(t, r, http.StatusConflict, "asking now during the pause")
	mustContain(t, "shown again", r.Body, "QPAGE during the pause", "You can still write one down")
	mustContain(t, "B during the pause", b.Get("/questions").Body, `action="/questions/pause/end"`)
	planWantRedirect(t, b.PostForm("/questions/pause/end", testutil.Form()), "/questions?done=resumed", "end pause")
}

// TestQuestionPagesDoNotPushAskingWhileSafetyIsLow: with a low private safety answer the ask form is
// folded away behind the help for that person; otherwise it is open.
func TestQuestionPagesDoNotPushAskingWhileSafetyIsLow(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("qlow")
	ciPut(t, cp.A, ciWeek, ciAnswer("qlow-a", 5, 5, 3, false))
	a, b := cp.A.Get("/questions").Body, cp.B.Get("/questions").Body
	mustContain(t, "A's page", a, "Your safety comes first")
	if strings.Contains(a, `<details open>
<summary><h2 id="ask-heading"`) {
		t.Errorf("A's ask form is open while A's safety answer is low")
	}
	mustNotContain(t, "B's page", b, "Your safety comes first")
	mustContain(t, "B's page", b, `<details open>
<summary><h2 id="ask-heading"`)
}
