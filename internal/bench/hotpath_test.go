package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/server"
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
	db, err := database.Open(ds.Path, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { database.Close(db) })
	cfg := config.Config{DataDir: dir, SecretKey: bytes.Repeat([]byte{7}, 32), Registration: config.RegistrationOpen,
		IdleTimeout: time.Hour, AbsoluteTimeout: 24 * time.Hour, TrustedProxies: []string{"127.0.0.1/32"}}
	srv, err := server.New(server.Deps{Config: cfg, DB: db})
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(sctx, ln) }()
	b.Cleanup(func() { cancel(); <-done })
	base := "http://" + ln.Addr().String()
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

func runHot(b *testing.B, target func(e *targetEnv, s *Session) *http.Request) {
	base, sessions := hotServer(b, 4)
	e := &targetEnv{base: base}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			i++
			req := target(e, sessions[i%len(sessions)])
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("%s %s: %d", req.Method, req.URL.Path, resp.StatusCode)
				return
			}
		}
	})
}

func pageRequest(path string) func(e *targetEnv, s *Session) *http.Request {
	return func(e *targetEnv, s *Session) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, e.base+path, nil)
		req.Header = s.pageHeader.Clone()
		return req
	}
}

func BenchmarkDashboard(b *testing.B) { runHot(b, pageRequest("/dashboard")) }

func BenchmarkProgress(b *testing.B) { runHot(b, pageRequest("/progress")) }

func BenchmarkCheckinGet(b *testing.B) {
	runHot(b, func(e *targetEnv, s *Session) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, e.base+"/api/v1/checkins/"+s.Opened[len(s.Opened)/2], nil)
		req.Header = s.apiHeader.Clone()
		return req
	})
}

func BenchmarkCheckinPut(b *testing.B) {
	runHot(b, func(e *targetEnv, s *Session) *http.Request {
		req, _ := http.NewRequest(http.MethodPut, e.base+"/api/v1/checkins/"+s.Week+"/mine", bytes.NewReader(s.answer))
		req.Header = s.apiHeader.Clone()
		return req
	})
}
