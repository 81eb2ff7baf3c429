package monthly_test

import (
	"context"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/monthly"
	"github.com/mendhq/mend/internal/testutil"
)

var ctx = context.Background()

// TestEachMonthHasOneMonthlyWeek: for every check-in weekday, each month of three years has exactly one
// monthly week, and its check-in day is in that month's first seven days.
func TestEachMonthHasOneMonthlyWeek(t *testing.T) {
	t.Parallel()
	for weekday := 0; weekday < 7; weekday++ {
		count := map[string]int{}
		for w := (checkin.Week{Year: 2026, Num: 1}); w.Year < 2029; w = w.Next() {
			if monthly.IsMonthly(w, weekday) {
				day := monthly.CheckinDay(w, weekday)
				count[day.Format("2006-01")]++
				if day.Weekday() != time.Weekday(weekday) || day.Day() > 7 {
					t.Errorf("weekday %d: %s has check-in day %s", weekday, w, day.Format("Mon 2006-01-02"))
				}
			}
		}
		for y := 2026; y <= 2028; y++ {
			for mo := time.January; mo <= time.December; mo++ {
				key := time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
				if count[key] != 1 {
					t.Errorf("weekday %d: %s has %d monthly weeks", weekday, key, count[key])
				}
			}
		}
	}
	if w := (checkin.Week{Year: 2026, Num: 53}); !monthly.IsMonthly(w, 0) {
		t.Errorf("2026-W53 (Sunday 3 January 2027) is not January's monthly week")
	}
}

type fixture struct {
	clock   *testutil.Clock
	svc     *monthly.Service
	pair    testutil.Pair
	a, b, x *couple.Membership
}

// newFixture makes a couple on Wednesday 2 December 2026 (2026-W49, December's monthly week for Sunday
// check-ins), and another couple's member.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := testutil.NewEngineDB(t)
	clock := testutil.NewClock(time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC))
	p := testutil.NewPair(t, db, clock.Now, false)
	other := testutil.NewPair(t, db, clock.Now, false)
	return &fixture{clock: clock, svc: monthly.NewService(db, clock.Now), pair: p,
		a: p.Member(t, p.A), b: p.Member(t, p.B), x: other.Member(t, other.A)}
}

func ratings(h, r, e, c, hope int) map[string]*int {
	return map[string]*int{"honesty": &h, "reliability": &r, "emotional_safety": &e, "closeness": &c, "hope": &hope}
}

func wantKind(t *testing.T, what string, err error, k apperr.Kind) {
	t.Helper()
	if !apperr.Is(err, k) {
		t.Fatalf("%s: error = %v, want kind %s", what, err, k)
	}
}

// TestMonthlyLookIsSealedUntilBothShare: before both share, the partner's look is not there at all and
// the state is the same for both; after, both open at once, without the partner's emotional safety.
func TestMonthlyLookIsSealedUntilBothShare(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const week = "2026-W49"
	_, err := f.svc.Look(ctx, f.a, "2026-W48")
	wantKind(t, "a week that is not monthly", err, apperr.NotFound)
	_, err = f.svc.Look(ctx, f.a, "2027-W05")
	wantKind(t, "a monthly week not begun", err, apperr.NotFound)
	_, err = f.svc.Save(ctx, f.a, week, monthly.Input{Ratings: map[string]*int{"honesty": nil}, Submit: true})
	if e := apperr.As(err); e == nil || e.Fields["hope"] == "" {
		t.Fatalf("sharing without every area: %v", err)
	}
	if _, err := f.svc.Save(ctx, f.a, week, monthly.Input{Ratings: ratings(4, 5, 2, 6, 7), Submit: true}); err != nil {
		t.Fatal(err)
	}
	va, _ := f.svc.Look(ctx, f.a, week)
	vb, _ := f.svc.Look(ctx, f.b, week)
	if vb.Mine != nil || vb.Partner != nil || va.Partner != nil || va.State != vb.State || va.State != monthly.StateOpen {
		t.Fatalf("before B shares: A %+v, B %+v", va, vb)
	}
	if vx, err := f.svc.Look(ctx, f.x, week); err != nil || vx.Mine != nil || vx.Partner != nil {
		t.Fatalf("another couple sees %+v, %v", vx, err)
	}
	vb, err = f.svc.Save(ctx, f.b, week, monthly.Input{Ratings: ratings(8, 8, 9, 8, 8), Submit: true})
	if err != nil {
		t.Fatal(err)
	}
	va, _ = f.svc.Look(ctx, f.a, week)
	if va.State != monthly.StateOpened || vb.State != monthly.StateOpened || va.Partner == nil || *va.Partner.Honesty != 8 {
		t.Fatalf("after both shared: A %+v", va)
	}
	if va.Partner.EmotionalSafety != nil || vb.Partner.EmotionalSafety != nil || *va.Mine.EmotionalSafety != 2 {
		t.Fatalf("emotional safety reached the partner")
	}
	_, err = f.svc.Save(ctx, f.a, week, monthly.Input{Ratings: ratings(1, 1, 1, 1, 1)})
	wantKind(t, "a change after opening", err, apperr.Conflict)
	f.clock.Set(time.Date(2026, 12, 16, 12, 0, 0, 0, time.UTC))
	_, err = f.svc.Save(ctx, f.x, week, monthly.Input{Ratings: ratings(1, 1, 1, 1, 1)})
	wantKind(t, "a look two weeks later", err, apperr.Conflict)
}

// TestTrendIsEachPersonsOwnAgainstTheirBaseline: the first shared look is the baseline; later ones are
// read against it; drafts and the partner's looks are not in a person's trend.
func TestTrendIsEachPersonsOwnAgainstTheirBaseline(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	save := func(m *couple.Membership, week string, r map[string]*int, submit bool) {
		t.Helper()
		if _, err := f.svc.Save(ctx, m, week, monthly.Input{Ratings: r, Submit: submit}); err != nil {
			t.Fatalf("save %s: %v", week, err)
		}
	}
	save(f.a, "2026-W49", ratings(3, 4, 2, 5, 6), true)
	save(f.b, "2026-W49", ratings(9, 9, 9, 9, 9), true)
	f.clock.Set(time.Date(2026, 12, 30, 12, 0, 0, 0, time.UTC)) // 2026-W53: Sunday 3 January 2027
	save(f.a, "2026-W53", ratings(5, 4, 4, 5, 8), true)
	f.clock.Set(time.Date(2027, 2, 3, 12, 0, 0, 0, time.UTC)) // 2027-W05: Sunday 7 February
	save(f.a, "2027-W05", ratings(6, 6, 6, 6, 6), false)
	tr, err := f.svc.Trend(ctx, f.a)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Baseline == nil || tr.Baseline.Week.String() != "2026-W49" || len(tr.Later) != 1 || tr.Later[0].Week.String() != "2026-W53" {
		t.Fatalf("trend %+v", tr)
	}
	want := map[string]int{"honesty": 2, "reliability": 0, "emotional_safety": 2, "closeness": 0, "hope": 2}
	for k, d := range want {
		if got := tr.Later[0].Changes[k]; got == nil || *got != d {
			t.Errorf("%s: change %v, want %d", k, got, d)
		}
	}
	tb, _ := f.svc.Trend(ctx, f.b)
	if tb.Baseline == nil || *tb.Baseline.Answer.Honesty != 9 || len(tb.Later) != 0 {
		t.Fatalf("B's trend %+v", tb)
	}
	exB, _ := f.svc.ExportFor(ctx, f.pair.B, f.b)
	if len(exB.Mine) != 1 || len(exB.Partner) != 1 || exB.Partner[0].EmotionalSafety != nil || *exB.Mine[0].EmotionalSafety != 9 {
		t.Fatalf("B's export %+v", exB)
	}
	exA, _ := f.svc.ExportFor(ctx, f.pair.A, f.a)
	if len(exA.Mine) != 3 || len(exA.Partner) != 1 {
		t.Fatalf("A's export %+v", exA)
	}
}

// TestMonthlyAnswersGoWithTheirAuthor: deleting an account removes that person's looks, not the other's.
func TestMonthlyAnswersGoWithTheirAuthor(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, m := range []*couple.Membership{f.a, f.b} {
		if _, err := f.svc.Save(ctx, m, "2026-W49", monthly.Input{Ratings: ratings(5, 5, 5, 5, 5), Submit: true}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.pair.Couples.DeleteAccount(ctx, f.pair.A); err != nil {
		t.Fatal(err)
	}
	exA, _ := f.svc.ExportFor(ctx, f.pair.A, nil)
	exB, _ := f.svc.ExportFor(ctx, f.pair.B, nil)
	if len(exA.Mine) != 0 || len(exB.Mine) != 1 {
		t.Fatalf("after A's deletion: A's looks %d, B's %d; want 0 and 1", len(exA.Mine), len(exB.Mine))
	}
}
