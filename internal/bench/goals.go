package bench

import (
	"fmt"
	"time"
)

// goal is one of the goals, judged on a report.
type goal struct {
	text string
	// needs are the keys of the scenarios the goal is judged on.
	needs []string
	// judge returns the figure and whether it meets the goal; ok is false when it was not measured.
	judge func(r *Report) (figure string, met, ok bool)
}

func (r *Report) result(key string) *Result {
	for _, res := range r.Mend {
		if res.Scenario.Key == key {
			return res
		}
	}
	return nil
}

// soloReads is the throughput sc's reads would have on their own: the harmonic mix of the solo
// throughputs of the scenarios its reads come from.
func (r *Report) soloReads(sc *Scenario) (float64, bool) {
	var weights, inv float64
	for _, q := range sc.requests {
		if q.write {
			continue
		}
		solo := r.result(q.solo)
		if solo == nil || solo.Max.RPS == 0 {
			return 0, false
		}
		weights += float64(q.weight)
		inv += float64(q.weight) / solo.Max.RPS
	}
	if inv == 0 {
		return 0, false
	}
	return weights / inv, true
}

var goals = []goal{
	{"Dashboard throughput ≥ 40 % of the ceiling's row read", []string{"dashboard"}, func(r *Report) (string, bool, bool) {
		d, c := r.result("dashboard"), r.Ceiling["ceiling-read"]
		if d == nil || c == nil {
			return "", false, false
		}
		f := d.Max.RPS / c.Max.RPS
		return fmt.Sprintf("%.0f %%", 100*f), f >= 0.40, true
	}},
	{"Dashboard p99 ≤ 5 ms at the fixed rate", []string{"dashboard"}, func(r *Report) (string, bool, bool) {
		d := r.result("dashboard")
		if d == nil {
			return "", false, false
		}
		return fixedP99(d.Fixed), !d.Fixed.Overloaded && d.Fixed.P99 <= 5*time.Millisecond, true
	}},
	{"Check-in write throughput ≥ 60 % of the ceiling's insert (synchronous=FULL)", []string{"checkin-put"}, func(r *Report) (string, bool, bool) {
		w, c := r.result("checkin-put"), r.Ceiling["ceiling-insert"]
		if w == nil || c == nil {
			return "", false, false
		}
		f := w.Max.RPS / c.Max.RPS
		return fmt.Sprintf("%.0f %%", 100*f), f >= 0.60, true
	}},
	{"Check-in writes: no error and no \"database is locked\" at full load", []string{"checkin-put"}, func(r *Report) (string, bool, bool) {
		w := r.result("checkin-put")
		if w == nil {
			return "", false, false
		}
		return fmt.Sprintf("%d errors, %d locked", w.Max.Errors, w.Max.Locked), w.Max.Errors+w.Max.Locked == 0, true
	}},
	{"Check-in write p99 ≤ 15 ms at the fixed rate", []string{"checkin-put"}, func(r *Report) (string, bool, bool) {
		w := r.result("checkin-put")
		if w == nil {
			return "", false, false
		}
		return fixedP99(w.Fixed), !w.Fixed.Overloaded && w.Fixed.P99 <= 15*time.Millisecond, true
	}},
	{"Mixed load: reads keep ≥ 50 % of their solo throughput", []string{"mixed"}, func(r *Report) (string, bool, bool) {
		m := r.result("mixed")
		if m == nil {
			return "", false, false
		}
		solo, ok := r.soloReads(m.Scenario)
		if !ok {
			return "", false, false
		}
		f := m.Max.Read.RPS / solo
		return fmt.Sprintf("%.0f %% (%.0f of %.0f req/s)", 100*f, m.Max.Read.RPS, solo), f >= 0.50, true
	}},
	{"Mixed load: write p99 ≤ 50 ms", []string{"mixed"}, func(r *Report) (string, bool, bool) {
		m := r.result("mixed")
		if m == nil {
			return "", false, false
		}
		return ms(m.Max.Write.P99), m.Max.Write.P99 <= 50*time.Millisecond, true
	}},
	{"Server RSS ≤ 30 MB at idle", []string{}, func(r *Report) (string, bool, bool) {
		return mb(r.IdleRSS), r.IdleRSS <= 30e6, r.IdleRSS > 0
	}},
	{"Server RSS ≤ 80 MB under load", []string{}, func(r *Report) (string, bool, bool) {
		var peak int64
		for _, res := range r.Mend {
			peak = max(peak, res.Max.PeakRSS, res.Fixed.PeakRSS)
		}
		return mb(peak), peak <= 80e6, peak > 0
	}},
	{"Start-up to first answer ≤ 50 ms on a migrated database", []string{}, func(r *Report) (string, bool, bool) {
		if r.StartUp == 0 {
			return "", false, false
		}
		return fmt.Sprintf("%s (empty: %s)", ms(r.StartUp), ms(r.StartUpEmpty)), r.StartUp <= 50*time.Millisecond, true
	}},
	{"Scale: dashboard p99 on the big database ≤ 1.3 × on the small one", []string{"dashboard"}, func(r *Report) (string, bool, bool) {
		if len(r.Scale) < 2 {
			return "", false, false
		}
		small, big := r.Scale[0], r.Scale[len(r.Scale)-1]
		f := float64(big.P99) / float64(small.P99)
		return fmt.Sprintf("%.2f× (%s at %d couples, %s at %d)", f, ms(big.P99), big.Couples, ms(small.P99), small.Couples), f <= 1.3, true
	}},
	{"Dashboard page with its CSS and JavaScript ≤ 60 KB compressed", []string{}, func(r *Report) (string, bool, bool) {
		return fmt.Sprintf("%.1f KB", float64(r.Page.Bytes)/1000), r.Page.Bytes <= 60_000, r.Page.Bytes > 0
	}},
}

// Unmeasured lists the goals that were not measured although every scenario they need is listed.
func (r *Report) Unmeasured() []string {
	var out []string
	for _, g := range goals {
		listed := true
		for _, k := range g.needs {
			listed = listed && scenario(k) != nil
		}
		if _, _, ok := g.judge(r); listed && !ok {
			out = append(out, g.text)
		}
	}
	return out
}

// goalsTable judges every goal.
func (r *Report) goalsTable() *table {
	t := &table{head: []string{"goal", "figure", "met"}}
	for _, g := range goals {
		fig, met, ok := g.judge(r)
		verdict := "not measured"
		if ok && met {
			verdict = "met"
		} else if ok {
			verdict = "NOT MET"
		}
		t.add(g.text, fig, verdict)
	}
	return t
}
