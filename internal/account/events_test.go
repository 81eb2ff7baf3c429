package account_test

import (
	"context"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/testutil"
)

// TestHistoryIsOwnAndKept90Days covers SECURITY K4 in the service: each account reads only its own
// events, and an event older than 90 days is dropped on the next write.
func TestHistoryIsOwnAndKept90Days(t *testing.T) {
	t.Parallel()
	db, _ := testutil.NewDB(t)
	clock := testutil.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	s := account.NewService(db, account.Options{Now: clock.Now})
	ctx := context.Background()
	u := register(t, s, "sam@example.org")
	other := register(t, s, "alex@example.org")
	ua := "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
	if err := s.Record(ctx, u.ID, account.EventSignIn, ua); err != nil {
		t.Fatal(err)
	}
	if err := s.Record(ctx, other.ID, account.EventSignInFailed, ua); err != nil {
		t.Fatal(err)
	}
	h, err := s.History(ctx, u.ID)
	if err != nil || len(h) != 1 || h[0].Kind != account.EventSignIn || h[0].Device != "Firefox on Windows" || h[0].UserID != u.ID {
		t.Fatalf("history = %+v (%v)", h, err)
	}
	clock.Advance(account.HistoryKept + time.Hour)
	if err := s.Record(ctx, u.ID, account.EventPasswordChanged, ua); err != nil {
		t.Fatal(err)
	}
	h, _ = s.History(ctx, u.ID)
	if len(h) != 1 || h[0].Kind != account.EventPasswordChanged {
		t.Errorf("after 90 days the history holds %+v, want only the new event", h)
	}
	var n int64
	if err := db.Table("account_events").Where("user_id = ?", u.ID).Count(&n).Error; err != nil || n != 1 {
		t.Errorf("%d stored events for the account, want 1 (the old one pruned)", n)
	}
}
