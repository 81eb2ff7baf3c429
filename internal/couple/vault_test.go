package couple_test

import (
	"testing"
	"time"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/testutil"
)

// TestDisplayNamesOpenEverywhere checks that the couple's views of sealed display names (the
// membership, an invite's maker, a past couple's partner) show the names as written.
func TestDisplayNamesOpenEverywhere(t *testing.T) {
	t.Parallel()
	db := testutil.NewEngineDB(t)
	clock := testutil.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	accounts := account.NewService(db, account.Options{Now: clock.Now})
	svc := couple.NewService(db, clock.Now)
	a, err := accounts.Register(ctx, "a@example.org", "a long and quiet password", "Canary Ada")
	if err != nil {
		t.Fatal(err)
	}
	b, err := accounts.Register(ctx, "b@example.org", "a long and quiet password", "Canary Bo")
	if err != nil {
		t.Fatal(err)
	}
	testutil.RequireSealed(t, db, "users", "display_name", "Canary")
	c, err := svc.Start(ctx, a.ID, "Europe/London", "sunday")
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := svc.CreateInvite(ctx, c.ID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if info, err := svc.LookupInvite(ctx, tok); err != nil || info.InvitedBy != "Canary Ada" {
		t.Errorf("invite: %+v, %v", info, err)
	}
	if _, err := svc.Join(ctx, b.ID, tok); err != nil {
		t.Fatal(err)
	}
	m, err := svc.Current(ctx, b.ID)
	if err != nil || m.Me.DisplayName != "Canary Bo" || m.Partner == nil || m.Partner.DisplayName != "Canary Ada" {
		t.Fatalf("membership: %+v, %v", m, err)
	}
	if err := svc.Leave(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	past, err := svc.History(ctx, b.ID)
	if err != nil || len(past) != 1 || past[0].Partner != "Canary Ada" {
		t.Errorf("history: %+v, %v", past, err)
	}
}
