package plan_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/plan"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/internal/token"
)

// start is the fixtures' clock: Wednesday 25 November 2026, noon UTC (ISO week 2026-W48).
var start = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// fakeSources stands in for the agreements and check-ins features, the plan's true edge.
type fakeSources struct {
	mu         sync.Mutex
	agreements plan.AgreementFacts
	weeks      []plan.WeekSummary
	low        map[string]bool
	lowAsked   int // how many times LowSafety was asked
}

func (f *fakeSources) Agreements(context.Context, string, *time.Location) (plan.AgreementFacts, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.agreements, nil
}

func (f *fakeSources) OpenedWeeks(_ context.Context, q plan.WeeksQuery) ([]plan.OpenedWeek, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return plan.OpenedWeeksOf(f.weeks, q), nil
}

func (f *fakeSources) LowSafety(_ context.Context, _, userID string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lowAsked++
	return f.low[userID], nil
}

func intp(v int) *int { return &v }

// weeksOf returns opened weeks ending with the week before now's, one per trust pair (a, b);
// a's safety is set to safety and b's to 9 so leaks are visible.
func weeksOf(now time.Time, a, b string, trust [][2]int, safety int) []plan.WeekSummary {
	var out []plan.WeekSummary
	n := len(trust)
	for i, tr := range trust {
		at := now.AddDate(0, 0, -7*(n-i))
		out = append(out, plan.WeekSummary{
			Week: plan.WeekKey(at, time.UTC), OpenedAt: at,
			People: map[string]plan.Ratings{
				a: {Trust: intp(tr[0]), Connection: intp(tr[0] + 1), Safety: intp(safety)},
				b: {Trust: intp(tr[1]), Connection: intp(tr[1] + 1), Safety: intp(9)},
			},
		})
	}
	return out
}

// fixture is a couple of two users (A and B) and a second couple (C alone), over a real database.
type fixture struct {
	db      *gorm.DB
	clock   *testutil.Clock
	src     *fakeSources
	svc     *plan.Service
	a, b, c *couple.Membership
}

func addUser(t *testing.T, db *gorm.DB, name string) string {
	t.Helper()
	id := token.ID()
	err := db.Exec("INSERT INTO users (id, email, display_name, password_hash, created_at, updated_at) VALUES (?, ?, ?, 'x', ?, ?)",
		id, id+"@example.org", name, start, start).Error
	if err != nil {
		t.Fatalf("add user: %v", err)
	}
	return id
}

func addCouple(t *testing.T, db *gorm.DB, users ...string) string {
	t.Helper()
	id := token.ID()
	if err := db.Exec("INSERT INTO couples (id, timezone, checkin_weekday, created_at) VALUES (?, 'UTC', 0, ?)", id, start).Error; err != nil {
		t.Fatalf("add couple: %v", err)
	}
	for _, u := range users {
		if err := db.Exec("INSERT INTO couple_members (couple_id, user_id, joined_at) VALUES (?, ?, ?)", id, u, start).Error; err != nil {
			t.Fatalf("add member: %v", err)
		}
	}
	return id
}

// member is userID's membership of coupleID (started at start, in UTC) with partnerID ("" while
// waiting) and role, as the server hands it to the service.
func member(coupleID, userID, partnerID, role string) *couple.Membership {
	m := &couple.Membership{Couple: couple.Couple{ID: coupleID, CreatedAt: start}, Me: couple.Person{UserID: userID, Role: role}, Location: time.UTC}
	if partnerID != "" {
		m.Partner = &couple.Person{UserID: partnerID}
	}
	return m
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureOn(t, testutil.Engine(t))
}

// newFixtureOn is newFixture over a database of engine.
func newFixtureOn(t *testing.T, engine string) *fixture {
	t.Helper()
	db := testutil.NewDBOn(t, engine)
	f := &fixture{db: db, clock: testutil.NewClock(start), src: &fakeSources{low: map[string]bool{}}}
	f.svc = plan.NewService(db, f.clock.Now, f.src)
	ua, ub, uc := addUser(t, db, "A"), addUser(t, db, "B"), addUser(t, db, "C")
	ab, cc := addCouple(t, db, ua, ub), addCouple(t, db, uc)
	f.a = member(ab, ua, ub, "broke_trust")
	f.b = member(ab, ub, ua, "hurt")
	f.c = member(cc, uc, "", "")
	return f
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

func item(t *testing.T, p *plan.PlanView, id string) plan.ItemView {
	t.Helper()
	for _, it := range p.Items {
		if it.ID == id {
			return it
		}
	}
	t.Fatalf("no item %q", id)
	return plan.ItemView{}
}
