package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
)

// toPostgres copies the SQLite data set ds into a new PostgreSQL database (cfg.NewPostgres names it
// after name) migrated by this Mend, with database.CopyToPostgres (what mend copy-data does, checked
// row counts and checksums included), and sets ds.URL. The data set's rows are the ones seeded
// through the services on SQLite, so both engines serve the same couples.
func toPostgres(ctx context.Context, cfg *Config, ds *Dataset, name string) error {
	start := time.Now()
	u, err := cfg.NewPostgres(ctx, name)
	if err != nil {
		return fmt.Errorf("bench: a PostgreSQL database for %s: %w", name, err)
	}
	dst, err := database.OpenPostgres(ctx, u, nil)
	if err != nil {
		return err
	}
	defer database.Close(dst)
	if err := database.Migrate(ctx, dst); err != nil {
		return fmt.Errorf("bench: migrate the PostgreSQL database for %s: %w", name, err)
	}
	src, err := database.Open(ds.Path, nil)
	if err != nil {
		return err
	}
	defer database.Close(src)
	if _, err := database.CopyToPostgres(ctx, src, dst, nil); err != nil {
		return fmt.Errorf("bench: copy %d couples into PostgreSQL: %w", ds.Shape.Couples, err)
	}
	if err := dst.WithContext(ctx).Exec("ANALYZE").Error; err != nil {
		return fmt.Errorf("bench: analyze: %w", err)
	}
	if ds.KeysURL, err = cfg.NewPostgres(ctx, name+" keys"); err != nil {
		return fmt.Errorf("bench: a PostgreSQL key store for %s: %w", name, err)
	}
	if err := copyKeysToPostgres(ctx, filepath.Dir(ds.Path), ds.KeysURL); err != nil {
		return err
	}
	if ds.MasterKey, err = masterKeyOf(filepath.Dir(ds.Path)); err != nil {
		return err
	}
	ds.URL = u
	ds.Took += time.Since(start)
	cfg.logf("copied %d couples into PostgreSQL in %v", ds.Shape.Couples, time.Since(start).Round(100*time.Millisecond))
	return nil
}

// PostgresServer makes the run's PostgreSQL databases on one server and drops them at the end: the
// NewPostgres of mend-bench -engine postgres. Its role needs CREATEDB.
type PostgresServer struct {
	base  string
	admin *sql.DB
	mu    sync.Mutex
	made  []string
}

// NewPostgresServer connects to the PostgreSQL database at base (a postgres:// URL); the databases it
// makes are on the same server, with the same role and options.
func NewPostgresServer(ctx context.Context, base string) (*PostgresServer, error) {
	if (config.Config{DatabaseURL: base}).Engine() != config.EnginePostgres {
		return nil, errors.New("bench: -engine postgres needs a postgres:// URL (-postgres-url or MEND_DATABASE_URL)")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return nil, fmt.Errorf("bench: %s: %w", config.RedactURL(base), err)
	}
	admin.SetMaxOpenConns(2)
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := admin.PingContext(pctx); err != nil {
		admin.Close()
		return nil, fmt.Errorf("bench: cannot reach PostgreSQL at %s: %w", config.RedactURL(base), err)
	}
	return &PostgresServer{base: base, admin: admin}, nil
}

var notIdent = regexp.MustCompile(`[^a-z0-9_]+`)

// Create makes a new, empty database named after name and returns its URL.
func (s *PostgresServer) Create(ctx context.Context, name string) (string, error) {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	db := "mend_bench_" + notIdent.ReplaceAllString(name, "_") + "_" + hex.EncodeToString(b)
	if _, err := s.admin.ExecContext(ctx, "CREATE DATABASE "+db); err != nil {
		return "", fmt.Errorf("CREATE DATABASE %s (the role needs CREATEDB): %w", db, err)
	}
	s.mu.Lock()
	s.made = append(s.made, db)
	s.mu.Unlock()
	u, err := url.Parse(s.base)
	if err != nil {
		return "", err
	}
	u.Path = "/" + db
	return u.String(), nil
}

// Close drops every database Create made (their servers have stopped by then) and disconnects.
func (s *PostgresServer) Close(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, db := range s.made {
		if _, err := s.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+db+" WITH (FORCE)"); err != nil {
			errs = append(errs, err)
		}
	}
	s.made = nil
	return errors.Join(append(errs, s.admin.Close())...)
}
