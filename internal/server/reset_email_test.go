package server_test

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/mail/mailtest"
	"github.com/mendhq/mend/internal/testutil"
)

var resetPath = regexp.MustCompile(`http://127\.0\.0\.1:8080(/reset/[a-z0-9]+)`)

// runSender sends what is due and returns the messages that arrived during the run.
func (a *mailApp) runSender(t *testing.T) []mailtest.Received {
	t.Helper()
	before := len(a.smtp.Messages())
	if _, err := a.sender.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	return a.smtp.Messages()[before:]
}

// confirmAddress confirms cl's address through the link it is sent.
func (a *mailApp) confirmAddress(t *testing.T, cl *testutil.Client) {
	t.Helper()
	if r := cl.JSON(http.MethodPost, "/api/v1/me/email/confirm", nil); r.Status != http.StatusAccepted {
		t.Fatalf("confirm: %d %s", r.Status, r.Body)
	}
	got := a.runSender(t)
	if len(got) != 1 {
		t.Fatalf("%d confirmation messages", len(got))
	}
	m := confirmPath.FindStringSubmatch(got[0].Text(t))
	if m == nil {
		t.Fatalf("no confirmation link in\n%s", got[0].Text(t))
	}
	holder := a.Client()
	holder.Get(m[1])
	if r := holder.PostForm(m[1], nil); r.Status != http.StatusOK {
		t.Fatalf("confirming: %d", r.Status)
	}
}

// forgot asks for a reset link for email through the page, as a new visitor, and returns the page it
// is sent to.
func forgot(t *testing.T, app *mailApp, email string) *testutil.Response {
	t.Helper()
	v := app.Client()
	v.Get("/forgot-password")
	r := v.PostForm("/forgot-password", testutil.Form("email", email))
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/forgot-password?sent=1" {
		t.Fatalf("forgot %s: %d to %q", email, r.Status, r.Header.Get("Location"))
	}
	return v.Get(r.Header.Get("Location"))
}

// TestPasswordResetByEmail covers the reset by e-mail (DESIGN §5.2; SECURITY A3, A7, L1): "Forgot your
// password?" on /login leads to the address page; an account with a confirmed address, an account with
// an unconfirmed one and an address of no account all get the same answer, and only the first gets
// mail: a neutral message with a single-use link and nothing personal. The link sets a new password
// once, signs out every session, is written to the sign-in history and sends a notice.
func TestPasswordResetByEmail(t *testing.T) {
	t.Parallel()
	app := newMailApp(t)
	cp := app.NewCouple("reset")
	app.confirmAddress(t, cp.A)
	// B has settings of their own but never confirmed the address.
	if r := cp.B.JSON(http.MethodPut, "/api/v1/me/notifications", map[string]any{"reminder_hour": 8}); r.Status != http.StatusOK {
		t.Fatalf("B's settings: %d %s", r.Status, r.Body)
	}
	visitor := app.Client()
	mustContain(t, "the sign-in page", visitor.Get("/login").Body, `href="/forgot-password"`)
	mustContain(t, "the address page", visitor.Get("/forgot-password").Body, `action="/forgot-password"`, `name="email"`)

	const sent = "a link to choose a new password is on its way"
	pages := map[string]string{}
	for _, email := range []string{"reset-a@example.org", "reset-b@example.org", "nobody@example.org", " Reset-A@Example.org "} {
		page := forgot(t, app, email)
		if page.Status != http.StatusOK || !strings.Contains(page.Body, sent) {
			t.Fatalf("the page after asking for %s: %d\n%.600s", email, page.Status, page.Body)
		}
		pages[email] = page.Body[strings.Index(page.Body, "<main"):]
		pages[email] = regexp.MustCompile(`value="[^"]*"`).ReplaceAllString(pages[email], "")
	}
	if pages["reset-a@example.org"] != pages["nobody@example.org"] || pages["reset-b@example.org"] != pages["nobody@example.org"] {
		t.Error("the answer differs with whether the account exists or its address is confirmed")
	}
	for _, body := range []string{`{"email": "nobody@example.org"}`, `{"email": "reset-b@example.org"}`} {
		if r := app.Client().JSON(http.MethodPost, "/api/v1/auth/password-reset", body); r.Status != http.StatusAccepted || r.Body != "{}" {
			t.Errorf("API %s: %d %s", body, r.Status, r.Body)
		}
	}
	if r := app.Client().JSON(http.MethodPost, "/api/v1/auth/password-reset", map[string]string{"email": " "}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"email"`) {
		t.Errorf("no address: %d %s", r.Status, r.Body)
	}

	// One message queued and sent, for the confirmed address only, however often it was asked for.
	var queued int64
	if err := app.DB.Table("outbox").Where("kind = ?", "password_reset").Count(&queued).Error; err != nil || queued != 1 {
		t.Errorf("reset messages queued: %d (%v), want 1", queued, err)
	}
	got := app.runSender(t)
	if len(got) != 1 || !slices.Equal(got[0].To, []string{"reset-a@example.org"}) {
		t.Fatalf("messages: %+v", got)
	}
	header, text := got[0].Parsed(t)
	m := resetPath.FindStringSubmatch(text)
	if m == nil || header.Get("Subject") != "Your link" {
		t.Fatalf("the reset message (%q):\n%s", header.Get("Subject"), text)
	}
	mustNotContain(t, "the reset message", got[0].Data, "reset A", "reset B", "reset-b@", "Mend")
	if again := app.runSender(t); len(again) != 0 {
		t.Errorf("the unknown and unconfirmed addresses were sent %d messages", len(again))
	}

	// The link: the form, a new password, every session signed out, the history, the notice.
	if r := cp.A.JSON(http.MethodGet, "/api/v1/me", nil); r.Status != http.StatusOK {
		t.Fatalf("before the reset: %d", r.Status)
	}
	holder := app.Client()
	mustContain(t, "the reset page", holder.Get(m[1]).Body, "Set a new password")
	r := holder.PostForm(m[1], testutil.Form("new_password", "a brand new password for me"))
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/login?notice=reset" {
		t.Fatalf("reset: %d %q %s", r.Status, r.Header.Get("Location"), r.Body)
	}
	if r := cp.A.JSON(http.MethodGet, "/api/v1/me", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("the old session after the reset: %d", r.Status)
	}
	if kinds := historyKinds(t, app.App, "reset-a@example.org"); len(kinds) == 0 || kinds[0] != "password_reset" {
		t.Errorf("history: %v", kinds)
	}
	notice := app.runSender(t)
	if len(notice) != 1 || !slices.Equal(notice[0].To, []string{"reset-a@example.org"}) {
		t.Fatalf("notice messages: %+v", notice)
	}
	if h, body := notice[0].Parsed(t); h.Get("Subject") != "Your password was changed" || strings.Contains(body, "/reset/") {
		t.Errorf("the notice (%q):\n%s", h.Get("Subject"), body)
	}
	if r := holder.Get(m[1]); r.Status != http.StatusNotFound || !strings.Contains(r.Body, "no longer works") {
		t.Errorf("the link a second time: %d", r.Status)
	}
	if r := holder.PostForm(m[1], testutil.Form("new_password", "yet another new password")); r.Status != http.StatusNotFound {
		t.Errorf("the link used twice: %d", r.Status)
	}
	app.Client().LoginAPI("reset-a@example.org", "a brand new password for me")
}

// TestPasswordResetRequestsAreThrottled: one client asking again and again is refused with 429 and a
// Retry-After, on the page and the API alike (one throttle).
func TestPasswordResetRequestsAreThrottled(t *testing.T) {
	t.Parallel()
	app := newMailApp(t)
	cl := app.Client()
	cl.Get("/forgot-password")
	limited := false
	for i := range 30 {
		var r *testutil.Response
		if i%2 == 0 {
			r = cl.PostForm("/forgot-password", testutil.Form("email", "someone@example.org"))
		} else {
			r = cl.JSON(http.MethodPost, "/api/v1/auth/password-reset", map[string]string{"email": "someone@example.org"})
		}
		if r.Status == http.StatusTooManyRequests {
			limited = r.Header.Get("Retry-After") != ""
			break
		}
	}
	if !limited {
		t.Error("30 reset requests from one client within a minute were not throttled with Retry-After")
	}
}

// TestPasswordResetWithoutEmailSaysToAskTheOperator: where e-mail is not set up, the page says so and
// asks nothing; the API answers 409.
func TestPasswordResetWithoutEmailSaysToAskTheOperator(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cl := app.Client()
	page := cl.Get("/forgot-password")
	mustContain(t, "the page", page.Body, "can't send e-mail", "Ask whoever runs it")
	mustNotContain(t, "the page", page.Body, `name="email"`)
	if r := cl.JSON(http.MethodPost, "/api/v1/auth/password-reset", map[string]string{"email": "x@example.org"}); r.Status != http.StatusConflict {
		t.Errorf("API without e-mail: %d %s", r.Status, r.Body)
	}
}

const iPhoneAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Version/18.0 Mobile/15E148 Safari/604.1"

// TestSignInAlertOnANewDevice: with sign-in alerts on and the address confirmed, a sign-in from a
// device the account had not used sends one neutral message (no device, no name); the same device
// again, or someone with alerts off, gets none.
func TestSignInAlertOnANewDevice(t *testing.T) {
	t.Parallel()
	app := newMailApp(t)
	cp := app.NewCouple("alert")
	app.confirmAddress(t, cp.A)
	if r := cp.A.JSON(http.MethodPut, "/api/v1/me/notifications", map[string]any{"email_sign_in_alerts": true}); r.Status != http.StatusOK {
		t.Fatalf("opt in: %d %s", r.Status, r.Body)
	}
	app.Client().LoginAPI("alert-a@example.org", testutil.Password)
	if got := app.runSender(t); len(got) != 0 {
		t.Fatalf("a sign-in from a known device sent %d messages", len(got))
	}
	for _, email := range []string{"alert-a@example.org", "alert-b@example.org"} {
		phone := app.Client()
		phone.Headers["User-Agent"] = iPhoneAgent
		phone.LoginAPI(email, testutil.Password)
	}
	got := app.runSender(t)
	if len(got) != 1 || !slices.Equal(got[0].To, []string{"alert-a@example.org"}) {
		t.Fatalf("alerts: %+v", got)
	}
	h, body := got[0].Parsed(t)
	if h.Get("Subject") != "A new sign-in" {
		t.Errorf("subject %q", h.Get("Subject"))
	}
	mustNotContain(t, "the alert", body, "iPhone", "Safari", "alert A", "alert B")
	phone := app.Client()
	phone.Headers["User-Agent"] = iPhoneAgent
	phone.LoginAPI("alert-a@example.org", testutil.Password)
	if got := app.runSender(t); len(got) != 0 {
		t.Errorf("the same device again sent %d messages", len(got))
	}
}

// TestUpdatesEmailWhenSomethingNewArises: a person who asked for the updates e-mail gets one message
// of the day when their partner gives them something new (batched: more news the same day adds none);
// the partner, who did not ask, gets nothing, and nothing in the message says what it is.
func TestUpdatesEmailWhenSomethingNewArises(t *testing.T) {
	t.Parallel()
	app := newMailApp(t)
	cp := app.NewCouple("fymail")
	app.confirmAddress(t, cp.B)
	if r := cp.B.JSON(http.MethodPut, "/api/v1/me/notifications", map[string]any{"email_updates": true}); r.Status != http.StatusOK {
		t.Fatalf("opt in: %d %s", r.Status, r.Body)
	}
	// B's own write gives B nothing new: no message.
	proposeAPI(t, cp.B, honesty("Evenings together"))
	if got := app.runSender(t); len(got) != 0 {
		t.Fatalf("B's own write sent %d messages", len(got))
	}
	proposeAPI(t, cp.A, honesty("Tell each other the truth"))
	got := app.runSender(t)
	if len(got) != 1 || !slices.Equal(got[0].To, []string{"fymail-b@example.org"}) {
		t.Fatalf("updates messages: %+v", got)
	}
	h, body := got[0].Parsed(t)
	if h.Get("Subject") != "Something new is waiting for you" {
		t.Errorf("subject %q", h.Get("Subject"))
	}
	mustNotContain(t, "the message", body, "agreement", "truth", "fymail A", "/agreements/")
	proposeAPI(t, cp.A, honesty("Phones on the table"))
	if got := app.runSender(t); len(got) != 0 {
		t.Errorf("more news the same day sent %d more messages", len(got))
	}
}
