package notify_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/mail"
	"github.com/mendhq/mend/internal/mail/mailtest"
	"github.com/mendhq/mend/internal/notify"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/internal/token"
)

var ctx = context.Background()

const base = "https://notes.example.org"

// fixture is a migrated database, a fake clock, the real couple, check-in and agreement services, the
// pulse over them, and a real SMTP server (STARTTLS, test certificate) receiving its mail.
type fixture struct {
	db         *gorm.DB
	clock      *testutil.Clock
	couples    *couple.Service
	checkins   *checkin.Service
	agreements *agreement.Service
	svc        *notify.Service
	smtp       *mailtest.Server
	sender     *notify.Sender
}

func newFixture(t *testing.T, start time.Time) *fixture {
	t.Helper()
	db := testutil.NewEngineDB(t)
	return newFixtureOver(t, db, start)
}

// newFixtureOn is newFixture on engine (testutil.Engines).
func newFixtureOn(t *testing.T, engine string, start time.Time) *fixture {
	t.Helper()
	return newFixtureOver(t, testutil.NewDBOn(t, engine), start)
}

func newFixtureOver(t *testing.T, db *gorm.DB, start time.Time) *fixture {
	t.Helper()
	f := &fixture{db: db, clock: testutil.NewClock(start)}
	f.couples = couple.NewService(db, f.clock.Now)
	f.checkins = checkin.NewService(db, f.clock.Now, nil)
	f.agreements = agreement.NewService(db, f.clock.Now)
	f.smtp = mailtest.Start(t, mailtest.Options{Username: "mailer", Password: "mailer-pass"})
	f.restart()
	return f
}

// restart builds the pulse service and sender anew over the same database, as a restarted (or
// another) instance would.
func (f *fixture) restart() {
	f.svc = notify.NewService(f.db, notify.FromServices(f.couples, f.checkins, f.agreements),
		notify.Options{Now: f.clock.Now, BaseURL: base, MailEnabled: true})
	f.sender = f.svc.NewSender(mail.NewSMTP(f.smtp.Config(), "Notes <notes@example.org>", f.smtp.TLSConfig()), nil, nil)
}

// restartedTwin returns a second sender over the same database and SMTP server: another instance.
func (f *fixture) restartedTwin() *notify.Sender {
	svc := notify.NewService(f.db, notify.FromServices(f.couples, f.checkins, f.agreements),
		notify.Options{Now: f.clock.Now, BaseURL: base, MailEnabled: true})
	return svc.NewSender(mail.NewSMTP(f.smtp.Config(), "Notes <notes@example.org>", f.smtp.TLSConfig()), nil, nil)
}

// user adds an account directly (no password hashing needed here) and returns its id and address.
func (f *fixture) user(t *testing.T, name string) (string, string) {
	t.Helper()
	id := token.ID()
	email := strings.ToLower(name) + "-" + id[:6] + "@example.org"
	now := f.clock.Now().UTC()
	if err := f.db.Exec("INSERT INTO users (id, email, display_name, password_hash, created_at, updated_at) VALUES (?, ?, ?, 'x', ?, ?)",
		id, email, name, now, now).Error; err != nil {
		t.Fatalf("user: %v", err)
	}
	return id, email
}

// couple starts a couple of a and b in tz with the check-in on weekday.
func (f *fixture) couple(t *testing.T, a, b, tz, weekday string) {
	t.Helper()
	if _, err := f.couples.Start(ctx, a, tz, weekday); err != nil {
		t.Fatalf("start: %v", err)
	}
	m, _ := f.couples.Current(ctx, a)
	tok, _, err := f.couples.CreateInvite(ctx, m.Couple.ID, a)
	if err != nil {
		t.Fatalf("invite: %v", err)
	}
	if _, err := f.couples.Join(ctx, b, tok); err != nil {
		t.Fatalf("join: %v", err)
	}
}

func (f *fixture) run(t *testing.T) notify.Result {
	t.Helper()
	r, err := f.sender.RunOnce(ctx)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return r
}

var confirmLink = regexp.MustCompile(base + `/confirm-email/([a-z0-9]+)`)

// confirm takes a person through the confirmation message and link, and returns the message.
func (f *fixture) confirm(t *testing.T, userID, email string) mailtest.Received {
	t.Helper()
	before := len(f.smtp.Messages())
	if err := f.svc.RequestConfirm(ctx, userID, email); err != nil {
		t.Fatalf("request confirm: %v", err)
	}
	r := f.run(t)
	var got mailtest.Received
	var m []string
	for _, msg := range f.smtp.Wait(t, before+r.Sent, 10*time.Second)[before:] {
		if msg.To[0] == email && m == nil {
			got, m = msg, confirmLink.FindStringSubmatch(msg.Text(t))
		}
	}
	if m == nil {
		t.Fatalf("no confirmation link to %s", email)
	}
	if err := f.svc.Confirm(ctx, m[1]); err != nil {
		t.Fatalf("confirm: %v", err)
	}
	return got
}

// optIn confirms the address and turns reminders on at hour.
func (f *fixture) optIn(t *testing.T, userID, email string, hour int) {
	t.Helper()
	f.confirm(t, userID, email)
	on := true
	if _, err := f.svc.Update(ctx, userID, email, notify.Input{EmailReminders: &on, ReminderHour: &hour}); err != nil {
		t.Fatalf("opt in: %v", err)
	}
}

// share shares userID's answers for this week ("not this week" counts).
func (f *fixture) share(t *testing.T, userID string) {
	t.Helper()
	m, err := f.couples.Current(ctx, userID)
	if err != nil || m == nil {
		t.Fatalf("membership: %v", err)
	}
	if _, err := f.checkins.SaveAnswer(ctx, m, f.checkins.Current(m).String(), checkin.AnswerInput{Skip: true, Submit: true}); err != nil {
		t.Fatalf("share: %v", err)
	}
}
