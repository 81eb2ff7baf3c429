package monthly_test

import (
	"testing"
	"time"

	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/monthly"
)

// TestTrendsReadThePartnersOnlyOpenedLooksWithoutEmotionalSafety: the partner's trend, as the member sees
// it, is built from the looks that opened for both only (a look shared alone stays sealed, and so
// cannot be a baseline to read changes from), and never holds the partner's emotional safety.
func TestTrendsReadThePartnersOnlyOpenedLooksWithoutEmotionalSafety(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	save := func(m *couple.Membership, week string, r map[string]*int, submit bool) {
		t.Helper()
		if _, err := f.svc.Save(ctx, m, week, monthly.Input{Ratings: r, Submit: submit}); err != nil {
			t.Fatalf("save %s: %v", week, err)
		}
	}
	save(f.b, "2026-W49", ratings(1, 1, 1, 1, 1), true) // B alone: sealed
	save(f.a, "2026-W49", ratings(5, 5, 5, 5, 5), false)
	f.clock.Set(time.Date(2026, 12, 30, 12, 0, 0, 0, time.UTC)) // 2026-W53
	save(f.b, "2026-W53", ratings(4, 5, 2, 6, 7), true)
	save(f.a, "2026-W53", ratings(6, 6, 6, 6, 6), true)
	f.clock.Set(time.Date(2027, 2, 3, 12, 0, 0, 0, time.UTC)) // 2027-W05
	save(f.a, "2027-W05", ratings(7, 7, 7, 7, 7), true)
	save(f.b, "2027-W05", ratings(6, 4, 9, 6, 8), true)
	f.clock.Set(time.Date(2027, 3, 3, 12, 0, 0, 0, time.UTC)) // 2027-W09
	save(f.b, "2027-W09", ratings(0, 0, 0, 0, 0), true)       // B alone again: sealed

	mine, tr, err := f.svc.Trends(ctx, f.a)
	if err != nil {
		t.Fatal(err)
	}
	own, _ := f.svc.Trend(ctx, f.a)
	if mine.Baseline == nil || own.Baseline == nil || mine.Baseline.Week != own.Baseline.Week || len(mine.Later) != len(own.Later) ||
		*mine.Baseline.Answer.EmotionalSafety != 6 {
		t.Fatalf("own trend from Trends %+v, from Trend %+v", mine, own)
	}
	if tr.Baseline == nil || tr.Baseline.Week.String() != "2026-W53" || len(tr.Later) != 1 || tr.Later[0].Week.String() != "2027-W05" {
		t.Fatalf("partner trend %+v", tr)
	}
	if tr.Baseline.Answer.EmotionalSafety != nil || tr.Later[0].Answer.EmotionalSafety != nil {
		t.Fatal("the partner's emotional safety is in the trend")
	}
	if _, ok := tr.Later[0].Changes["emotional_safety"]; ok {
		t.Fatal("a change of the partner's emotional safety is in the trend")
	}
	want := map[string]int{"honesty": 2, "reliability": -1, "closeness": 0, "hope": 1}
	for k, d := range want {
		if got := tr.Later[0].Changes[k]; got == nil || *got != d {
			t.Errorf("%s: change %v, want %d", k, got, d)
		}
	}
	for _, m := range []*couple.Membership{f.x} {
		_, other, err := f.svc.Trends(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		if other.Baseline != nil || len(other.Later) != 0 {
			t.Fatalf("another couple sees a partner trend: %+v", other)
		}
	}
}
