package plan_test

import (
	"context"
	"testing"

	"github.com/mendhq/mend/internal/plan"
)

// TestProgressAllocationsDoNotGrowWithTheSeries: the progress series is built from the opened weeks in
// one pass, each week key read once and nothing recomputed per point (issue 21), so what a view of
// progress allocates does not grow with the weeks it shows, nor with how many of them opened. Counted
// as allocations, not timed. Not parallel: the count is the process's.
func TestProgressAllocationsDoNotGrowWithTheSeries(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	allocs := func(weeks, opened int) float64 {
		t.Helper()
		sc := *f.a
		sc.Couple.CreatedAt = start.AddDate(0, 0, -7*(weeks-1))
		trust := make([][2]int, opened)
		for i := range trust {
			trust[i] = [2]int{i % 11, (i * 7) % 11}
		}
		f.src.weeks = weeksOf(start, f.a.Me.UserID, f.b.Me.UserID, trust, 8)
		p := must[*plan.ProgressView](t)(f.svc.Progress(ctx, &sc))
		if len(p.Weeks) != weeks || len(p.Opened) != opened {
			t.Fatalf("%d weeks, %d opened; want %d and %d", len(p.Weeks), len(p.Opened), weeks, opened)
		}
		return testing.AllocsPerRun(20, func() {
			if _, err := f.svc.Progress(ctx, &sc); err != nil {
				t.Fatal(err)
			}
		})
	}
	if few, many := allocs(4, 2), allocs(52, 2); many-few > 4 {
		t.Errorf("a series of 52 weeks allocates %.0f times, one of 4 weeks %.0f: the points cost %.1f each", many, few, (many-few)/48)
	}
	if few, many := allocs(52, 4), allocs(52, 48); many-few > 4 {
		t.Errorf("48 opened weeks allocate %.0f times, 4 opened weeks %.0f: an opened week costs %.1f", many, few, (many-few)/44)
	}
}
