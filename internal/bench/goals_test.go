package bench

import (
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/config"
)

// fixedReport is a run's report with figures chosen to sit on either side of the goals: each goal is
// either just met or just missed, so a verdict that reads the wrong figure, divides the wrong way or
// compares the wrong way shows.
func fixedReport() *Report {
	res := func(key string, rps float64, cpu time.Duration) *Result {
		return &Result{Scenario: &Scenario{Key: key, Name: key},
			Max: &Measurement{RPS: rps, CPUPerRequest: cpu, PeakRSS: 40e6}, Fixed: &Measurement{Overloaded: true}}
	}
	mixed := res("mixed", 500, time.Millisecond)
	mixed.Max.Write.P99 = 30*time.Millisecond + time.Microsecond // just missed: ≤ 30 ms
	mixed.Max.PeakRSS = 80e6                                     // just met: ≤ 80 MB
	put := res("checkin-put", 1000, 500*time.Microsecond)        // just met: 50 % of 2000
	put.Max.Locked = 1                                           // missed: no error, no locked
	return &Report{
		Engine: config.EnginePostgres,
		Config: Config{Conns: 64, Rate: 1000},
		Ceiling: map[string]*Result{
			"ceiling-read":   res("ceiling-read", 10000, 100*time.Microsecond),
			"ceiling-insert": res("ceiling-insert", 2000, 200*time.Microsecond),
		},
		Mend: []*Result{
			res("dashboard", 1199, 1000*time.Microsecond),  // CPU 10× (met), throughput 11.99 % (missed)
			res("checkin-get", 3000, 501*time.Microsecond), // CPU 5.01× (missed)
			put,
			res("progress", 400, 1500*time.Microsecond), // CPU 15× (met)
			mixed,
		},
		Scale: []ScalePoint{{Couples: 200, Rate: 400, P99: 10 * time.Millisecond},
			{Couples: 20000, Rate: 400, P99: 11 * time.Millisecond}}, // 1.1× (met)
		Allocs: []Allocs{{Path: "GET /dashboard", PerRequest: 800, Goal: 800},
			{Path: "GET /progress", PerRequest: 2000, Goal: 2000},
			{Path: "GET /api/v1/checkins/{week}", PerRequest: 250, Goal: 250}}, // all just met
		IdleRSS:      30e6 + 1,              // just missed: ≤ 30 MB
		StartUp:      50 * time.Millisecond, // just met: ≤ 50 ms
		StartUpEmpty: 20 * time.Millisecond,
		Page:         PageWeight{Bytes: 60_000}, // just met: ≤ 60 KB
	}
}

// goalRow is one row of the goal table: the goal, where it comes from, the figure and the verdict.
type goalRow struct{ goal, from, figure, verdict string }

func goalRows(r *Report) map[string]goalRow {
	rows := map[string]goalRow{}
	for _, c := range r.goalsTable().rows {
		rows[c[0]] = goalRow{c[0], c[1], c[2], c[3]}
	}
	return rows
}

// TestGoalTableJudgesEveryGoalOfIssue21 feeds the goal table a fixed report and checks that it has
// every goal of issue 21 and the kept ones, each with the verdict its figures give (those measured
// outside mend-bench said so, with no figure).
func TestGoalTableJudgesEveryGoalOfIssue21(t *testing.T) {
	want := []goalRow{
		{"dashboard CPU per request ≤ 10× the ceiling's row read", "issue 21", "10.00× (1000 µs against 100 µs)", "met"},
		{"dashboard throughput ≥ 12 % of the ceiling's row read", "issue 21", "11.99 % (1199 of 10000 req/s)", "NOT MET"},
		{"/progress CPU per request ≤ 15× the ceiling's row read", "issue 21", "15.00× (1500 µs against 100 µs)", "met"},
		{"check-in week read CPU per request ≤ 5× the ceiling's row read", "issue 21", "5.01× (501 µs against 100 µs)", "NOT MET"},
		{"check-in save throughput ≥ 50 % of the ceiling's insert", "issue 21", "50.00 % (1000 of 2000 req/s)", "met"},
		{"mixed load (80 % reads, 20 % writes): write p99 ≤ 30 ms", "issue 21", "30.00 ms", "NOT MET"},
		{"check-in read ≥ 1.5× PocketBase v0.39's record view", "issue 21", "–", "measured outside mend-bench"},
		{"check-in save ≥ 1.5× PocketBase's record update, both at synchronous=FULL", "issue 21", "–", "measured outside mend-bench"},
		{"allocations per request, in-process: dashboard / progress / check-in read", "issue 21", "800 / 2000 / 250 against ≤ 800 / 2,000 / 250", "met"},
		{"dashboard p99 on 20,000 couples ≤ 1.1× on 200", "issue 21 (kept)", "1.10× (11.00 ms at 20000 couples, 10.00 ms at 200)", "met"},
		{"server RSS under load ≤ 80 MB", "issue 21 (kept)", "80.0 MB", "met"},
		{"no error and no \"database is locked\" in the check-in saves at full speed", "kept", "0 errors, 1 locked", "NOT MET"},
		{"dashboard page with its CSS and JavaScript ≤ 60 KB compressed", "kept", "60.0 KB", "met"},
		{"server RSS at idle ≤ 30 MB", "kept", "30.0 MB", "NOT MET"},
		{"start-up to first answer ≤ 50 ms on the main database", "kept", "50.00 ms (empty: 20.00 ms)", "met"},
	}
	r := fixedReport()
	rows := goalRows(r)
	for _, w := range want {
		got, ok := rows[w.goal]
		if !ok {
			t.Errorf("no row for %q", w.goal)
			continue
		}
		if got != w {
			t.Errorf("%q:\n got %+v\nwant %+v", w.goal, got, w)
		}
	}
	if len(rows) != len(want) {
		t.Errorf("%d goal rows, want %d: %+v", len(rows), len(want), rows)
	}
	if u := r.Unmeasured(); len(u) > 0 {
		t.Errorf("goals not measured in a full report: %q", u)
	}

	// One allocation count over its goal misses the row; a missing scale point leaves it unmeasured.
	r.Allocs[2].PerRequest = 251
	r.Scale = nil
	rows = goalRows(r)
	if got := rows["allocations per request, in-process: dashboard / progress / check-in read"]; got.verdict != "NOT MET" ||
		got.figure != "800 / 2000 / 251 against ≤ 800 / 2,000 / 250" {
		t.Errorf("allocations, one over: %+v", got)
	}
	if got := rows["dashboard p99 on 20,000 couples ≤ 1.1× on 200"]; got.verdict != "not measured" ||
		got.figure != "no scale comparison in this run (-skip-big)" {
		t.Errorf("scale with no points: %+v", got)
	}
}

// TestReportHeadingsNameTheEngine checks that the Markdown and the text report both start with the
// engine's name, so the README can show one table per engine.
func TestReportHeadingsNameTheEngine(t *testing.T) {
	for engine, name := range map[string]string{config.EngineSQLite: "SQLite", config.EnginePostgres: "PostgreSQL"} {
		r := fixedReport()
		r.Engine = engine
		var md, text strings.Builder
		r.Markdown(&md)
		r.Print(&text)
		if first, _, _ := strings.Cut(md.String(), "\n"); first != "### mend-bench on "+name {
			t.Errorf("%s: the Markdown starts with %q", engine, first)
		}
		if first, _, _ := strings.Cut(text.String(), "\n"); first != "mend-bench on "+name {
			t.Errorf("%s: the text starts with %q", engine, first)
		}
		if !strings.Contains(md.String(), "| goal | from | figure | verdict |") {
			t.Errorf("%s: no goal table in the Markdown:\n%s", engine, md.String())
		}
	}
}

// TestAllocPathsAreTheGuardedOnes checks that mend-bench counts the requests the allocation guard
// counts, against the same goals.
func TestAllocPathsAreTheGuardedOnes(t *testing.T) {
	if len(allocPaths) != len(allocBudgets) {
		t.Fatalf("%d paths counted, %d guarded", len(allocPaths), len(allocBudgets))
	}
	s := &Session{Week: "2026-W49", Opened: []string{"2026-W47", "2026-W48"},
		pageHeader: map[string][]string{"Cookie": {"c"}}, apiHeader: map[string][]string{"Authorization": {"Bearer b"}}}
	for i, p := range allocPaths {
		if b := allocBudgets[i]; p.name != b.name || p.goal != b.goal {
			t.Errorf("path %d: %s goal %.0f, guarded %s goal %.0f", i, p.name, p.goal, b.name, b.goal)
		}
		got, want := p.req("http://x", s), hotRequest(t, p.name)("http://x", s)
		if got.Method != want.Method || got.URL.String() != want.URL.String() || got.Header.Get("Cookie") != want.Header.Get("Cookie") ||
			got.Header.Get("Authorization") != want.Header.Get("Authorization") {
			t.Errorf("%s: counts %s %s %v, the hot path is %s %s %v", p.name, got.Method, got.URL, got.Header, want.Method, want.URL, want.Header)
		}
	}
}
