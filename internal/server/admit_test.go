package server_test

import (
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/server"
)

// TestReadsAreAdmittedAFewAtATimeAndWritesAreNot holds reading requests inside their handler and checks
// that no more than server.ReadSlots() of them get in at once, that a write still goes through while
// every slot is taken, and that the waiting reads all finish once the slots free up.
func TestReadsAreAdmittedAFewAtATimeAndWritesAreNot(t *testing.T) {
	t.Parallel()
	var inside, most atomic.Int64
	entered := make(chan struct{}, 64)
	release := make(chan struct{})
	base := serveRealWith(t, func(r fiber.Router) {
		r.Get("/test/hold", func(c *fiber.Ctx) error {
			n := inside.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			entered <- struct{}{}
			<-release
			inside.Add(-1)
			return c.SendString("read")
		})
		r.Post("/api/v1/test/write", func(c *fiber.Ctx) error { return c.SendString("written") })
	})
	// Held reads are let go before the server shuts down, even when the test stops early.
	var once sync.Once
	releaseAll := func() { once.Do(func() { close(release) }) }
	t.Cleanup(releaseAll)
	client := &http.Client{Timeout: 20 * time.Second}

	slots := server.ReadSlots()
	reads := slots + 3
	var wg sync.WaitGroup
	statuses := make(chan int, reads)
	for range reads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := client.Get(base + "/test/hold")
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	for range slots {
		<-entered
	}
	// Give the reads that must wait every chance to slip in (they must not).
	time.Sleep(200 * time.Millisecond)
	if n := inside.Load(); n != int64(slots) {
		t.Errorf("%d reads inside their handler with every slot taken, want %d", n, slots)
	}
	resp, err := client.Post(base+"/api/v1/test/write", "application/json", nil)
	if err != nil {
		t.Fatalf("a write while every read slot is taken: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("a write while every read slot is taken: status %d", resp.StatusCode)
	}
	releaseAll()
	wg.Wait()
	close(statuses)
	n := 0
	for s := range statuses {
		n++
		if s != http.StatusOK {
			t.Errorf("a held read ended with status %d", s)
		}
	}
	if n != reads || most.Load() != int64(slots) {
		t.Errorf("%d of %d reads finished; at most %d were inside at once, want %d", n, reads, most.Load(), slots)
	}
}
