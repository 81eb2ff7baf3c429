package server

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
)

// publicAPI and publicPages list every route that answers without a session (SECURITY C1).
// The route test walks app.GetRoutes(); anything not listed here must demand a session.
var publicPages = []string{
	"/", "/healthz", "/readyz", "/static/*", "/login", "/register", "/reset/:token", "/join/:token",
	"/guide", "/guide/rebuild-trust", "/communication-skills", "/forgiveness-after-betrayal", "/couples-therapy", "/safety",
}

var publicAPI = []string{"/api/v1/auth/register", "/api/v1/auth/login"}

// PublicRoutes returns the explicit public list, for the C1 test.
func PublicRoutes() []string { return append(append([]string{}, publicPages...), publicAPI...) }

func (s *Server) routes() {
	app := s.app
	app.Use(recover.New())
	app.Use(withRequestID, s.logRequests, admitReads(ReadSlots()), s.securityHeaders, s.auth.Load(), s.csrf, s.loadMembership)

	// Public routes. Everything else is registered through a guarded router that puts requireUser in
	// front of each route, so a path that matches no route is a plain 404 for everyone.
	app.Get("/static/*", s.serveStatic)
	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	app.Get("/", s.landing)
	s.routesAuthPublic(app)
	s.routesGuidance(app)
	s.routesJoinPublic(app)
	api := app.Group("/api/v1")
	s.routesAuthAPIPublic(api)
	if s.extraRoutes != nil {
		s.extraRoutes(app)
	}

	// Everything below needs a session.
	papi := guard(app.Group("/api/v1"), s.requireUser)
	pages := guard(app, s.requireUser)
	s.routesAccount(pages, papi)
	s.routesCouple(pages, papi)
	s.routesAgreements(pages, papi)
	s.routesCheckins(pages, papi)
	s.routesPlan(pages, papi)
	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}
