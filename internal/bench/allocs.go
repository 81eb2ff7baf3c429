package bench

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/valyala/fasthttp"
	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/vault"
)

// Allocs is the heap allocations one request of a hot path makes on the server side, counted
// in-process, and the goal for it.
type Allocs struct {
	Path       string
	PerRequest float64
	Goal       float64
}

// allocPaths are the hot paths whose allocations are counted, with the goal for each: the
// requests of TestHotPathAllocationsWithinBudget, which mend-bench counts the same way.
var allocPaths = []struct {
	name string
	goal float64
	req  func(base string, s *Session) *http.Request
}{
	{"GET /dashboard", 800, func(base string, s *Session) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, base+"/dashboard", nil)
		req.Header = s.pageHeader.Clone()
		return req
	}},
	{"GET /progress", 2000, func(base string, s *Session) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, base+"/progress", nil)
		req.Header = s.pageHeader.Clone()
		return req
	}},
	{"GET /api/v1/checkins/{week}", 250, func(base string, s *Session) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/checkins/"+s.Opened[len(s.Opened)-1], nil)
		req.Header = s.apiHeader.Clone()
		return req
	}},
}

// allocRuns is how many requests each count is the mean of.
const allocRuns = 50

// allocsPerRun is testing.AllocsPerRun, outside a test binary: the mean number of mallocs, of every
// goroutine, over runs calls of f after a first one that warms every cache and pool, on one P.
func allocsPerRun(runs int, f func()) float64 {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	f()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	before := m.Mallocs
	for i := 0; i < runs; i++ {
		f()
	}
	runtime.ReadMemStats(&m)
	return float64((m.Mallocs - before) / uint64(runs))
}

// countAllocs counts the allocations per request of every alloc path, as s, on srv (served at base).
// How it counts: each request is handed straight to the Fiber app's fasthttp handler on a reused
// fasthttp.RequestCtx, with no socket and no HTTP client, and allocsPerRun gives the mean over
// allocRuns requests. The harness's own share (copying the request into the context) is measured
// around a handler that does nothing and subtracted. allocsPerRun counts every goroutine's
// allocations, so nothing else of the process should run meanwhile; what does (a database connection
// reopened, say) is rare, and averaged over the runs.
func countAllocs(srv *server.Server, base string, s *Session) ([]Allocs, error) {
	noRedirect.CloseIdleConnections()
	h := srv.App().Handler()
	remote := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
	ctx := new(fasthttp.RequestCtx)
	req := new(fasthttp.Request)
	status := 0
	call := func(handler fasthttp.RequestHandler) {
		ctx.Init(req, remote, nil)
		handler(ctx)
		if st := ctx.Response.StatusCode(); st != http.StatusOK {
			status = st
		}
	}
	harness := allocsPerRun(allocRuns, func() { call(func(*fasthttp.RequestCtx) {}) })
	out := make([]Allocs, 0, len(allocPaths))
	for _, p := range allocPaths {
		toFastHTTP(p.req(base, s), req)
		status = 0
		got := allocsPerRun(allocRuns, func() { call(h) }) - harness
		if status != 0 {
			return nil, fmt.Errorf("bench: %s in-process: status %d", p.name, status)
		}
		out = append(out, Allocs{Path: p.name, PerRequest: got, Goal: p.goal})
	}
	return out, nil
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

// serveApp serves Mend in-process over db (its data dir dir) on a loopback port, and returns the
// base URL, the server (whose Fiber app can be called directly) and the function that stops it.
func serveApp(dir string, db *gorm.DB) (string, *server.Server, func(), error) {
	cfg := config.Config{DataDir: dir, SecretKey: bytes.Repeat([]byte{7}, 32), Registration: config.RegistrationOpen,
		IdleTimeout: time.Hour, AbsoluteTimeout: 24 * time.Hour, TrustedProxies: []string{"127.0.0.1/32"}}
	srv, err := server.New(server.Deps{Config: cfg, DB: db})
	if err != nil {
		return "", nil, nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(ctx, ln) }()
	return "http://" + ln.Addr().String(), srv, func() { cancel(); <-done }, nil
}

// allocsOver serves Mend in-process over db, seeded with ds, signs the first member of ds's first
// couple in and counts the alloc paths' allocations per request as that member; with sealCost, it
// then measures what encryption costs each hot path (measureSealCost) as well.
func allocsOver(ctx context.Context, dir string, db *gorm.DB, ds *Dataset, now time.Time, sealCost bool) ([]Allocs, []SealCost, error) {
	if vault.From(db) == nil {
		// Seeded as plaintext: sealed now, under a key store of its own in dir, as an upgraded
		// instance's data is by mend keys encrypt-existing.
		closeKeys, err := openDatasetVault(ctx, dir, db)
		if err != nil {
			return nil, nil, err
		}
		defer closeKeys()
		if _, err := sealInPlace(ctx, db); err != nil {
			return nil, nil, err
		}
	}
	base, srv, stop, err := serveApp(dir, db)
	if err != nil {
		return nil, nil, err
	}
	defer stop()
	s, err := signIn(ctx, base, &ds.Couples[0], 0, ds.Shape.Weeks, now)
	if err != nil {
		return nil, nil, err
	}
	allocs, err := countAllocs(srv, base, s)
	if err != nil || !sealCost {
		return allocs, nil, err
	}
	costs, err := measureSealCost(srv, base, s, vault.From(db))
	return allocs, costs, err
}

// measureAllocs seeds one couple of the run's shape on the run's engine, in a database of its own,
// and counts the alloc paths' allocations per request in this process, as
// TestHotPathAllocationsWithinBudget does, then measures what encryption costs each hot path.
func measureAllocs(ctx context.Context, cfg *Config) ([]Allocs, []SealCost, error) {
	dir := filepath.Join(cfg.Dir, "allocs")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	now := time.Now()
	shape := cfg.Shape(1)
	var db *gorm.DB
	var ds *Dataset
	if cfg.postgres() {
		u, err := cfg.NewPostgres(ctx, "allocs")
		if err != nil {
			return nil, nil, fmt.Errorf("bench: a PostgreSQL database for the allocation counts: %w", err)
		}
		if ds, err = seedPostgres(ctx, u, shape, now); err != nil {
			return nil, nil, err
		}
		if db, err = database.OpenPostgres(ctx, u, nil); err != nil {
			return nil, nil, err
		}
		defer database.Close(db)
	} else {
		var err error
		if ds, err = Seed(ctx, filepath.Join(dir, "mend.db"), shape, 0, now, nil); err != nil {
			return nil, nil, err
		}
		if db, err = database.Open(ds.Path, nil); err != nil {
			return nil, nil, err
		}
		defer database.Close(db)
	}
	return allocsOver(ctx, dir, db, ds, now, true)
}

// seedPostgres migrates the PostgreSQL database at u and seeds shape into it as plaintext, over a
// connection of its own with the unsealed vault (the database is sealed once seeded).
func seedPostgres(ctx context.Context, u string, shape Shape, now time.Time) (*Dataset, error) {
	db, err := database.OpenPostgres(ctx, u, nil)
	if err != nil {
		return nil, err
	}
	defer database.Close(db)
	if err := database.Migrate(ctx, db); err != nil {
		return nil, err
	}
	if err := vault.Attach(db, vault.Unsealed()); err != nil {
		return nil, err
	}
	return seedInto(ctx, db, shape, 0, now, nil)
}
