package proof

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/testutil"
)

// newLoggedApp is testutil.NewApp with one difference: the database's own logger (GORM: errors and
// slow queries) writes to the same log buffer as the server, so the log sweeps see every sink. It is on
// the engine MEND_TEST_ENGINE names, as NewApp is.
func newLoggedApp(t testing.TB, mutate ...func(*config.Config)) *testutil.App {
	t.Helper()
	dir := t.TempDir()
	logs := &testutil.LogBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	engine := testutil.Engine(t)
	cfg := testutil.TestConfig(dir)
	var db *gorm.DB
	var path string
	var err error
	switch engine {
	case config.EnginePostgres:
		cfg.DatabaseURL = testutil.NewPostgresURL(t)
		db, err = database.OpenPostgres(context.Background(), cfg.DatabaseURL, log)
	default:
		path = filepath.Join(dir, "mend.db")
		db, err = database.Open(path, log)
	}
	if err != nil {
		t.Fatalf("open db: %v", err)
	}
	t.Cleanup(func() { database.Close(db) })
	if err := database.Migrate(context.Background(), db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	testutil.AttachVault(t, db)
	for _, m := range mutate {
		m(&cfg)
	}
	clock := testutil.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	srv, err := server.New(server.Deps{Config: cfg, DB: db, Log: log, Now: clock.Now})
	if err != nil {
		t.Fatalf("server: %v", err)
	}
	return &testutil.App{T: t, Server: srv, DB: db, Engine: engine, DBPath: path, Clock: clock, Logs: logs, Config: cfg}
}

func httptestRequest(method, path string) *http.Request {
	return httptest.NewRequest(method, path, nil)
}

func writeFile(path, content string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(content), 0o644)
}
