package server

import "github.com/gofiber/fiber/v2"

// guarded is a router that puts mw in front of every route registered through it. Unlike a Fiber group with
// middleware (which would also answer for unknown paths), it guards exactly the routes it registers.
type guarded struct {
	fiber.Router
	mw []fiber.Handler
}

func guard(r fiber.Router, mw ...fiber.Handler) fiber.Router { return &guarded{Router: r, mw: mw} }

func (g *guarded) with(h []fiber.Handler) []fiber.Handler {
	return append(append([]fiber.Handler{}, g.mw...), h...)
}

// Get registers a guarded GET route.
func (g *guarded) Get(path string, h ...fiber.Handler) fiber.Router {
	g.Router.Get(path, g.with(h)...)
	return g
}

// Post registers a guarded POST route.
func (g *guarded) Post(path string, h ...fiber.Handler) fiber.Router {
	g.Router.Post(path, g.with(h)...)
	return g
}

// Put registers a guarded PUT route.
func (g *guarded) Put(path string, h ...fiber.Handler) fiber.Router {
	g.Router.Put(path, g.with(h)...)
	return g
}

// Patch registers a guarded PATCH route.
func (g *guarded) Patch(path string, h ...fiber.Handler) fiber.Router {
	g.Router.Patch(path, g.with(h)...)
	return g
}

// Delete registers a guarded DELETE route.
func (g *guarded) Delete(path string, h ...fiber.Handler) fiber.Router {
	g.Router.Delete(path, g.with(h)...)
	return g
}

// Head registers a guarded HEAD route.
func (g *guarded) Head(path string, h ...fiber.Handler) fiber.Router {
	g.Router.Head(path, g.with(h)...)
	return g
}

// Add registers a guarded route for method.
func (g *guarded) Add(method, path string, h ...fiber.Handler) fiber.Router {
	g.Router.Add(method, path, g.with(h)...)
	return g
}

// All registers guarded routes for every method.
func (g *guarded) All(path string, h ...fiber.Handler) fiber.Router {
	g.Router.All(path, g.with(h)...)
	return g
}

// Group returns a guarded sub-router; extra handlers apply to its routes only.
func (g *guarded) Group(prefix string, h ...fiber.Handler) fiber.Router {
	return &guarded{Router: g.Router.Group(prefix), mw: g.with(h)}
}

// Use is not allowed on a guarded router: middleware would leak to unrelated paths.
func (g *guarded) Use(...any) fiber.Router {
	panic("server: Use on a guarded router; pass middleware to the route or to Group instead")
}
