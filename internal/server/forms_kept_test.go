package server_test

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

// TestTwoStepFormsShowAgainWithTheirError: a wrong code on the second sign-in step, on turning two-step
// sign-in on and on turning it off shows the form again (422) with the message next to the code input,
// the hidden challenge and next kept, and the codes typed never written back, as a password is not.
func TestTwoStepFormsShowAgainWithTheirError(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	const email = "forms-k2@example.org"
	b := acctBrowserUser(t, app, email)
	b.Get("/account/two-step")
	planWantRedirect(t, b.PostForm("/account/two-step/start", nil), "/account/two-step", "start")
	r := b.Get("/account/two-step")
	secret := regexpFind(t, r.Body, `<code class="secret">([A-Z2-7]+)</code>`)
	codeError := `aria-invalid="true" aria-describedby="code-error">`
	r = b.PostForm("/account/two-step/confirm", testutil.Form("code", "000000"))
	wantPage(t, r, http.StatusUnprocessableEntity, `action="/account/two-step/confirm"`, codeError, `<p class="field-error" id="code-error">That code didn&#39;t work.</p>`, secret)
	mustNotContain(t, "the confirm form shown again", r.Body, `value="000000"`)
	planWantStatus(t, b.PostForm("/account/two-step/confirm", testutil.Form("code", totpNow(t, app, secret))), http.StatusOK, "confirm")
	app.Clock.Advance(30 * time.Second)

	r = b.PostForm("/account/two-step/off", testutil.Form("code", "000000", "recovery_code", "OFF-RECOVERY-TYPED"))
	wantPage(t, r, http.StatusUnprocessableEntity, `action="/account/two-step/off"`, codeError, `id="code-error"`)
	mustNotContain(t, "the off form shown again", r.Body, `value="000000"`, "OFF-RECOVERY-TYPED")

	s := app.Client()
	s.Get("/login")
	r = s.PostForm("/login", testutil.Form("email", email, "password", testutil.Password, "next", "/account/notifications"))
	ch := regexpFind(t, r.Body, `name="challenge" value="([^"]+)"`)
	r = s.PostForm("/login/second-factor", testutil.Form("challenge", ch, "code", "000000", "recovery_code", "SIGNIN-RECOVERY-TYPED", "next", "/account/notifications"))
	wantPage(t, r, http.StatusUnprocessableEntity, `name="next" value="/account/notifications"`, `name="challenge" value="`+ch+`"`,
		`autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="8" `+codeError, `id="code-error"`)
	mustNotContain(t, "the second step shown again", r.Body, `value="000000"`, "SIGNIN-RECOVERY-TYPED")
	if !regexp.MustCompile(`(?s)id="code".*id="code-error".*id="recovery_code"`).MatchString(r.Body) {
		t.Errorf("the code's message is not next to the code input:\n%s", r.Body)
	}
}

// TestNotificationFormShowsAgainAsPosted: a refused settings form shows again (422) exactly as it was
// posted, boxes ticked or not as they were, the hour chosen and the titles typed, with each message
// next to its own input.
func TestNotificationFormShowsAgainAsPosted(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	a := acctBrowserUser(t, app, "forms-pulse@example.org")
	a.Get("/account/notifications")
	r := a.PostForm("/account/notifications", testutil.Form("email_reminders", "on", "reminder_hour", "5",
		"calendar_title", "KEPT CAL", "review_title", "KEPT REVIEW"))
	wantPage(t, r, http.StatusUnprocessableEntity,
		`name="email_reminders" value="on" checked aria-invalid="true" aria-describedby="email_reminders-error">`,
		`<p class="field-error" id="email_reminders-error">E-mail is not set up`,
		`name="email_updates" value="on">`, `name="email_sign_in_alerts" value="on">`,
		`<option value="5" selected>05:00</option>`, `value="KEPT CAL">`, `value="KEPT REVIEW">`)
	wantAbsent(t, r, `id="reminder_hour-error"`, `id="calendar_title-error"`)

	r = a.PostForm("/account/notifications", testutil.Form("reminder_hour", "99", "calendar_title", "KEPT AGAIN", "review_title", ""))
	wantPage(t, r, http.StatusUnprocessableEntity, `aria-describedby="reminder_hour-help reminder_hour-error"`,
		`<p class="field-error" id="reminder_hour-error">`, `value="KEPT AGAIN">`, `id="review_title" name="review_title" maxlength="100" value="">`,
		`name="email_reminders" value="on">`)
	wantAbsent(t, r, " selected>", `id="email_reminders-error"`)
}

// TestQuestionFormsShowAgainWhereTheyWerePosted: on the questions page, a refused form (asking,
// answering, a follow-up, a pause) shows again (422) with what was typed and its message next to its
// own input, linked to it, and in no other form.
func TestQuestionFormsShowAgainWhereTheyWerePosted(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("qforms")
	a, b := cp.A, cp.B
	const bidi = "\u202e"
	a.Get("/questions")
	planWantRedirect(t, a.PostForm("/questions", testutil.Form("text", "Why did you stop calling?", "wait", "now")), "/questions?done=asked", "ask")
	r := b.Get("/questions")
	id := regexpFind(t, r.Body, `action="/questions/([A-Za-z0-9_-]+)/answer"`)

	r = a.PostForm("/questions", testutil.Form("text", "ASK KEPT", "wait", "date", "wait_on", ""))
	wantPage(t, r, http.StatusUnprocessableEntity, `aria-describedby="wait_until-error"`, `<p class="field-error" id="wait_until-error">`,
		`>ASK KEPT</textarea>`, `name="wait" value="date" checked`, `id="pause-note" name="note" maxlength="500" value="">`)
	wantAbsent(t, r, `id="question-text-error"`, `id="pause-for-error"`)

	r = b.PostForm("/questions/"+id+"/answer", testutil.Form("text", "ANSWER KEPT"+bidi))
	wantPage(t, r, http.StatusUnprocessableEntity, `aria-invalid="true" aria-describedby="answer-`+id+`-error">ANSWER KEPT`,
		`<p class="field-error" id="answer-`+id+`-error">`, `id="question-text" name="text" rows="3" maxlength="2000"></textarea>`,
		`id="follow-`+id+`" name="text" rows="2" maxlength="2000"></textarea>`)
	wantAbsent(t, r, `id="question-text-error"`, `id="follow-`+id+`-error"`)

	planWantRedirect(t, b.PostForm("/questions/"+id+"/answer", testutil.Form("text", "Because I was ashamed.")), "/questions?done=answered", "answer")
	r = b.PostForm("/questions/"+id+"/answer", testutil.Form("text", "CORRECTION KEPT"+bidi))
	wantPage(t, r, http.StatusUnprocessableEntity, `aria-invalid="true" aria-describedby="answer-`+id+`-help answer-`+id+`-error">CORRECTION KEPT`)

	r = b.PostForm("/questions/"+id+"/follow-up", testutil.Form("text", "FOLLOW KEPT"+bidi))
	wantPage(t, r, http.StatusUnprocessableEntity, `aria-invalid="true" aria-describedby="follow-`+id+`-error">FOLLOW KEPT`,
		`<p class="field-error" id="follow-`+id+`-error">`, `<details open>
        <summary>Add a follow-up</summary>`, `maxlength="8000" aria-describedby="answer-`+id+`-help">Because I was ashamed.</textarea>`)
	wantAbsent(t, r, `id="answer-`+id+`-error"`, `id="question-text-error"`)

	r = b.PostForm("/questions/pause", testutil.Form("for", "0", "note", "PAUSE KEPT"))
	wantPage(t, r, http.StatusUnprocessableEntity, `aria-describedby="pause-for-error"`, `<p class="field-error" id="pause-for-error">`, `value="PAUSE KEPT">`)
	r = b.PostForm("/questions/pause", testutil.Form("for", "72", "note", "PAUSE KEPT"+bidi))
	wantPage(t, r, http.StatusUnprocessableEntity, `<option value="72" selected>`, `aria-invalid="true" aria-describedby="pause-note-error"`,
		`<p class="field-error" id="pause-note-error">`)
	wantAbsent(t, r, `id="pause-for-error"`, `id="answer-`+id+`-error"`, `id="question-text-error"`)
}

// TestTriggerFormsShowAgainWhereTheyWerePosted: on the trigger log and its edit page, a refused entry
// or response shows again (422) with what was typed and its message next to its own input, linked to
// it, and in no other form.
func TestTriggerFormsShowAgainWhereTheyWerePosted(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("trforms")
	a, b := cp.A, cp.B
	const bidi = "\u202e"
	e := trLog(t, a, "TRFORMS first")
	planWantStatus(t, a.JSON(http.MethodPost, "/api/v1/triggers/"+e.ID+"/signal", map[string]bool{"include_text": false}), http.StatusOK, "signal")
	sid := trSignals(t, b)[0].ID

	a.Get("/triggers")
	r := a.PostForm("/triggers", testutil.Form("at", "2026-11-25T10:15", "what", "WHAT KEPT", "strength", "", "helped", "HELPED KEPT"))
	wantPage(t, r, http.StatusUnprocessableEntity, `aria-describedby="strength-error"`, `<p class="field-error" id="strength-error">`,
		`value="2026-11-25T10:15"`, `>WHAT KEPT</textarea>`, `>HELPED KEPT</textarea>`)
	wantAbsent(t, r, `id="what-error"`, `id="at-error"`)

	a.Get("/triggers/" + e.ID + "/edit")
	r = a.PostForm("/triggers/"+e.ID+"/edit", testutil.Form("at", "not a time", "what", "EDIT KEPT", "strength", "4", "helped", ""))
	wantPage(t, r, http.StatusUnprocessableEntity, `value="not a time" aria-invalid="true" aria-describedby="at-error">`,
		`<p class="field-error" id="at-error">`, `>EDIT KEPT</textarea>`, `name="strength" value="4" checked>`)
	wantAbsent(t, r, "TRFORMS first", `id="strength-error"`)

	b.Get("/triggers")
	r = b.PostForm("/signals/"+sid+"/response", testutil.Form("kind", "", "text", "RESPONSE KEPT"))
	wantPage(t, r, http.StatusUnprocessableEntity, `id="kind-`+sid+`" aria-describedby="kind-`+sid+`-error"`,
		`<p class="field-error" id="kind-`+sid+`-error">`, `>RESPONSE KEPT</textarea>`, `id="what" name="what" rows="3" maxlength="2000"></textarea>`)
	wantAbsent(t, r, `id="text-`+sid+`-error"`, `id="strength-error"`)
	r = b.PostForm("/signals/"+sid+"/response", testutil.Form("kind", "reassure", "text", "RESPONSE KEPT"+bidi))
	wantPage(t, r, http.StatusUnprocessableEntity, `name="kind" value="reassure" checked>`,
		`aria-invalid="true" aria-describedby="text-`+sid+`-error">RESPONSE KEPT`, `<p class="field-error" id="text-`+sid+`-error">`)
	wantAbsent(t, r, `id="kind-`+sid+`-error"`)

	r = b.PostForm("/triggers", testutil.Form("at", "", "what", "B WHAT"+bidi, "strength", "3"))
	wantPage(t, r, http.StatusUnprocessableEntity, `aria-invalid="true" aria-describedby="what-error">B WHAT`, `<p class="field-error" id="what-error">`,
		`id="text-`+sid+`" name="text" rows="3" maxlength="1000"></textarea>`)
	wantAbsent(t, r, `id="kind-`+sid+`-error"`, `id="text-`+sid+`-error"`, `value="reassure" checked`)
}
