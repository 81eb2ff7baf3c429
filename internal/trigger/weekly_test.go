package trigger_test

import (
	"testing"
	"time"

	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/trigger"
)

// TestWeeklyCountsAreTheAuthorsOwn: the counts per week hold the asking member's own triggers only, by
// the week of the moment in the couple's time zone, from the given day on; the partner's and another
// couple's never count.
func TestWeeklyCountsAreTheAuthorsOwn(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	at := func(m int, d time.Time) {
		t.Helper()
		if _, err := f.svc.Create(ctx, memberOf(f, m), trigger.Input{At: d, What: "A reminder", Strength: intp(5)}); err != nil {
			t.Fatal(err)
		}
	}
	now := f.clock.Now() // Wednesday 25 November 2026 (2026-W48)
	at(0, now)
	at(0, now.Add(-time.Hour))
	at(0, now.AddDate(0, 0, -7))  // 2026-W47
	at(0, now.AddDate(0, 0, -70)) // before the window
	at(1, now)                    // the partner's
	at(1, now.AddDate(0, 0, -7))
	at(2, now) // another couple's

	counts, err := f.svc.WeeklyCounts(ctx, f.a, now.AddDate(0, 0, -14))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"2026-W48": 2, "2026-W47": 1}
	if len(counts) != len(want) || counts["2026-W48"] != 2 || counts["2026-W47"] != 1 {
		t.Fatalf("counts = %v, want %v", counts, want)
	}
	partner, err := f.svc.WeeklyCounts(ctx, f.b, now.AddDate(0, 0, -14))
	if err != nil {
		t.Fatal(err)
	}
	if len(partner) != 2 || partner["2026-W48"] != 1 || partner["2026-W47"] != 1 {
		t.Fatalf("partner's counts = %v, want their own one a week", partner)
	}
}

func memberOf(f *fixture, i int) *couple.Membership {
	return []*couple.Membership{f.a, f.b, f.x}[i]
}
