package bench

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/testutil"
)

// The Go benchmarks here run Mend in-process on a few realistic couples, so a hot path can be profiled
// with `go test ./internal/bench -run '^$' -bench Dashboard -cpuprofile cpu.out`. The load benchmark
// (mend-bench) is what the README's figures come from; these are for finding where the time goes.
// MEND_BENCH_HOT_DB=DIR runs them on a database kept by `mend-bench -cache` instead of four new couples.

// hotServer seeds couples with the default shape, serves Mend on a loopback port and signs one member
// of each couple in.
func hotServer(b *testing.B, couples int) (string, []*Session) {
	b.Helper()
	ctx := context.Background()
	dir := b.TempDir()
	now := time.Now()
	var ds *Dataset
	if kept := os.Getenv("MEND_BENCH_HOT_DB"); kept != "" {
		// A database kept by `mend-bench -cache DIR` (its directory): profile on realistic volumes.
		shape := DefaultShape(couples)
		var c cached
		if raw, err := os.ReadFile(filepath.Join(kept, "dataset.json")); err == nil && json.Unmarshal(raw, &c) == nil {
			shape = c.Dataset.Shape
		}
		if ds = loadCached(kept, shape, now); ds == nil {
			b.Fatalf("no usable kept database in %s", kept)
		}
		if err := copyFile(ds.Path, filepath.Join(dir, "mend.db")); err != nil {
			b.Fatal(err)
		}
		ds.Path = filepath.Join(dir, "mend.db")
		ds.Couples = ds.Couples[:min(len(ds.Couples), 32)]
	} else {
		var err error
		ds, err = Seed(ctx, filepath.Join(dir, "mend.db"), DefaultShape(couples), 0, now, nil)
		if err != nil {
			b.Fatal(err)
		}
	}
	base := serveInProcess(b, dir, ds.Path, nil)
	var sessions []*Session
	for i := range ds.Couples {
		s, err := signIn(ctx, base, &ds.Couples[i], 0, ds.Shape.Weeks, now)
		if err != nil {
			b.Fatal(err)
		}
		sessions = append(sessions, s)
	}
	return base, sessions
}

// runHot sends the hot path called name as fast as the benchmark goes, over four new couples (or the
// kept database's first 32).
func runHot(b *testing.B, name string) {
	req := hotRequest(b, name)
	base, sessions := hotServer(b, 4)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			i++
			r := req(base, sessions[i%len(sessions)])
			resp, err := client.Do(r)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("%s %s: %d", r.Method, r.URL.Path, resp.StatusCode)
				return
			}
		}
	})
}

func BenchmarkDashboard(b *testing.B) { runHot(b, "GET /dashboard") }

func BenchmarkProgress(b *testing.B) { runHot(b, "GET /progress") }

func BenchmarkCheckinGet(b *testing.B) { runHot(b, "GET /api/v1/checkins/{week}") }

func BenchmarkCheckinPut(b *testing.B) { runHot(b, "PUT /api/v1/checkins/{week}/mine") }

// BenchmarkInProcess sends each allocation-counted path straight to the Fiber app's handler, as
// countAllocs does (no socket, no client), on one new couple of the default shape on the test kit's
// engine (MEND_TEST_ENGINE), so `-benchmem -memprofile mem.out -memprofilerate 1` shows the server's
// allocations and nothing else (the seeding and the sign-in are left out of the profile):
// `go tool pprof -sample_index=alloc_objects`.
func BenchmarkInProcess(b *testing.B) {
	// The seeding and the sign-in stay out of the memory profile.
	rate := runtime.MemProfileRate
	runtime.MemProfileRate = 0
	ctx := context.Background()
	dir := b.TempDir()
	now := time.Now()
	var ds *Dataset
	var db *gorm.DB
	var err error
	switch testutil.Engine(b) {
	case config.EnginePostgres:
		db, _ = testutil.NewPostgresDB(b)
		ds, err = seedInto(ctx, db, DefaultShape(1), 0, now, nil)
	default:
		if ds, err = Seed(ctx, filepath.Join(dir, "mend.db"), DefaultShape(1), 0, now, nil); err == nil {
			db, err = database.Open(ds.Path, nil)
		}
		if err == nil {
			b.Cleanup(func() { database.Close(db) })
		}
	}
	if err != nil {
		b.Fatal(err)
	}
	base, srv := serveServer(b, dir, db, nil)
	s, err := signIn(ctx, base, &ds.Couples[0], 0, ds.Shape.Weeks, now)
	if err != nil {
		b.Fatal(err)
	}
	noRedirect.CloseIdleConnections()
	h := srv.App().Handler()
	remote := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
	runtime.MemProfileRate = rate
	for _, p := range allocPaths {
		b.Run(strings.TrimPrefix(strings.NewReplacer("/", "_", " ", "").Replace(p.name), "GET_"), func(b *testing.B) {
			fctx, req := new(fasthttp.RequestCtx), new(fasthttp.Request)
			toFastHTTP(p.req(base, s), req)
			b.ReportAllocs()
			for b.Loop() {
				fctx.Init(req, remote, nil)
				h(fctx)
				if st := fctx.Response.StatusCode(); st != http.StatusOK {
					b.Fatalf("%s: status %d", p.name, st)
				}
			}
		})
	}
}
