package bench_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/bench"
	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/testutil"
)

// TestMain lets the test binary serve the ceiling when the benchmark starts it as a separate process.
func TestMain(m *testing.M) {
	if addr := os.Getenv("MEND_BENCH_CEILING_ADDR"); addr != "" {
		rows, _ := strconv.Atoi(os.Getenv("MEND_BENCH_CEILING_ROWS"))
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
		err := bench.ServeCeiling(ctx, addr, os.Getenv("MEND_BENCH_CEILING_DB"), rows)
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestBenchmarkRunsOnATinyDatabase runs the whole benchmark, seeding and every scenario included, on
// tiny databases for a moment each, so it cannot rot. It times nothing: it checks that every
// scenario sent requests and got no error, and that the report has every row. A scenario whose full
// speed is below the fixed rate is not driven at that rate (its queue would only grow); on a loaded
// machine that is the right report, so the test checks the decision against the full-speed figure
// instead of expecting the fixed-rate run. The rate is low so that run happens on all but the
// slowest machines. It runs on the test kit's engine (MEND_TEST_ENGINE): on PostgreSQL, every
// database of the run (the seeded ones, the empty one and the ceiling's) is a PostgreSQL database of
// the test's own, and the test checks the served data and the ceiling's table are really there.
func TestBenchmarkRunsOnATinyDatabase(t *testing.T) {
	t.Parallel()
	engine := testutil.Engine(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	bin := filepath.Join(t.TempDir(), "mend")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "../../cmd/mend").CombinedOutput(); err != nil {
		t.Fatalf("build mend: %v\n%s", err, out)
	}
	var log strings.Builder
	var ceilingDB string
	cfg := bench.Config{
		Engine: engine, Mend: bin, Dir: t.TempDir(), Couples: 4, Seeded: 2, ScaleSmall: 2, ScaleBig: 8,
		Shape: func(n int) bench.Shape {
			return bench.Shape{Couples: n, Weeks: 3, Agreements: 2, Versions: 2, Moments: 3}
		},
		Duration: 200 * time.Millisecond, Conns: 4, Rate: 5, PoolCouples: 2, CeilingRows: 300, Log: &log,
		Ceiling: func(addr, path string, rows int) *exec.Cmd {
			ceilingDB = path
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "MEND_BENCH_CEILING_ADDR="+addr, "MEND_BENCH_CEILING_DB="+path,
				"MEND_BENCH_CEILING_ROWS="+strconv.Itoa(rows))
			return cmd
		},
	}
	if engine == config.EnginePostgres {
		cfg.NewPostgres = func(context.Context, string) (string, error) { return testutil.NewEmptyPostgresURL(t), nil }
	}
	rep, err := bench.Run(ctx, cfg)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, log.String())
	}
	if rep.Engine != engine {
		t.Errorf("the report says engine %q, want %q", rep.Engine, engine)
	}
	if engine == config.EnginePostgres {
		wantPostgresRun(t, rep, ceilingDB, cfg.CeilingRows)
	}
	if len(rep.Mend) != len(bench.Scenarios) {
		t.Fatalf("%d of %d scenarios ran", len(rep.Mend), len(bench.Scenarios))
	}
	var md strings.Builder
	rep.Markdown(&md)
	all := append([]*bench.Result{rep.Ceiling["ceiling-read"], rep.Ceiling["ceiling-insert"]}, rep.Mend...)
	for i, r := range all {
		if r == nil {
			t.Fatalf("result %d is missing", i)
		}
		wantRan(t, r.Scenario.Name+" at full speed", r.Max)
		slow := r.Max.RPS < float64(cfg.Rate)
		switch {
		case r.Fixed.Overloaded != slow:
			t.Errorf("%s: %.0f req/s at full speed against %d/s, but overloaded is %v", r.Scenario.Name, r.Max.RPS, cfg.Rate, r.Fixed.Overloaded)
		case slow && !strings.Contains(md.String(), fmt.Sprintf("not run: tops out at %.0f/s", r.Max.RPS)):
			t.Errorf("%s: the report does not say the fixed rate was not run:\n%s", r.Scenario.Name, md.String())
		case !slow:
			wantRan(t, r.Scenario.Name+" at the fixed rate", r.Fixed)
		}
	}
	if len(rep.Scale) != 2 || rep.Scale[0].Errors+rep.Scale[1].Errors != 0 {
		t.Errorf("scale points: %+v", rep.Scale)
	}
	if rep.StartUp <= 0 || rep.StartUpEmpty <= 0 || rep.IdleRSS <= 0 || rep.Page.Bytes <= 0 {
		t.Errorf("start-up %v / %v, idle RSS %d, page %d B", rep.StartUp, rep.StartUpEmpty, rep.IdleRSS, rep.Page.Bytes)
	}
	for _, s := range bench.Scenarios {
		if !strings.Contains(md.String(), "| "+s.Name+" |") {
			t.Errorf("the table has no row for %s:\n%s", s.Name, md.String())
		}
	}
	if len(rep.Allocs) != 3 {
		t.Errorf("allocations counted for %d paths, want 3: %+v", len(rep.Allocs), rep.Allocs)
	}
	for _, a := range rep.Allocs {
		if a.PerRequest <= 0 || a.Goal <= 0 {
			t.Errorf("%s: %.0f allocations per request against a goal of %.0f", a.Path, a.PerRequest, a.Goal)
		}
	}
	// What encryption costs each hot path: the pages open the names and texts they show, the save seals
	// the answers, and the time in the vault is a part of the request's.
	costs := map[string]bench.SealCost{}
	for _, c := range rep.SealCost {
		costs[c.Path] = c
		if c.PerRequest <= 0 || c.Share() <= 0 || c.Share() >= 1 {
			t.Errorf("%s: %v in the vault of %v per request", c.Path, c.InVault, c.PerRequest)
		}
	}
	if len(costs) != 4 || costs["GET /dashboard"].Opens < 2 || costs["PUT /api/v1/checkins/{week}/mine"].Seals < 1 {
		t.Errorf("the cost of encryption: %+v", rep.SealCost)
	}
	if !strings.Contains(md.String(), "| encryption at rest, in-process |") {
		t.Errorf("the Markdown has no table of what encryption costs:\n%s", md.String())
	}
	if heading := map[string]string{config.EngineSQLite: "SQLite", config.EnginePostgres: "PostgreSQL"}[engine]; !strings.HasPrefix(md.String(), "### mend-bench on "+heading+"\n") {
		t.Errorf("the Markdown's heading does not name %s:\n%s", heading, md.String())
	}
	if u := rep.Unmeasured(); len(u) > 0 {
		t.Errorf("goals not measured: %q\n%s", u, md.String())
	}
}

// wantPostgresRun fails unless every seeded database of rep and the ceiling's were PostgreSQL
// databases holding what was served: each data set's users, the ceiling's rows.
func wantPostgresRun(t *testing.T, rep *bench.Report, ceilingDB string, ceilingRows int) {
	t.Helper()
	count := func(url, table string) int64 {
		t.Helper()
		if (config.Config{DatabaseURL: url}).Engine() != config.EnginePostgres {
			t.Fatalf("%s is not a PostgreSQL database", url)
		}
		db, err := database.OpenPostgres(context.Background(), url, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer database.Close(db)
		var n int64
		if err := db.Table(table).Count(&n).Error; err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		return n
	}
	for _, ds := range rep.Seeds {
		if got, want := count(ds.URL, "users"), int64(2*ds.Shape.Couples); got != want {
			t.Errorf("the PostgreSQL database of %d couples holds %d users, want %d", ds.Shape.Couples, got, want)
		}
	}
	if got := count(ceilingDB, "ceiling_rows"); got < int64(ceilingRows) {
		t.Errorf("the ceiling's PostgreSQL table holds %d rows, want at least %d", got, ceilingRows)
	}
}

// wantRan fails unless m sent requests and none failed or met a locked database.
func wantRan(t *testing.T, what string, m *bench.Measurement) {
	t.Helper()
	if m.Requests == 0 || m.Errors != 0 || m.Locked != 0 {
		t.Errorf("%s: %d requests, %d errors (first: %s), %d locked", what, m.Requests, m.Errors, m.FirstError, m.Locked)
	}
}
