package server_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/mail"
	"github.com/mendhq/mend/internal/mail/mailtest"
	"github.com/mendhq/mend/internal/notify"
	"github.com/mendhq/mend/internal/testutil"
)

// mailApp is a test app with e-mail set up to a real SMTP server, and a sender over the app's
// database and clock, as `mend serve` or `mend notify --once` would run it.
type mailApp struct {
	*testutil.App
	smtp   *mailtest.Server
	sender *notify.Sender
}

func newMailApp(t *testing.T) *mailApp {
	t.Helper()
	srv := mailtest.Start(t, mailtest.Options{})
	smtpCfg := srv.Config()
	app := testutil.NewApp(t, func(c *config.Config) { c.SMTP, c.MailFrom = &smtpCfg, "notes@example.org" })
	couples := couple.NewService(app.DB, app.Clock.Now)
	svc := notify.NewService(app.DB, notify.FromServices(couples, checkin.NewService(app.DB, app.Clock.Now, nil), agreement.NewService(app.DB, app.Clock.Now)),
		notify.Options{Now: app.Clock.Now, BaseURL: app.Config.BaseURL, MailEnabled: true})
	links := map[mail.Kind]notify.LinkFunc{mail.PasswordReset: notify.ResetLink(app.Server.Accounts().CreateResetToken, app.Config.BaseURL)}
	return &mailApp{App: app, smtp: srv, sender: svc.NewSender(mail.NewSMTP(smtpCfg, "notes@example.org", srv.TLSConfig()), nil, links)}
}

type notificationsOut struct {
	EmailReminders    bool   `json:"email_reminders"`
	EmailUpdates      bool   `json:"email_updates"`
	EmailSignInAlerts bool   `json:"email_sign_in_alerts"`
	ReminderHour      int    `json:"reminder_hour"`
	CalendarFeed      bool   `json:"calendar_feed"`
	EmailConfirmed    bool   `json:"email_confirmed"`
	CalendarTitle     string `json:"calendar_title"`
	EmailAvailable    bool   `json:"email_available"`
}

func getNotifications(t *testing.T, cl *testutil.Client) notificationsOut {
	t.Helper()
	r := cl.JSON(http.MethodGet, "/api/v1/me/notifications", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET notifications: %d %s", r.Status, r.Body)
	}
	var out struct {
		Notifications notificationsOut `json:"notifications"`
	}
	r.JSON(t, &out)
	return out.Notifications
}

var confirmPath = regexp.MustCompile(`http://127\.0\.0\.1:8080(/confirm-email/[a-z0-9]+)`)

// TestNotificationSettingsFromOptInToConfirmedAddress covers the settings API and pages: off by
// default; without e-mail set up the page says so and e-mail settings are refused with the field named;
// with it, POST /me/email/confirm → 202 sends one link; opening the link changes nothing until its
// button is pressed, by anyone holding it, signed in or not; then the person can opt in. The partner's
// settings stay their own throughout (the cross-user test).
func TestNotificationSettingsFromOptInToConfirmedAddress(t *testing.T) {
	t.Parallel()
	plain := testutil.NewApp(t)
	solo := plain.Client()
	solo.RegisterBrowser("solo@example.org", "Solo")
	if r := solo.Get("/account/notifications"); r.Status != http.StatusOK || !strings.Contains(r.Body, "E-mail is not set up on this server") {
		t.Errorf("settings page without e-mail: %d\n%.600s", r.Status, r.Body)
	}
	if r := solo.JSON(http.MethodPut, "/api/v1/me/notifications", map[string]any{"email_reminders": true}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"email_reminders"`) {
		t.Errorf("reminders without e-mail: %d %s", r.Status, r.Body)
	}
	if r := solo.JSON(http.MethodPost, "/api/v1/me/email/confirm", nil); r.Status != http.StatusConflict {
		t.Errorf("confirm without e-mail: %d %s", r.Status, r.Body)
	}

	app := newMailApp(t)
	c := app.NewCouple("pulse")
	if n := getNotifications(t, c.A); n.EmailReminders || n.EmailUpdates || n.EmailSignInAlerts || n.CalendarFeed || n.EmailConfirmed || !n.EmailAvailable || n.CalendarTitle != "Weekly time" {
		t.Fatalf("defaults: %+v", n)
	}
	if r := c.A.JSON(http.MethodPut, "/api/v1/me/notifications", map[string]any{"email_updates": true}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"email_updates"`) {
		t.Errorf("before confirming: %d %s", r.Status, r.Body)
	}
	for body, field := range map[string]string{`{"reminder_hour": 24}`: "reminder_hour", `{"reminder_hour": "x"}`: "reminder_hour", `{"calendar_title": 5}`: "calendar_title"} {
		if r := c.A.JSON(http.MethodPut, "/api/v1/me/notifications", body); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, field) {
			t.Errorf("%s: %d %s", body, r.Status, r.Body)
		}
	}
	if r := c.A.JSON(http.MethodPost, "/api/v1/me/email/confirm", nil); r.Status != http.StatusAccepted {
		t.Fatalf("confirm: %d %s", r.Status, r.Body)
	}
	if _, err := app.sender.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := app.smtp.Wait(t, 1, 10*time.Second)[0]
	m := confirmPath.FindStringSubmatch(got.Text(t))
	if m == nil || got.To[0] != "pulse-a@example.org" {
		t.Fatalf("confirmation to %v:\n%s", got.To, got.Text(t))
	}
	stranger := app.Client()
	if r := stranger.Get(m[1]); r.Status != http.StatusOK || !strings.Contains(r.Body, "Confirm this address") {
		t.Fatalf("GET %s: %d", m[1], r.Status)
	}
	if getNotifications(t, c.A).EmailConfirmed {
		t.Fatal("opening the link confirmed the address: GET changed state")
	}
	if r := stranger.PostForm(m[1], nil); r.Status != http.StatusOK || !strings.Contains(r.Body, "Your address is confirmed") {
		t.Fatalf("POST %s: %d\n%.500s", m[1], r.Status, r.Body)
	}
	if r := stranger.PostForm(m[1], nil); r.Status != http.StatusNotFound {
		t.Errorf("the link used again: %d", r.Status)
	}
	r := c.A.JSON(http.MethodPut, "/api/v1/me/notifications", map[string]any{"email_reminders": true, "email_updates": true, "reminder_hour": 7, "calendar_title": "Tea"})
	if r.Status != http.StatusOK {
		t.Fatalf("opt in: %d %s", r.Status, r.Body)
	}
	if n := getNotifications(t, c.A); !n.EmailReminders || !n.EmailUpdates || n.EmailSignInAlerts || n.ReminderHour != 7 || !n.EmailConfirmed || n.CalendarTitle != "Tea" {
		t.Errorf("after opting in: %+v", n)
	}
	// The partner sees only their own settings, in the API and on the page.
	if n := getNotifications(t, c.B); n.EmailReminders || n.EmailConfirmed || n.ReminderHour != notify.DefaultReminderHour || n.CalendarTitle != "Weekly time" {
		t.Errorf("the partner's settings show A's: %+v", n)
	}
	b := app.Client()
	b.LoginBrowser("pulse-b@example.org", testutil.Password)
	page := b.Get("/account/notifications")
	if page.Status != http.StatusOK || strings.Contains(page.Body, "Tea") || strings.Contains(page.Body, "pulse-a@") || !strings.Contains(page.Body, "pulse-b@example.org") {
		t.Errorf("the partner's page: %d\n%.800s", page.Status, page.Body)
	}
	// The page form: unticking turns a setting off; a bad hour is shown again with 422.
	a := app.Client()
	a.LoginBrowser("pulse-a@example.org", testutil.Password)
	a.Get("/account/notifications")
	if r := a.PostForm("/account/notifications", testutil.Form("email_reminders", "on", "reminder_hour", "99", "calendar_title", "Kept text")); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Kept text") {
		t.Errorf("bad hour on the page: %d", r.Status)
	}
	if r := a.PostForm("/account/notifications", testutil.Form("email_reminders", "on", "reminder_hour", "21", "calendar_title", "")); r.Status != http.StatusSeeOther {
		t.Fatalf("page save: %d %s", r.Status, r.Body)
	}
	if n := getNotifications(t, c.A); !n.EmailReminders || n.EmailUpdates || n.ReminderHour != 21 || n.CalendarTitle != "Weekly time" {
		t.Errorf("after the page form: %+v", n)
	}
}

// TestCalendarFeedRoutes covers SECURITY L4 for the feed: POST /me/calendar → 201 {url} with a secret
// path (the database holds only its hash); the feed answers without a session as text/calendar; a
// revoked, replaced or unknown link is 404; lookups are throttled per client.
func TestCalendarFeedRoutes(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	c := app.NewCouple("feed")
	r := c.A.JSON(http.MethodPost, "/api/v1/me/calendar", nil)
	var out struct {
		URL string `json:"url"`
	}
	if r.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &out)
	path := strings.TrimPrefix(out.URL, app.Config.BaseURL)
	secret := strings.TrimSuffix(strings.TrimPrefix(path, "/calendar/"), ".ics")
	if !strings.HasPrefix(path, "/calendar/") || len(secret) < 26 {
		t.Fatalf("url %q", out.URL)
	}
	var hashes []string
	app.DB.Raw("SELECT hash FROM notify_tokens").Scan(&hashes)
	if len(hashes) != 1 || hashes[0] == secret {
		t.Errorf("stored %v", hashes)
	}
	anon := app.Client()
	feed := anon.Get(path)
	if feed.Status != http.StatusOK || !strings.HasPrefix(feed.Header.Get("Content-Type"), "text/calendar") ||
		!strings.Contains(feed.Body, "BEGIN:VCALENDAR") || !strings.Contains(feed.Body, "RRULE:FREQ=WEEKLY;BYDAY=SU") ||
		strings.Contains(feed.Body, "feed A") || strings.Contains(feed.Body, "feed B") {
		t.Fatalf("feed: %d %q\n%s", feed.Status, feed.Header.Get("Content-Type"), feed.Body)
	}
	if !getNotifications(t, c.A).CalendarFeed || getNotifications(t, c.B).CalendarFeed {
		t.Error("calendar_feed is not the person's own")
	}
	if r := c.A.JSON(http.MethodDelete, "/api/v1/me/calendar", nil); r.Status != http.StatusNoContent {
		t.Fatalf("revoke: %d", r.Status)
	}
	for _, p := range []string{path, "/calendar/unknown0123456789.ics", "/calendar/" + secret} {
		if r := app.Client().Get(p); r.Status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, r.Status)
		}
	}
	hammer := app.Client()
	limited := false
	for range 30 {
		if hammer.Get("/calendar/guess0123456789.ics").Status == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Error("30 feed lookups from one client in a minute were not throttled")
	}
	app.Clock.Advance(2 * time.Minute)
	if r := hammer.Get("/calendar/guess0123456789.ics"); r.Status != http.StatusNotFound {
		t.Errorf("after the window: %d", r.Status)
	}
}

func init() {
	// The pulse's routes act on the caller's own settings only: another couple's request reaches
	// nothing of the owner's, and the owner's settings and feed are unchanged.
	setup := func(t *testing.T, app *testutil.App, owner testutil.Couple) {
		t.Helper()
		if r := owner.A.JSON(http.MethodPut, "/api/v1/me/notifications", map[string]any{"reminder_hour": 6, "calendar_title": "ownerqz title"}); r.Status != http.StatusOK {
			t.Fatalf("owner settings: %d %s", r.Status, r.Body)
		}
		if r := owner.A.JSON(http.MethodPost, "/api/v1/me/calendar", nil); r.Status != http.StatusCreated {
			t.Fatalf("owner feed: %d", r.Status)
		}
	}
	check := func(t *testing.T, app *testutil.App, owner testutil.Couple) {
		t.Helper()
		if n := getNotifications(t, owner.A); n.ReminderHour != 6 || n.CalendarTitle != "ownerqz title" || !n.CalendarFeed {
			t.Errorf("the owner's settings changed: %+v", n)
		}
	}
	row := func(method, route, path string, body any) crossCoupleCase {
		return crossCoupleCase{Name: "own settings only", Method: method, Route: route, Check: check,
			Setup: func(t *testing.T, app *testutil.App, owner testutil.Couple) (string, any) {
				setup(t, app, owner)
				return path, body
			}}
	}
	addCrossCouple(
		row(http.MethodGet, "/account/notifications", "/account/notifications", nil),
		row(http.MethodPost, "/account/notifications", "/account/notifications", testutil.Values{"reminder_hour": {"9"}}),
		row(http.MethodPost, "/account/notifications/confirm", "/account/notifications/confirm", testutil.Values{}),
		row(http.MethodPost, "/account/calendar", "/account/calendar", testutil.Values{}),
		row(http.MethodPost, "/account/calendar/revoke", "/account/calendar/revoke", testutil.Values{}),
		row(http.MethodGet, "/api/v1/me/notifications", "/api/v1/me/notifications", nil),
		row(http.MethodPut, "/api/v1/me/notifications", "/api/v1/me/notifications", map[string]any{"reminder_hour": 9}),
		row(http.MethodPost, "/api/v1/me/email/confirm", "/api/v1/me/email/confirm", nil),
		row(http.MethodPost, "/api/v1/me/calendar", "/api/v1/me/calendar", nil),
		row(http.MethodDelete, "/api/v1/me/calendar", "/api/v1/me/calendar", nil),
	)
}
