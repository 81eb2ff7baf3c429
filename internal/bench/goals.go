package bench

import (
	"fmt"
	"strings"
	"time"
)

// goal is one goal the run is judged on: issue 21's (each engine against its own ceiling, measured in
// the same run), and the earlier ones the repository still holds to ("kept").
type goal struct {
	text string
	// from says where the goal comes from: "issue 21", "issue 21 (kept)" for an earlier goal the issue
	// keeps, "kept" for one of the earlier issues that still holds.
	from string
	// outside marks a goal measured outside mend-bench (against PocketBase's own build): it has no
	// figure here.
	outside bool
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

// cpuGoal is the goal that key's CPU per request is at most limit times the ceiling's row read.
func cpuGoal(text, key string, limit float64) goal {
	return goal{text, "issue 21", false, []string{key}, func(r *Report) (string, bool, bool) {
		m, c := r.result(key), r.Ceiling["ceiling-read"]
		if m == nil || c == nil || c.Max.CPUPerRequest == 0 {
			return "", false, false
		}
		f := float64(m.Max.CPUPerRequest) / float64(c.Max.CPUPerRequest)
		return fmt.Sprintf("%.2f× (%s against %s)", f, us(m.Max.CPUPerRequest), us(c.Max.CPUPerRequest)), f <= limit, true
	}}
}

// throughputGoal is the goal that key's throughput is at least share of the ceiling's scenario ceil.
func throughputGoal(text, key, ceil string, share float64) goal {
	return goal{text, "issue 21", false, []string{key}, func(r *Report) (string, bool, bool) {
		m, c := r.result(key), r.Ceiling[ceil]
		if m == nil || c == nil || c.Max.RPS == 0 {
			return "", false, false
		}
		f := m.Max.RPS / c.Max.RPS
		return fmt.Sprintf("%.2f %% (%.0f of %.0f req/s)", 100*f, m.Max.RPS, c.Max.RPS), f >= share, true
	}}
}

var goals = []goal{
	cpuGoal("dashboard CPU per request ≤ 10× the ceiling's row read", "dashboard", 10),
	throughputGoal("dashboard throughput ≥ 12 % of the ceiling's row read", "dashboard", "ceiling-read", 0.12),
	cpuGoal("/progress CPU per request ≤ 15× the ceiling's row read", "progress", 15),
	cpuGoal("check-in week read CPU per request ≤ 5× the ceiling's row read", "checkin-get", 5),
	throughputGoal("check-in save throughput ≥ 50 % of the ceiling's insert", "checkin-put", "ceiling-insert", 0.50),
	{"mixed load (80 % reads, 20 % writes): write p99 ≤ 30 ms", "issue 21", false, []string{"mixed"}, func(r *Report) (string, bool, bool) {
		m := r.result("mixed")
		if m == nil {
			return "", false, false
		}
		return ms(m.Max.Write.P99), m.Max.Write.P99 <= 30*time.Millisecond, true
	}},
	{"check-in read ≥ 1.5× PocketBase v0.39's record view", "issue 21", true, nil, nil},
	{"check-in save ≥ 1.5× PocketBase's record update, both at synchronous=FULL", "issue 21", true, nil, nil},
	{"allocations per request, in-process: dashboard / progress / check-in read", "issue 21", false, []string{}, func(r *Report) (string, bool, bool) {
		if len(r.Allocs) == 0 {
			return "", false, false
		}
		counts, limits := make([]string, len(r.Allocs)), make([]string, len(r.Allocs))
		met := true
		for i, a := range r.Allocs {
			counts[i], limits[i] = fmt.Sprintf("%.0f", a.PerRequest), thousands(a.Goal)
			met = met && a.PerRequest <= a.Goal
		}
		return strings.Join(counts, " / ") + " against ≤ " + strings.Join(limits, " / "), met, true
	}},
	{"dashboard p99 on 20,000 couples ≤ 1.1× on 200", "issue 21 (kept)", false, []string{"dashboard"}, func(r *Report) (string, bool, bool) {
		if len(r.Scale) < 2 || r.Scale[0].P99 == 0 {
			if r.Config.ScaleBig == 0 {
				return "no scale comparison in this run (-skip-big)", false, false
			}
			return "", false, false
		}
		small, big := r.Scale[0], r.Scale[len(r.Scale)-1]
		f := float64(big.P99) / float64(small.P99)
		return fmt.Sprintf("%.2f× (%s at %d couples, %s at %d)", f, ms(big.P99), big.Couples, ms(small.P99), small.Couples), f <= 1.1, true
	}},
	{"server RSS under load ≤ 80 MB", "issue 21 (kept)", false, []string{}, func(r *Report) (string, bool, bool) {
		var peak int64
		for _, res := range r.Mend {
			peak = max(peak, res.Max.PeakRSS, res.Fixed.PeakRSS)
		}
		return mb(peak), peak <= 80e6, peak > 0
	}},
	{"no error and no \"database is locked\" in the check-in saves at full speed", "kept", false, []string{"checkin-put"}, func(r *Report) (string, bool, bool) {
		w := r.result("checkin-put")
		if w == nil {
			return "", false, false
		}
		return fmt.Sprintf("%d errors, %d locked", w.Max.Errors, w.Max.Locked), w.Max.Errors+w.Max.Locked == 0, true
	}},
	{"dashboard page with its CSS and JavaScript ≤ 60 KB compressed", "kept", false, []string{}, func(r *Report) (string, bool, bool) {
		return fmt.Sprintf("%.1f KB", float64(r.Page.Bytes)/1000), r.Page.Bytes <= 60_000, r.Page.Bytes > 0
	}},
	{"server RSS at idle ≤ 30 MB", "kept", false, []string{}, func(r *Report) (string, bool, bool) {
		return mb(r.IdleRSS), r.IdleRSS <= 30e6, r.IdleRSS > 0
	}},
	{"start-up to first answer ≤ 50 ms on the main database", "kept", false, []string{}, func(r *Report) (string, bool, bool) {
		if r.StartUp == 0 {
			return "", false, false
		}
		return fmt.Sprintf("%s (empty: %s)", ms(r.StartUp), ms(r.StartUpEmpty)), r.StartUp <= 50*time.Millisecond, true
	}},
}

// thousands formats a whole count with a comma between thousands, as the issue states its goals.
func thousands(f float64) string {
	s := fmt.Sprintf("%.0f", f)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Unmeasured lists the goals mend-bench measures that were not measured although every scenario
// they need is listed.
func (r *Report) Unmeasured() []string {
	var out []string
	for _, g := range goals {
		if g.outside {
			continue
		}
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
	t := &table{head: []string{"goal", "from", "figure", "verdict"}}
	for _, g := range goals {
		if g.outside {
			t.add(g.text, g.from, "–", "measured outside mend-bench")
			continue
		}
		fig, met, ok := g.judge(r)
		verdict := "not measured"
		if ok && met {
			verdict = "met"
		} else if ok {
			verdict = "NOT MET"
		}
		t.add(g.text, g.from, fig, verdict)
	}
	return t
}
