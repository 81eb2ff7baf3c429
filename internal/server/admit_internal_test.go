package server

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// gatedApp serves /hold (a read held until release is closed) and /write (never held) behind
// admitReads(slots, wait), and counts how many reads are inside their handler at once.
type gatedApp struct {
	app          *fiber.App
	inside, most atomic.Int64
	entered      chan struct{}
	release      chan struct{}
	releaseOnce  sync.Once
	slots        int
}

func newGatedApp(t *testing.T, slots int, wait time.Duration) *gatedApp {
	g := &gatedApp{entered: make(chan struct{}, 64), release: make(chan struct{}), slots: slots}
	g.app = fiber.New(fiber.Config{ErrorHandler: func(c *fiber.Ctx, err error) error {
		st, _ := classify(err)
		return c.SendStatus(st)
	}})
	g.app.Use(admitReads(slots, wait))
	g.app.Get("/hold", func(c *fiber.Ctx) error {
		n := g.inside.Add(1)
		for m := g.most.Load(); n > m && !g.most.CompareAndSwap(m, n); m = g.most.Load() {
		}
		g.entered <- struct{}{}
		<-g.release
		g.inside.Add(-1)
		return c.SendString("read")
	})
	g.app.Post("/write", func(c *fiber.Ctx) error { return c.SendString("written") })
	t.Cleanup(g.releaseAll)
	return g
}

func (g *gatedApp) releaseAll() { g.releaseOnce.Do(func() { close(g.release) }) }

func (g *gatedApp) do(t *testing.T, method, path string) *http.Response {
	resp, err := g.app.Test(httptest.NewRequest(method, path, nil), -1)
	if err != nil {
		t.Error(err)
		return nil
	}
	return resp
}

// TestReadsAreAdmittedAFewAtATimeAndWritesAreNot holds reads inside their handler and checks that no more
// than the gate's slots get in at once, that a write still goes through while every slot is taken, and
// that the waiting reads all finish once the slots free up.
func TestReadsAreAdmittedAFewAtATimeAndWritesAreNot(t *testing.T) {
	t.Parallel()
	const slots = 3
	g := newGatedApp(t, slots, time.Minute)
	reads := slots + 3
	var wg sync.WaitGroup
	statuses := make(chan int, reads)
	for range reads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if resp := g.do(t, http.MethodGet, "/hold"); resp != nil {
				statuses <- resp.StatusCode
			}
		}()
	}
	for range slots {
		<-g.entered
	}
	if resp := g.do(t, http.MethodPost, "/write"); resp == nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("a write while every read slot is taken: %v", resp)
	}
	if n := g.inside.Load(); n != slots {
		t.Errorf("%d reads inside their handler with every slot taken, want %d", n, slots)
	}
	g.releaseAll()
	wg.Wait()
	close(statuses)
	n := 0
	for s := range statuses {
		n++
		if s != http.StatusOK {
			t.Errorf("a held read ended with status %d", s)
		}
	}
	if n != reads || g.most.Load() != slots {
		t.Errorf("%d of %d reads finished; at most %d were inside at once, want %d", n, reads, g.most.Load(), slots)
	}
}

// TestAReadThatWaitsTooLongIsTurnedAwayWithRetryAfter fills every slot and checks that the next read
// gets 503 with a Retry-After once it has waited its time, instead of waiting for ever.
func TestAReadThatWaitsTooLongIsTurnedAwayWithRetryAfter(t *testing.T) {
	t.Parallel()
	g := newGatedApp(t, 1, 20*time.Millisecond)
	done := make(chan struct{})
	go func() {
		defer close(done)
		g.do(t, http.MethodGet, "/hold")
	}()
	<-g.entered
	resp := g.do(t, http.MethodGet, "/hold")
	if resp == nil || resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get(fiber.HeaderRetryAfter) == "" {
		t.Fatalf("a read with every slot taken past its wait: %v, want 503 with Retry-After", resp)
	}
	g.releaseAll()
	<-done
}
