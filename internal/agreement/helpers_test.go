package agreement_test

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/internal/token"
)

// fixture is a database with one couple (a and b) and a fake clock at 2026-11-25 12:00 UTC.
type fixture struct {
	db      *gorm.DB
	clock   *testutil.Clock
	svc     *agreement.Service
	couples *couple.Service
	a, b    *couple.Membership
}

var ctx = context.Background()

func addUser(t *testing.T, db *gorm.DB, name string) string {
	t.Helper()
	id := token.ID()
	now := time.Now().UTC()
	err := db.Exec("INSERT INTO users (id, email, display_name, password_hash, created_at, updated_at) VALUES (?, ?, ?, 'x', ?, ?)",
		id, id+"@example.org", name, now, now).Error
	if err != nil {
		t.Fatalf("user: %v", err)
	}
	return id
}

// member is the membership of userID in coupleID, as the server hands it to the service.
func member(coupleID, userID string, loc *time.Location) *couple.Membership {
	return &couple.Membership{Couple: couple.Couple{ID: coupleID}, Me: couple.Person{UserID: userID}, Location: loc}
}

// newFixture makes a couple; with solo set, b is registered but has not joined yet.
func newFixture(t *testing.T, solo bool) *fixture {
	t.Helper()
	return newFixtureOn(t, testutil.NewEngineDB(t), solo)
}

// newFixtureOn is newFixture over db.
func newFixtureOn(t *testing.T, db *gorm.DB, solo bool) *fixture {
	t.Helper()
	clock := testutil.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	f := &fixture{db: db, clock: clock, svc: agreement.NewService(db, clock.Now), couples: couple.NewService(db, clock.Now)}
	ua, ub := addUser(t, db, "Ana"), addUser(t, db, "Ben")
	c, err := f.couples.Start(ctx, ua, "Europe/London", "sunday")
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	loc, _ := time.LoadLocation("Europe/London")
	f.a = member(c.ID, ua, loc)
	f.b = member(c.ID, ub, loc)
	if !solo {
		f.join(t)
	}
	return f
}

func (f *fixture) join(t *testing.T) {
	t.Helper()
	tok, _, err := f.couples.CreateInvite(ctx, f.a.Couple.ID, f.a.Me.UserID)
	if err != nil {
		t.Fatalf("invite: %v", err)
	}
	if _, err := f.couples.Join(ctx, f.b.Me.UserID, tok); err != nil {
		t.Fatalf("join: %v", err)
	}
}

func input(title string) agreement.Input {
	return agreement.Input{Title: title, Body: "We tell each other the truth, even when it is hard.", Category: "honesty", ReviewOn: "2027-01-25"}
}

func transparency(ends string) agreement.Input {
	return agreement.Input{Title: "Calendars", Body: "I share my calendar with you.", Category: "transparency", ReviewOn: "2027-01-10", EndsOn: ends}
}

func (f *fixture) create(t *testing.T, sc *couple.Membership, in agreement.Input) *agreement.View {
	t.Helper()
	v, err := f.svc.Create(ctx, sc, in)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	return v
}

// must(t)(call()) fails the test when call returns an error.
func must(t *testing.T) func(*agreement.View, error) *agreement.View {
	return func(v *agreement.View, err error) *agreement.View {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

func wantKind(t *testing.T, err error, k apperr.Kind) {
	t.Helper()
	if !apperr.Is(err, k) {
		t.Fatalf("error = %v, want kind %s", err, k)
	}
}

func wantStatus(t *testing.T, v *agreement.View, status string) {
	t.Helper()
	if v.Status != status {
		t.Fatalf("status = %s, want %s", v.Status, status)
	}
}
