package bench

import (
	"context"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/testutil"
)

// allocBudgets are the most heap allocations one request of each hot path may make on the server
// side, for a couple of the benchmark's default shape (DefaultShape: 26 weeks of history), and the
// issue's goal for each, on either engine. A budget above its goal is the count measured when it was
// set (the higher of SQLite's and PostgreSQL's), with a margin of about 5 % for what changes with the
// day of the week (whether this week's check-in has opened, so one more week and one more update);
// lower it as the count comes down, and to the goal once it is met. What is left above the goals is
// on the data side: the services' reads of the history (internal/updates, plan, checkin, agreement),
// which the page and API code no longer add to.
var allocBudgets = []struct {
	name         string
	budget, goal float64
}{
	{"GET /dashboard", 4000, 800},
	{"GET /progress", 3650, 2000},
	{"GET /api/v1/checkins/{week}", 1025, 250},
}

// raceAllowance is how many times its budget a request may allocate under the race detector.
const raceAllowance = 1.08

// allocRuns is how many requests each count is the mean of.
const allocRuns = 50

// TestHotPathAllocationsWithinBudget guards the hot paths' allocations per request, a count that does
// not depend on the machine's speed (the statement-count guard's twin for memory). How it counts:
// the request is handed straight to the Fiber app's fasthttp handler on a reused fasthttp.RequestCtx,
// with no socket and no HTTP client, and testing.AllocsPerRun gives the mean number of mallocs over
// allocRuns requests after a first one that warms every cache and pool (templates escape on first
// use, the database pools open their connections). The harness's own share (copying the request
// into the context) is measured around a handler that does nothing and subtracted. AllocsPerRun
// counts the allocations of every goroutine, so the test is not parallel: the package's parallel
// tests only resume once the sequential ones are done, and the loopback server that signed the
// member in has no open connection left. What remains between runs (a database connection reopened,
// say) is rare, and averaged over the runs.
func TestHotPathAllocationsWithinBudget(t *testing.T) {
	base, srv, s := serveAllocCounted(t, DefaultShape(1))
	noRedirect.CloseIdleConnections()
	h := srv.App().Handler()
	remote := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
	var ctx fasthttp.RequestCtx
	var req fasthttp.Request
	status := 0
	call := func(handler fasthttp.RequestHandler) {
		ctx.Init(&req, remote, nil)
		handler(&ctx)
		if st := ctx.Response.StatusCode(); st != http.StatusOK {
			status = st
		}
	}
	harness := testing.AllocsPerRun(allocRuns, func() { call(func(*fasthttp.RequestCtx) {}) })
	for _, p := range allocBudgets {
		toFastHTTP(hotRequest(t, p.name)(base, s), &req)
		status = 0
		got := testing.AllocsPerRun(allocRuns, func() { call(h) }) - harness
		if status != 0 {
			t.Fatalf("%s: status %d", p.name, status)
		}
		budget := p.budget
		if raceDetector {
			budget *= raceAllowance
		}
		t.Logf("%s: %.0f allocations per request (budget %.0f, goal %.0f)", p.name, got, budget, p.goal)
		if got > budget {
			t.Errorf("%s: %.0f allocations per request, budget %.0f", p.name, got, budget)
		}
	}
}

// toFastHTTP copies r into the fasthttp request out.
func toFastHTTP(r *http.Request, out *fasthttp.Request) {
	out.Reset()
	out.Header.SetMethod(r.Method)
	out.SetRequestURI(r.URL.String())
	for k, vs := range r.Header {
		for _, v := range vs {
			out.Header.Add(k, v)
		}
	}
}

// serveAllocCounted seeds one couple of the given shape on the engine MEND_TEST_ENGINE names, serves
// Mend over it, signs the couple's first member in and returns the server too.
func serveAllocCounted(t *testing.T, shape Shape) (string, *server.Server, *Session) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	now := time.Now()
	var ds *Dataset
	var base string
	var srv *server.Server
	var err error
	switch testutil.Engine(t) {
	case config.EnginePostgres:
		db, _ := testutil.NewPostgresDB(t)
		if ds, err = seedInto(ctx, db, shape, 0, now, nil); err != nil {
			t.Fatal(err)
		}
		base, srv = serveServer(t, dir, db, nil)
	default:
		if ds, err = Seed(ctx, filepath.Join(dir, "mend.db"), shape, 0, now, nil); err != nil {
			t.Fatal(err)
		}
		db, err := database.Open(ds.Path, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { database.Close(db) })
		base, srv = serveServer(t, dir, db, nil)
	}
	s, err := signIn(ctx, base, &ds.Couples[0], 0, shape.Weeks, now)
	if err != nil {
		t.Fatal(err)
	}
	return base, srv, s
}
