package bench

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/testutil"
)

// allocBudgets are the most heap allocations one request of each hot path may make on the server
// side, for a couple of the benchmark's default shape (DefaultShape: 26 weeks of history), on each
// engine, and the goal for each (the same on both). Each budget is the count measured on that
// engine when it was set, over sealed text as mend serve holds it (4 December 2026: 1,441 / 1,007 / 572 on
// SQLite, 1,677 / 1,189 / 701 on PostgreSQL), with a margin of 5 % for what changes with the day of the
// week (whether this week's check-in has opened, so one more week and one more update); lower it as the
// count comes down. /progress is within its goal on both engines, and its budget, below the goal, keeps
// it there. PostgreSQL's counts are higher: pgx's database/sql adapter builds its scanners anew for
// every column of every query. What is left above the goals is GORM's work per statement, the drivers'
// per-column values and html/template's escapers: see the README's "Performance".
var allocBudgets = []struct {
	name             string
	sqlite, postgres float64
	goal             float64
}{
	{"GET /dashboard", 1515, 1760, 800},
	{"GET /progress", 1060, 1250, 2000},
	{"GET /api/v1/checkins/{week}", 600, 735, 250},
}

// raceAllowance is how many times its budget a request may allocate under the race detector.
const raceAllowance = 1.08

// TestHotPathAllocationsWithinBudget guards the hot paths' allocations per request, a count that does
// not depend on the machine's speed (the statement-count guard's twin for memory), counted as
// mend-bench counts them (countAllocs: straight to the Fiber app's fasthttp handler, the harness's
// share subtracted). AllocsPerRun counts the allocations of every goroutine, so the test is not
// parallel: the package's parallel tests only resume once the sequential ones are done, and the
// loopback server that signed the member in has no open connection left.
func TestHotPathAllocationsWithinBudget(t *testing.T) {
	engine := testutil.Engine(t)
	counts := allocsCounted(t, DefaultShape(1))
	if len(counts) != len(allocBudgets) {
		t.Fatalf("%d paths counted, %d budgeted", len(counts), len(allocBudgets))
	}
	for i, p := range allocBudgets {
		got := counts[i]
		if got.Path != p.name {
			t.Fatalf("path %d: counted %s, budgeted %s", i, got.Path, p.name)
		}
		budget := p.sqlite
		if engine == config.EnginePostgres {
			budget = p.postgres
		}
		if raceDetector {
			budget *= raceAllowance
		}
		t.Logf("%s on %s: %.0f allocations per request (budget %.0f, goal %.0f)", p.name, engine, got.PerRequest, budget, p.goal)
		if got.PerRequest > budget {
			t.Errorf("%s: %.0f allocations per request, budget %.0f", p.name, got.PerRequest, budget)
		}
	}
}

// allocsCounted seeds one couple of the given shape on the engine MEND_TEST_ENGINE names, serves
// Mend over it in-process, signs the couple's first member in and counts the hot paths' allocations.
func allocsCounted(t *testing.T, shape Shape) []Allocs {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	now := time.Now()
	var ds *Dataset
	var db *gorm.DB
	var err error
	switch testutil.Engine(t) {
	case config.EnginePostgres:
		db, _ = testutil.NewPostgresDB(t)
		if ds, err = seedInto(ctx, db, shape, 0, now, nil); err != nil {
			t.Fatal(err)
		}
	default:
		if ds, err = Seed(ctx, filepath.Join(dir, "mend.db"), shape, 0, now, nil); err != nil {
			t.Fatal(err)
		}
		if db, err = database.Open(ds.Path, nil); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { database.Close(db) })
	}
	counts, _, err := allocsOver(ctx, dir, db, ds, now, false)
	if err != nil {
		t.Fatal(err)
	}
	return counts
}
