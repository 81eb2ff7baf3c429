package notify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/mail"
	"github.com/mendhq/mend/internal/notify"
	"github.com/mendhq/mend/internal/testutil"
)

// dueReminder makes a couple in London whose check-in is on Wednesday 25 November 2026, with ana opted
// in for 12:00, and puts the clock at 12:00 so her reminder is due.
func dueReminder(t *testing.T) (*fixture, string, string) {
	t.Helper()
	return dueReminderOn(t, newFixture(t, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)))
}

func dueReminderOn(t *testing.T, f *fixture) (*fixture, string, string) {
	t.Helper()
	ana, email := f.user(t, "Ana")
	ben, _ := f.user(t, "Ben")
	f.couple(t, ana, ben, "Europe/London", "wednesday")
	f.optIn(t, ana, email, 12)
	f.clock.Set(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	if n, err := f.svc.ScheduleReminders(ctx); err != nil || n != 1 {
		t.Fatalf("schedule: %d %v", n, err)
	}
	if n, _ := f.svc.ScheduleReminders(ctx); n != 0 {
		t.Fatalf("scheduling again added %d", n)
	}
	return f, ana, email
}

// TestACrashBetweenChoosingAndSendingNeitherLosesNorDoublesAMessage covers SECURITY L3 in process: a
// sender chooses the due reminder (taking its lease) and dies before sending. While the lease holds,
// no other sender (a restarted one, or another instance) sends it; once it has passed, the reminder is
// sent exactly once, and never again. It runs on SQLite and on PostgreSQL: the lease is one conditional
// UPDATE, so it holds across instances sharing a PostgreSQL database as well.
func TestACrashBetweenChoosingAndSendingNeitherLosesNorDoublesAMessage(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			crashBetweenChoosingAndSending(t, newFixtureOn(t, engine, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)))
		})
	}
}

func crashBetweenChoosingAndSending(t *testing.T, f *fixture) {
	f, ana, email := dueReminderOn(t, f)
	before := len(f.smtp.Messages())
	m, err := f.svc.Claim(ctx)
	if err != nil || m == nil || m.Kind != mail.Reminder || m.Attempts != 1 {
		t.Fatalf("claim: %+v %v", m, err)
	}
	// The sender that took it is gone. A restarted one runs at once, and again a minute later.
	f.restart()
	if r := f.run(t); r.Sent != 0 {
		t.Fatalf("a leased message was sent by another sender: %+v", r)
	}
	f.clock.Advance(time.Minute)
	if r := f.run(t); r.Sent != 0 {
		t.Fatalf("sent before the lease passed: %+v", r)
	}
	f.clock.Advance(notify.Lease)
	if r := f.run(t); r.Sent != 1 {
		t.Fatalf("after the lease passed: %+v", r)
	}
	got := f.smtp.Wait(t, before+1, 10*time.Second)[before]
	if got.To[0] != email {
		t.Errorf("sent to %v", got.To)
	}
	for range 3 {
		f.clock.Advance(time.Hour)
		f.restart()
		f.run(t)
	}
	if n := len(f.smtp.Messages()) - before; n != 1 {
		t.Errorf("the reminder was sent %d times", n)
	}
	q, _ := f.svc.Queue(ctx, ana)
	reminders := 0
	for _, m := range q {
		if m.Kind == mail.Reminder {
			reminders++
			if m.SentAt == nil || m.Attempts != 2 {
				t.Errorf("reminder row: %+v", m)
			}
		}
	}
	if reminders != 1 {
		t.Errorf("%d reminder rows", reminders)
	}
}

// failing is a mail.Sender whose server always refuses, naming the recipient as servers do.
type failing struct{ calls int }

func (f *failing) Send(_ context.Context, m mail.Message) error {
	f.calls++
	return &smtpRefusal{to: m.To}
}

type smtpRefusal struct{ to string }

func (e *smtpRefusal) Error() string { return "451 4.3.0 <" + e.to + ">: try again later" }

// TestFailedSendsAreRetriedWithBackoffThenGivenUp: a refused message is tried again after 1, 2, 4…
// minutes (never sooner), given up after MaxAttempts, and its stored error never holds the address.
func TestFailedSendsAreRetriedWithBackoffThenGivenUp(t *testing.T) {
	t.Parallel()
	f, ana, email := dueReminder(t)
	bad := &failing{}
	s := f.svc.NewSender(bad, nil, nil)
	wait := time.Minute
	for attempt := 1; attempt <= notify.MaxAttempts; attempt++ {
		if r, err := s.RunOnce(ctx); err != nil || r.Failed != 1 {
			t.Fatalf("attempt %d: %+v %v", attempt, r, err)
		}
		if r, _ := s.RunOnce(ctx); r.Failed != 0 {
			t.Fatalf("attempt %d was retried at once", attempt)
		}
		f.clock.Advance(wait - time.Second)
		if r, _ := s.RunOnce(ctx); r.Failed != 0 && attempt < notify.MaxAttempts {
			t.Fatalf("attempt %d retried before its backoff of %v", attempt, wait)
		}
		f.clock.Advance(time.Second)
		wait *= 2
	}
	if bad.calls != notify.MaxAttempts {
		t.Errorf("%d attempts, want %d", bad.calls, notify.MaxAttempts)
	}
	q, _ := f.svc.Queue(ctx, ana)
	for _, m := range q {
		if m.Kind != mail.Reminder {
			continue
		}
		if m.DroppedAt == nil || m.SentAt != nil || m.Attempts != notify.MaxAttempts || m.LastError == "" || strings.Contains(m.LastError, email) {
			t.Errorf("given-up row: %+v", m)
		}
	}
}

// TestUpdatesAtMostOnceADay: however much news there is, one updates message a day, and none at all
// for someone who did not ask.
func TestUpdatesAtMostOnceADay(t *testing.T) {
	t.Parallel()
	f, ana, email := dueReminder(t)
	ben, _ := f.user(t, "Cyd")
	f.run(t)
	before := len(f.smtp.Messages())
	on := true
	if _, err := f.svc.Update(ctx, ana, email, notify.Input{EmailUpdates: &on}); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if err := f.svc.EnqueueUpdates(ctx, ana); err != nil {
			t.Fatal(err)
		}
		_ = f.svc.EnqueueUpdates(ctx, ben)
		f.run(t)
		f.clock.Advance(time.Hour)
	}
	f.clock.Set(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	_ = f.svc.EnqueueUpdates(ctx, ana)
	f.run(t)
	msgs := f.smtp.Messages()[before:]
	if len(msgs) != 2 {
		t.Fatalf("%d updates messages over two days, want 2", len(msgs))
	}
	for _, m := range msgs {
		if h, _ := m.Parsed(t); h.Get("Subject") != "Something new is waiting for you" || m.To[0] != email {
			t.Errorf("updates message: %v to %v", h.Get("Subject"), m.To)
		}
	}
}

// TestDeletingAnAccountDeletesItsMessagesLinksAndFeed: the schema's cascade takes the person's
// settings, queued messages, confirmation links and calendar feed with the account, and leaves the
// partner's.
func TestDeletingAnAccountDeletesItsMessagesLinksAndFeed(t *testing.T) {
	t.Parallel()
	f, ana, _ := dueReminder(t)
	m, _ := f.couples.Current(ctx, ana)
	ben := m.Partner.UserID
	var benEmail string
	f.db.Raw("SELECT email FROM users WHERE id = ?", ben).Scan(&benEmail)
	for _, id := range []string{ana, ben} {
		if _, err := f.svc.CreateFeed(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	f.confirm(t, ben, benEmail)
	f.clock.Advance(notify.ConfirmEvery)
	f.db.Exec("UPDATE notification_settings SET confirmed_email = NULL WHERE user_id = ?", ana)
	if err := f.svc.RequestConfirm(ctx, ana, "x"); err != nil {
		t.Fatal(err)
	}
	count := func(id string) (n int64) {
		for _, table := range []string{"notification_settings", "notify_tokens", "outbox"} {
			var c int64
			f.db.Table(table).Where("user_id = ?", id).Count(&c)
			n += c
		}
		return n
	}
	before := count(ana)
	if before < 4 {
		t.Fatalf("only %d rows of the person's to delete: the test proves too little", before)
	}
	keep := count(ben)
	if err := f.couples.DeleteAccount(ctx, ana); err != nil {
		t.Fatal(err)
	}
	if n := count(ana); n != 0 {
		t.Errorf("%d rows left after deleting the account", n)
	}
	if n := count(ben); n != keep {
		t.Errorf("the partner's rows went from %d to %d", keep, n)
	}
}
