package account_test

import (
	"context"
	"strings"
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

// TestNewDeviceSignInsAreTheFirstFromEachLaterDevice covers what the home's "new sign-in" update reads:
// of an account's sign-ins within HistoryKept, those from a device the account had not signed in from
// before, except the account's first (where it began), newest first. Other kinds of event, other
// accounts and sign-ins older than HistoryKept make no device known.
func TestNewDeviceSignInsAreTheFirstFromEachLaterDevice(t *testing.T) {
	t.Parallel()
	s, clock := newService(t)
	ctx := context.Background()
	u := register(t, s, "sam@example.org")
	other := register(t, s, "alex@example.org")
	const (
		firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
		iphone  = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Version/18.0 Mobile/15E148 Safari/604.1"
		android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"
	)
	record := func(userID, kind, ua string) {
		t.Helper()
		clock.Advance(time.Hour)
		if err := s.Record(ctx, userID, kind, ua); err != nil {
			t.Fatal(err)
		}
	}
	devices := func() []string {
		t.Helper()
		evs, err := s.NewDeviceSignIns(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range evs {
			if e.UserID != u.ID || e.Kind != account.EventSignIn {
				t.Errorf("event %+v is not one of the account's sign-ins", e)
			}
			out = append(out, e.Device)
		}
		return out
	}
	want := func(what string, w ...string) {
		t.Helper()
		if got := devices(); strings.Join(got, ", ") != strings.Join(w, ", ") {
			t.Errorf("%s: new-device sign-ins %q, want %q", what, got, w)
		}
	}
	want("no sign-in yet")
	record(other.ID, account.EventSignIn, iphone)
	record(u.ID, account.EventSignInFailed, iphone)
	record(u.ID, account.EventSignIn, firefox)
	want("the first sign-in (a failed one and another account's do not count)")
	record(u.ID, account.EventSignIn, firefox)
	record(u.ID, account.EventPasswordChanged, iphone)
	want("the same device again")
	record(u.ID, account.EventSignIn, iphone)
	record(u.ID, account.EventSignIn, iphone)
	record(u.ID, account.EventSignIn, firefox)
	want("a new device, then it again", "Safari on iPhone")
	record(u.ID, account.EventSignIn, android)
	want("a third device", "Chrome on Android", "Safari on iPhone")
	clock.Advance(account.HistoryKept)
	record(u.ID, account.EventSignIn, iphone)
	want("after HistoryKept the first sign-in again")
	record(u.ID, account.EventSignIn, firefox)
	want("a device last seen before HistoryKept", "Firefox on Windows")
}
