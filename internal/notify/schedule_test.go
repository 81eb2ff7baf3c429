package notify_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/notify"
)

// delivery is one message and the fake time at which the SMTP server had it.
type delivery struct {
	to, subject, body string
	at                time.Time
}

// TestRemindersAcrossWeeksDaylightSavingAndRestarts drives the scheduler and two senders with a fake
// clock over four weeks of March 2027, in 30-minute steps, for a couple in Europe/London and one in
// America/New_York (their clocks change on 28 March and 14 March). Each person who opted in gets
// exactly one reminder a week, on the couple's day at their hour in the couple's time zone, on both
// sides of each change; a person who shared that week's answers first gets none that week; a partner
// who never opted in gets nothing. Half way, both senders are built anew (a restart), and at every step
// the two run at once (two instances): nothing is sent twice (SECURITY L3). No message names anyone or
// carries their text (SECURITY L1).
func TestRemindersAcrossWeeksDaylightSavingAndRestarts(t *testing.T) {
	t.Parallel()
	start := time.Date(2027, 3, 1, 6, 0, 0, 0, time.UTC)
	f := newFixture(t, start)
	ana, anaEmail := f.user(t, "Anacanary")
	ben, benEmail := f.user(t, "Bencanary")
	cleo, cleoEmail := f.user(t, "Cleocanary")
	dev, devEmail := f.user(t, "Devcanary")
	f.couple(t, ana, ben, "Europe/London", "sunday")
	f.couple(t, cleo, dev, "America/New_York", "sunday")
	f.optIn(t, ana, anaEmail, 19)
	f.optIn(t, cleo, cleoEmail, 19)
	f.optIn(t, dev, devEmail, 8)
	f.confirm(t, ben, benEmail) // confirmed, but never asked for reminders
	confirmations := len(f.smtp.Messages())

	var got []delivery
	end := time.Date(2027, 3, 30, 0, 0, 0, 0, time.UTC)
	sharedOnce := false
	for now := start; now.Before(end); now = now.Add(30 * time.Minute) {
		f.clock.Set(now)
		if now.Equal(time.Date(2027, 3, 15, 0, 0, 0, 0, time.UTC)) {
			f.restart()
		}
		// Dev shares the answers of the week of 14 March on the Saturday, before the reminder's hour.
		if !sharedOnce && now.Equal(time.Date(2027, 3, 13, 15, 0, 0, 0, time.UTC)) {
			f.share(t, dev)
			sharedOnce = true
		}
		other := f.restartedTwin()
		var wg sync.WaitGroup
		for _, s := range []*notify.Sender{f.sender, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.RunOnce(ctx); err != nil {
					t.Errorf("run at %v: %v", now, err)
				}
			}()
		}
		wg.Wait()
		for _, m := range f.smtp.Messages()[confirmations+len(got):] {
			h, body := m.Parsed(t)
			got = append(got, delivery{to: m.To[0], subject: h.Get("Subject"), body: body, at: now})
		}
	}
	at := func(y int, mo time.Month, d, h int) time.Time { return time.Date(y, mo, d, h, 0, 0, 0, time.UTC) }
	want := map[string][]time.Time{
		// London: 19:00 GMT is 19:00 UTC; from 28 March 19:00 BST is 18:00 UTC.
		anaEmail: {at(2027, 3, 7, 19), at(2027, 3, 14, 19), at(2027, 3, 21, 19), at(2027, 3, 28, 18)},
		// New York: 19:00 EST is 00:00 UTC the next day; from 14 March 19:00 EDT is 23:00 UTC.
		cleoEmail: {at(2027, 3, 8, 0), at(2027, 3, 14, 23), at(2027, 3, 21, 23), at(2027, 3, 28, 23)},
		// Dev at 08:00: 13:00 UTC, then 12:00 UTC; nothing for the week of 14 March, already shared.
		devEmail: {at(2027, 3, 7, 13), at(2027, 3, 21, 12), at(2027, 3, 28, 12)},
	}
	byPerson := map[string][]time.Time{}
	for _, d := range got {
		byPerson[d.to] = append(byPerson[d.to], d.at)
		if d.subject != "A reminder" {
			t.Errorf("subject %q to %s", d.subject, d.to)
		}
		if strings.Contains(strings.ToLower(d.body), "canary") || strings.Contains(d.body, "@") {
			t.Errorf("a name or address in the message to %s:\n%s", d.to, d.body)
		}
	}
	for who, times := range want {
		if len(byPerson[who]) != len(times) {
			t.Errorf("%s got reminders at %v, want %v", who, byPerson[who], times)
			continue
		}
		for i := range times {
			if !byPerson[who][i].Equal(times[i]) {
				t.Errorf("%s reminder %d at %v, want %v", who, i, byPerson[who][i], times[i])
			}
		}
	}
	if len(byPerson[benEmail]) != 0 {
		t.Errorf("someone who never asked got %d reminders", len(byPerson[benEmail]))
	}
	if len(got) != 11 {
		t.Errorf("%d reminders in all, want 11", len(got))
	}
}
