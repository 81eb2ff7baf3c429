package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/notify"
)

// TestSettingsAreOffUntilChosenAndEmailNeedsAConfirmedAddress covers the settings' rules: everything
// off by default; an e-mail setting cannot be turned on before the address is confirmed, nor at all
// when e-mail is not set up; bad hours and titles are field errors.
func TestSettingsAreOffUntilChosenAndEmailNeedsAConfirmedAddress(t *testing.T) {
	t.Parallel()
	f := newFixture(t, time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	id, email := f.user(t, "Ana")
	v, err := f.svc.Get(ctx, id, email)
	if err != nil {
		t.Fatal(err)
	}
	if v.EmailReminders || v.EmailUpdates || v.EmailSignInAlerts || v.EmailConfirmed || v.CalendarFeed ||
		v.ReminderHour != notify.DefaultReminderHour || v.CalendarTitle != "Weekly time" {
		t.Errorf("defaults: %+v", v)
	}
	on, hour, long := true, 24, strings.Repeat("x", notify.MaxTitle+1)
	for field, in := range map[string]notify.Input{
		"email_reminders":      {EmailReminders: &on},
		"email_updates":        {EmailUpdates: &on},
		"email_sign_in_alerts": {EmailSignInAlerts: &on},
		"reminder_hour":        {ReminderHour: &hour},
		"calendar_title":       {CalendarTitle: &long},
	} {
		_, err := f.svc.Update(ctx, id, email, in)
		if e := apperr.As(err); e == nil || e.Kind != apperr.Invalid || e.Fields[field] == "" {
			t.Errorf("%s: %v, want a field error", field, err)
		}
	}
	off := notify.NewService(f.db, notify.Sources{}, notify.Options{Now: f.clock.Now, BaseURL: base})
	if err := off.RequestConfirm(ctx, id, email); err != notify.ErrMailOff {
		t.Errorf("confirm without e-mail set up: %v", err)
	}
	f.confirm(t, id, email)
	hour = 7
	v, err = f.svc.Update(ctx, id, email, notify.Input{EmailReminders: &on, ReminderHour: &hour})
	if err != nil || !v.EmailReminders || !v.EmailConfirmed || v.ReminderHour != 7 || v.EmailUpdates {
		t.Fatalf("after confirming: %+v %v", v, err)
	}
	if _, err := off.Update(ctx, id, email, notify.Input{EmailUpdates: &on}); apperr.As(err) == nil {
		t.Error("an e-mail setting was turned on where e-mail is not set up")
	}
	// Another address (the account's address changed) is not confirmed.
	if v, _ := f.svc.Get(ctx, id, "other@example.org"); v.EmailConfirmed {
		t.Error("a different address counts as confirmed")
	}
}

// TestConfirmationLinks covers SECURITY L4 for confirmation links: the secret is stored only as its
// hash, works once, for 24 hours, only for the address it was sent to; asking again soon after sends
// nothing more; the link is the only secret any message carries.
func TestConfirmationLinks(t *testing.T) {
	t.Parallel()
	f := newFixture(t, time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	id, email := f.user(t, "Ana")
	if err := f.svc.RequestConfirm(ctx, id, email); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RequestConfirm(ctx, id, email); err != nil {
		t.Fatal(err)
	}
	f.run(t)
	msgs := f.smtp.Wait(t, 1, 10*time.Second)
	if r := f.run(t); r.Sent != 0 || len(f.smtp.Messages()) != 1 {
		t.Fatalf("asking twice sent %d messages", len(f.smtp.Messages()))
	}
	h, body := msgs[0].Parsed(t)
	m := confirmLink.FindStringSubmatch(body)
	if m == nil || h.Get("Subject") != "Confirm your address" || msgs[0].To[0] != email {
		t.Fatalf("confirmation message:\n%s", msgs[0].Data)
	}
	plain := m[1]
	var stored []string
	f.db.Raw("SELECT hash FROM notify_tokens").Scan(&stored)
	if len(stored) != 1 || stored[0] == plain || len(plain) < 26 {
		t.Fatalf("stored %v for a %d-character secret", stored, len(plain))
	}
	f.clock.Advance(notify.ConfirmValidity + time.Minute)
	if err := f.svc.Confirm(ctx, plain); err != notify.ErrConfirmInvalid {
		t.Errorf("a link 24 h old: %v", err)
	}
	f.clock.Advance(notify.ConfirmEvery)
	got := f.confirm(t, id, email)
	fresh := confirmLink.FindStringSubmatch(got.Text(t))[1]
	if err := f.svc.Confirm(ctx, fresh); err != notify.ErrConfirmInvalid {
		t.Errorf("a link used twice: %v", err)
	}
	if err := f.svc.Confirm(ctx, plain); err != notify.ErrConfirmInvalid {
		t.Errorf("the older link after a newer one: %v", err)
	}
	// An address confirmed gets no further confirmation message.
	f.clock.Advance(notify.ConfirmEvery)
	_ = f.svc.RequestConfirm(ctx, id, email)
	if r := f.run(t); r.Sent != 0 {
		t.Errorf("a confirmed address got another confirmation: %+v", r)
	}
	// A link sent to an address the account no longer has does not confirm the new one.
	other, otherEmail := f.user(t, "Ben")
	if err := f.svc.RequestConfirm(ctx, other, otherEmail); err != nil {
		t.Fatal(err)
	}
	f.run(t)
	all := f.smtp.Wait(t, 3, 10*time.Second)
	link := confirmLink.FindStringSubmatch(all[2].Text(t))[1]
	f.db.Exec("UPDATE users SET email = ? WHERE id = ?", "ben-new@example.org", other)
	if err := f.svc.Confirm(ctx, link); err != notify.ErrConfirmInvalid {
		t.Errorf("a link for the old address confirmed the account: %v", err)
	}
}
