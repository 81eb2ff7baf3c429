package server

import (
	"runtime"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// ReadSlots is how many reading requests (GET, HEAD) run at once: enough to keep every core and the
// reader pool busy, few enough that a write isn't stuck behind dozens of half-done page renders.
// Reads are CPU-bound (queries and templates), so running more of them at once only lengthens the
// queue every request waits in; writes are not gated, so under a heavy read load a partner's save
// still goes straight to the one writer connection.
func ReadSlots() int { return max(4, 2*runtime.GOMAXPROCS(0)) }

// admitReads returns the middleware that lets at most slots reading requests past it at once; the
// rest wait their turn in arrival order. Static files and health checks are never held back.
func admitReads(slots int) fiber.Handler {
	gate := make(chan struct{}, slots)
	return func(c *fiber.Ctx) error {
		p := c.Path()
		if !isSafeMethod(c.Method()) || strings.HasPrefix(p, "/static/") || p == "/healthz" || p == "/readyz" {
			return c.Next()
		}
		gate <- struct{}{}
		defer func() { <-gate }()
		return c.Next()
	}
}
