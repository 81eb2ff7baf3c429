package proof

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/testutil"
)

// serveApp runs a test app on a real listener on 127.0.0.1 until the test ends, trusting 127.0.0.1 as
// a proxy so each simulated person has their own address; it returns the base URL.
func serveApp(t *testing.T, mutate ...func(*config.Config)) (*testutil.App, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	app := testutil.NewApp(t, append([]func(*config.Config){func(c *config.Config) {
		c.TrustedProxies = []string{"127.0.0.1"}
		c.BaseURL = base
	}}, mutate...)...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Server.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return app, base
}

// TestFiftyWritersNeverSeeALockedDatabase covers SECURITY I3: 50 writers (five to a couple, both
// partners) write every kind of thing to a real server on 127.0.0.1 for five seconds. No answer is a
// 5xx, and neither any answer nor the server's log mentions a locked or busy database.
func TestFiftyWritersNeverSeeALockedDatabase(t *testing.T) {
	t.Parallel()
	app, base := serveApp(t)
	f := newFleet(t, base, 10, "busy")
	f.weights = []int{1, 10, 10, 10, 10, 10, 10}
	const writers = 50
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	type problem struct{ kind, what string }
	var mu sync.Mutex
	var problems []problem
	done := map[string]int{}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := f.people[w%len(f.people)]
			rnd := rand.New(rand.NewPCG(uint64(w), 3))
			for ctx.Err() == nil {
				r, kind := f.write(ctx, p, rnd)
				if r.Err != nil {
					if ctx.Err() == nil {
						mu.Lock()
						problems = append(problems, problem{kind, r.Err.Error()})
						mu.Unlock()
					}
					continue
				}
				body := strings.ToLower(string(r.Body))
				mu.Lock()
				done[kind]++
				if r.Status >= 500 || strings.Contains(body, "locked") || strings.Contains(body, "sqlite_busy") {
					problems = append(problems, problem{kind, fmt.Sprintf("%d %s", r.Status, r.Body)})
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for _, p := range problems {
		t.Errorf("%s: %s", p.kind, p.what)
	}
	logs := strings.ToLower(app.Logs.String())
	for _, bad := range []string{"database is locked", "database table is locked", "sqlite_busy", `"status":500`, `"status":503`} {
		if strings.Contains(logs, bad) {
			t.Errorf("the server's log mentions %q", bad)
		}
	}
	total := 0
	var kinds []string
	for k, n := range done {
		total += n
		kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(kinds)
	t.Logf("%d requests in 5 s: %s", total, strings.Join(kinds, ", "))
	want := []string{"register", "agreement", "accept", "answer", "reflection", "pause", "moment"}
	for _, k := range want {
		if done[k] == 0 {
			t.Errorf("no %s write was made: the load does not cover it", k)
		}
	}
	if total < 100 {
		t.Errorf("only %d requests in 5 s: too little load to prove anything (is the machine very busy?)", total)
	}
}
