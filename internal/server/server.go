// Package server is Mend's HTTP layer: the Fiber app, its middleware, pages and JSON API.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/auth"
	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/notify"
	"github.com/mendhq/mend/internal/plan"
	"github.com/mendhq/mend/internal/updates"
	"github.com/mendhq/mend/internal/vault"
)

// BodyLimit is the largest request body accepted (SECURITY F1).
const BodyLimit = 256 * 1024

// Deps are what the server is built from.
type Deps struct {
	Config config.Config
	DB     *gorm.DB
	Log    *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ExtraRoutes, when set, registers more routes before the final not-found handler.
	// Only tests use it (to provoke panics and slow requests); the mend binary never sets it.
	ExtraRoutes func(r fiber.Router)
	// PlanFacts, when set, replaces the facts the plan reads from agreements and check-ins. Only tests
	// use it, to give a couple a long history of check-ins; the mend binary never sets it.
	PlanFacts plan.Sources
}

// Server holds the Fiber app and the services behind it.
type Server struct {
	app      *fiber.App
	cfg      config.Config
	db       *gorm.DB
	log      *slog.Logger
	now      func() time.Time
	keys     auth.Keys
	auth     *auth.Auth
	tokens   *auth.Tokens
	limiter  *account.Limiter
	views    *renderer
	accounts *account.Service
	couples  *couple.Service
	updates  *updates.Service
	pulse    *notify.Service
	features []feature

	extraRoutes func(r fiber.Router)
}

// New builds the server and registers every route. It refuses a database without a vault
// (vault.Attach): the services seal personal text with it.
func New(d Deps) (*Server, error) {
	if d.DB != nil && vault.From(d.DB) == nil {
		return nil, vault.ErrNoVault
	}
	if d.DB != nil && vault.From(d.DB).IsUnsealed() {
		return nil, errors.New("server: the database's vault stores text unsealed (vault.Unsealed), which is for building a database, never for serving one")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: d.Config, db: d.DB, log: d.Log, now: d.Now, extraRoutes: d.ExtraRoutes}
	s.keys = auth.DeriveKeys(d.Config.SecretKey)
	s.tokens = auth.NewTokens(s.keys.JWT, d.Now)
	s.limiter = account.NewLimiter(d.DB, d.Now, d.Log)
	svc := newServices(d.DB, d.Now, d.Config, d.PlanFacts)
	s.accounts, s.couples, s.updates, s.pulse = svc.accounts, svc.couples, svc.updates, svc.notify
	s.auth = auth.New(s.tokens, s.checkSession, d.Config.Secure(), d.Log)
	s.features = s.featureList(svc)
	views, err := newRenderer(d.Config)
	if err != nil {
		return nil, err
	}
	s.views = views
	proxyHeader := ""
	if len(d.Config.TrustedProxies) > 0 {
		proxyHeader = fiber.HeaderXForwardedFor
	}
	s.app = fiber.New(fiber.Config{
		Immutable:               true,
		CaseSensitive:           true,
		BodyLimit:               BodyLimit,
		ReadTimeout:             15 * time.Second,
		WriteTimeout:            30 * time.Second,
		IdleTimeout:             120 * time.Second,
		ErrorHandler:            s.handleError,
		DisableStartupMessage:   true,
		EnableTrustedProxyCheck: true,
		TrustedProxies:          d.Config.TrustedProxies,
		ProxyHeader:             proxyHeader,
		ReadBufferSize:          16 * 1024,
		// Hand a keep-alive connection's read and write buffers back to a shared pool while it waits
		// for its next request, instead of keeping about 20 KB per open connection: browsers and load
		// balancers hold many idle connections, and in the benchmark those buffers were most of the
		// heap (25 MB live after a few minutes, 5 MB with this).
		ReduceMemoryUsage: true,
	})
	guardHTTPLayer(s.app.Server())
	s.routes()
	return s, nil
}

// App returns the Fiber app (for tests and route listings).
func (s *Server) App() *fiber.App { return s.app }

// Accounts returns the account service.
func (s *Server) Accounts() *account.Service { return s.accounts }

// Couples returns the couple service.
func (s *Server) Couples() *couple.Service { return s.couples }

// Serve serves on ln until ctx is cancelled, then drains in-flight requests (SECURITY I8).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- s.app.Listener(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.app.ShutdownWithContext(sctx); err != nil {
		return err
	}
	return <-errc
}
