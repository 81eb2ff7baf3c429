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
