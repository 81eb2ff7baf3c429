// Package testutil builds real, migrated Mend apps for tests and drives them like a browser or API client.
package testutil

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/vault"
)

// TestSecret is the secret key of test apps.
const TestSecret = "test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"

// Clock is a settable clock for tests.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// LogBuffer is a concurrency-safe log sink.
type LogBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	written chan struct{} // closed and replaced on every write
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.written != nil {
		close(l.written)
		l.written = nil
	}
	return l.buf.Write(p)
}

// WaitFor blocks until text has been logged, or ctx ends (its error is returned). A test waits for what
// a server did in the background this way, instead of sleeping.
func (l *LogBuffer) WaitFor(ctx context.Context, text string) error {
	for {
		l.mu.Lock()
		if bytes.Contains(l.buf.Bytes(), []byte(text)) {
			l.mu.Unlock()
			return nil
		}
		if l.written == nil {
			l.written = make(chan struct{})
		}
		written := l.written
		l.mu.Unlock()
		select {
		case <-written:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// String returns everything logged so far.
func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// NewDB returns a migrated SQLite database in t.TempDir() and its path, with a vault over a key store
// of its own (AttachVault), as Mend opens it.
func NewDB(t testing.TB) (*gorm.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "mend.db")
	db, err := database.Open(path, nil)
	if err != nil {
		t.Fatalf("open db: %v", err)
	}
	t.Cleanup(func() { database.Close(db) })
	if err := database.Migrate(context.Background(), db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	AttachVault(t, db)
	return db, path
}

// EngineVar names the variable that picks the engine of NewApp, NewAppWith and NewEngineDB:
// config.EngineSQLite (the default, also when unset) or config.EnginePostgres, so any test built on
// them runs against PostgreSQL with MEND_TEST_ENGINE=postgres go test ./internal/server/ -run X.
const EngineVar = "MEND_TEST_ENGINE"

// Engine returns the engine MEND_TEST_ENGINE names, or fails the test for a value it does not know.
func Engine(t testing.TB) string {
	t.Helper()
	switch e := os.Getenv(EngineVar); e {
	case "", config.EngineSQLite:
		return config.EngineSQLite
	case config.EnginePostgres:
		return config.EnginePostgres
	default:
		t.Fatalf("%s=%q: want %q or %q", EngineVar, e, config.EngineSQLite, config.EnginePostgres)
		return ""
	}
}

// NewEngineDB returns a fresh, migrated database on the engine MEND_TEST_ENGINE names (NewDBOn).
// Service tests use it so that they run on either engine; a test that needs the SQLite file uses NewDB.
func NewEngineDB(t testing.TB) *gorm.DB {
	t.Helper()
	return NewDBOn(t, Engine(t))
}

// App is a Mend server with real services over a temporary database.
type App struct {
	T      testing.TB
	Server *server.Server
	DB     *gorm.DB
	Engine string // config.EngineSQLite or config.EnginePostgres
	DBPath string // the SQLite file; empty on PostgreSQL (a test that needs it uses NewSQLiteApp)
	Clock  *Clock
	Logs   *LogBuffer
	Config config.Config
}

// TestConfig returns the configuration test apps use; 0.0.0.0 (app.Test's peer) is a trusted proxy so
// each client can present its own address in X-Forwarded-For.
func TestConfig(dataDir string) config.Config {
	return config.Config{
		Addr: "127.0.0.1:8080", DataDir: dataDir, BaseURL: "http://127.0.0.1:8080", SecretKey: []byte(TestSecret),
		TrustedProxies: []string{"0.0.0.0"}, LogLevel: slog.LevelDebug, QuickExitURL: "https://example.org/weather",
		Registration: config.RegistrationOpen, IdleTimeout: 30 * time.Minute, AbsoluteTimeout: 7 * 24 * time.Hour,
	}
}

// NewApp returns an app at 2026-11-25 12:00 UTC (a Wednesday), with mutate applied to its configuration,
// on the engine MEND_TEST_ENGINE names (SQLite by default).
func NewApp(t testing.TB, mutate ...func(*config.Config)) *App {
	t.Helper()
	return NewAppWith(t, server.Deps{}, mutate...)
}

// NewAppWith is NewApp with extra server dependencies (such as Deps.PlanFacts); its Config, DB, Log and
// Now are filled in as NewApp fills them.
func NewAppWith(t testing.TB, deps server.Deps, mutate ...func(*config.Config)) *App {
	t.Helper()
	return newApp(t, Engine(t), deps, mutate)
}

// NewSQLiteApp is NewApp on SQLite whatever MEND_TEST_ENGINE says, for a test that depends on the
// SQLite file itself (DBPath, its pragmas, database.Reader, VACUUM, what the file holds on disk).
func NewSQLiteApp(t testing.TB, mutate ...func(*config.Config)) *App {
	t.Helper()
	return newApp(t, config.EngineSQLite, server.Deps{}, mutate)
}

// NewSQLiteAppWith is NewAppWith on SQLite whatever MEND_TEST_ENGINE says (see NewSQLiteApp).
func NewSQLiteAppWith(t testing.TB, deps server.Deps, mutate ...func(*config.Config)) *App {
	t.Helper()
	return newApp(t, config.EngineSQLite, deps, mutate)
}

func newApp(t testing.TB, engine string, deps server.Deps, mutate []func(*config.Config)) *App {
	t.Helper()
	var (
		db   *gorm.DB
		path string
		cfg  config.Config
	)
	switch engine {
	case config.EnginePostgres:
		var u string
		db, u = NewPostgresDB(t)
		cfg = TestConfig(t.TempDir())
		cfg.DatabaseURL = u
	default:
		db, path = NewDB(t)
		cfg = TestConfig(filepath.Dir(path))
	}
	for _, m := range mutate {
		m(&cfg)
	}
	clock := NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	logs := &LogBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	deps.Config, deps.DB, deps.Log, deps.Now = cfg, db, log, clock.Now
	srv, err := server.New(deps)
	if err != nil {
		t.Fatalf("server: %v", err)
	}
	return &App{T: t, Server: srv, DB: db, Engine: engine, DBPath: path, Clock: clock, Logs: logs, Config: cfg}
}

// NewPostgresApp is NewApp on PostgreSQL whatever MEND_TEST_ENGINE says, for a test that is about
// PostgreSQL itself (several instances on one database).
func NewPostgresApp(t testing.TB, mutate ...func(*config.Config)) *App {
	t.Helper()
	return newApp(t, config.EnginePostgres, server.Deps{}, mutate)
}

// Twin returns a second Mend server on a's database, as a second instance behind a load balancer
// would be: its own connection pool, services, throttles and templates, built from the same
// configuration (so the same MEND_SECRET_KEY and MEND_DATABASE_URL) and reading the same clock. Only
// what the database holds is shared.
func (a *App) Twin() *App {
	t := a.T
	t.Helper()
	var db *gorm.DB
	var err error
	if a.Engine == config.EnginePostgres {
		db, err = database.OpenPostgres(context.Background(), a.Config.DatabaseURL, nil)
	} else {
		db, err = database.Open(a.DBPath, nil)
	}
	if err != nil {
		t.Fatalf("open the twin's database: %v", err)
	}
	t.Cleanup(func() { database.Close(db) })
	if err := vault.Attach(db, vault.New(vault.From(a.DB).Store())); err != nil {
		t.Fatal(err)
	}
	logs := &LogBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, err := server.New(server.Deps{Config: a.Config, DB: db, Log: log, Now: a.Clock.Now})
	if err != nil {
		t.Fatalf("twin server: %v", err)
	}
	return &App{T: t, Server: srv, DB: db, Engine: a.Engine, DBPath: a.DBPath, Clock: a.Clock, Logs: logs, Config: a.Config}
}
