package server

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
)

// publicAPI and publicPages list every route that answers without a session (SECURITY C1).
// The route test walks app.GetRoutes(); anything not listed here must demand a session.
var publicPages = []string{
	"/", "/healthz", "/readyz", "/static/*", "/manifest.webmanifest", quickExitPath, "/login", "/register", "/reset/:token", "/join/:token", "/login/second-factor",
	"/forgot-password", "/login/passkey/begin", "/login/passkey/finish",
	"/confirm-email/:token", "/calendar/:token.ics",
	"/guide", "/guide/rebuild-trust", "/communication-skills", "/forgiveness-after-betrayal", "/couples-therapy", "/safety",
	"/guide/for-the-hurt-partner", "/guide/for-the-partner-who-broke-trust",
}

var publicAPI = []string{"/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/login/second-factor", "/api/v1/auth/password-reset",
	"/api/v1/auth/passkey/begin", "/api/v1/auth/passkey/finish"}

// PublicRoutes returns the explicit public list, for the C1 test.
func PublicRoutes() []string { return append(append([]string{}, publicPages...), publicAPI...) }

// routes registers the middleware, then every feature's public routes, then every feature's routes
// behind the session check (features.go lists the features).
func (s *Server) routes() {
	app := s.app
	app.Use(recover.New())
	app.Use(withRequestID, s.logRequests, s.securityHeaders, s.auth.Load(), s.csrf)

	app.Get("/static/*", s.serveStatic)
	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	app.Get("/manifest.webmanifest", s.manifest)
	app.Get("/", s.landing)
	api := app.Group("/api/v1")
	for _, f := range s.features {
		if f.public != nil {
			f.public(app, api)
		}
	}
	if s.extraRoutes != nil {
		s.extraRoutes(app)
	}

	// Everything below needs a session. Signed-in reads are admitted a few at a time (admit.go), so a
	// crowd of page renders cannot queue a partner's save behind it.
	// A write that gives the partner something new may queue their updates e-mail (tellPartner).
	admit := admitReads(ReadSlots(), readWait)
	papi := guard(app.Group("/api/v1"), s.requireUser, admit, s.tellPartner)
	pages := guard(app, s.requireUser, admit, s.tellPartner)
	for _, f := range s.features {
		if f.routes != nil {
			f.routes(pages, papi)
		}
	}
	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}
