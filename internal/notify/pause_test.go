package notify_test

import (
	"testing"
	"time"

	"github.com/mendhq/mend/internal/notify"
)

// TestPauseStopsEveryMessageAndTheFeed covers the Safety Check's pause: every e-mail setting goes off
// and the calendar link stops answering, for that person only; the confirmed address stays.
func TestPauseStopsEveryMessageAndTheFeed(t *testing.T) {
	t.Parallel()
	f := newFixture(t, time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	id, email := f.user(t, "Ana")
	other, otherEmail := f.user(t, "Ben")
	on := true
	for _, p := range []struct{ id, email string }{{id, email}, {other, otherEmail}} {
		f.confirm(t, p.id, p.email)
		if _, err := f.svc.Update(ctx, p.id, p.email, notify.Input{EmailReminders: &on, EmailUpdates: &on, EmailSignInAlerts: &on}); err != nil {
			t.Fatal(err)
		}
	}
	feed, err := f.svc.NewFeed(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	otherFeed, _ := f.svc.NewFeed(ctx, other)
	if v, _ := f.svc.Get(ctx, id, email); v.Paused() {
		t.Fatal("paused before pausing")
	}
	if err := f.svc.Pause(ctx, id); err != nil {
		t.Fatal(err)
	}
	v, err := f.svc.Get(ctx, id, email)
	if err != nil || !v.Paused() || v.EmailReminders || v.EmailUpdates || v.EmailSignInAlerts || v.CalendarFeed || !v.EmailConfirmed {
		t.Fatalf("after pausing: %+v %v", v, err)
	}
	if _, err := f.svc.Feed(ctx, feed); err == nil {
		t.Error("the calendar link still answers after pausing")
	}
	if w, _ := f.svc.Get(ctx, other, otherEmail); w.Paused() || !f.svc.FeedIsLive(ctx, other, otherFeed) {
		t.Errorf("pausing one person paused another: %+v", w)
	}
	if err := f.svc.Pause(ctx, id); err != nil {
		t.Errorf("pausing twice: %v", err)
	}
}
