package checkin_test

import (
	"testing"

	"github.com/mendhq/mend/internal/checkin"
)

// TestThisWeekMatchesWeeks checks the dashboard's short read of this week against the full list, and its
// safety flag against CheckLowSafety, for a week with no answers, a draft, a shared answer and an opened
// week, from both sides, with low ratings this week and last week.
func TestThisWeekMatchesWeeks(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.couple("Europe/London")
	week := f.svc.Current(f.m(p.a)).String()
	steps := []struct {
		name string
		do   func()
	}{
		{"no answers", func() {}},
		{"a draft", func() { f.save(p.a, week, full("a", 5, 5, 5, false)) }},
		{"low last week", func() { f.save(p.b, f.svc.Current(f.m(p.b)).Prev().String(), full("b", 5, 5, 1, false)) }},
		{"a low draft", func() { f.save(p.a, week, full("a", 5, 5, 2, false)) }},
		{"one shared", func() { f.save(p.a, week, full("a", 5, 5, 5, true)) }},
		{"opened", func() { f.save(p.b, week, full("b", 6, 6, 6, true)) }},
	}
	for _, st := range steps {
		st.do()
		for _, u := range []string{p.a, p.b} {
			m := f.m(u)
			g, err := f.svc.Glance(f.ctx, m)
			if err != nil {
				t.Fatal(err)
			}
			got := g.Week
			if low, err := f.svc.CheckLowSafety(f.ctx, p.coupleID, u); err != nil || g.LowSafety != low {
				t.Errorf("%s, as %s: Glance says low safety %v, CheckLowSafety %v %v", st.name, u, g.LowSafety, low, err)
			}
			cur, all, err := f.svc.Weeks(f.ctx, m)
			if err != nil {
				t.Fatal(err)
			}
			var want checkin.WeekSummary
			for _, w := range all {
				if w.Week == cur {
					want = w
				}
			}
			if got != want {
				t.Errorf("%s, as %s: ThisWeek = %+v, Weeks says %+v", st.name, u, got, want)
			}
		}
	}
}
