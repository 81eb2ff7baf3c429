package testutil

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, for the admin connection
	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/migrations"
)

// PostgresURLVar names the variable that gives tests a PostgreSQL server: the URL of a database that a
// role with CREATEDB (and no superuser rights) can connect to. ./.ci/test starts PostgreSQL and sets it.
const PostgresURLVar = "MEND_TEST_POSTGRES_URL"

// Engines returns the engines that engine-neutral tests run on, SQLite first.
func Engines() []string { return []string{config.EngineSQLite, config.EnginePostgres} }

// NewDBOn returns a fresh, migrated database on engine: NewDB's SQLite file, or a PostgreSQL database of
// the test's own (see NewPostgresDB).
func NewDBOn(t testing.TB, engine string) *gorm.DB {
	t.Helper()
	switch engine {
	case config.EngineSQLite:
		db, _ := NewDB(t)
		return db
	case config.EnginePostgres:
		db, _ := NewPostgresDB(t)
		return db
	}
	t.Fatalf("NewDBOn: unknown engine %q", engine)
	return nil
}

// NewPostgresDB returns a fresh, migrated PostgreSQL database of the test's own, opened as Mend opens
// it (with a vault over an SQLite key store of its own, AttachVault), and its URL. It is a copy of a migrated template database (CREATE DATABASE … TEMPLATE …), so it
// costs a file copy rather than the migrations, and it is dropped when the test ends, so tests and
// packages run in parallel. Without MEND_TEST_POSTGRES_URL the test fails, saying how to get one.
func NewPostgresDB(t testing.TB) (*gorm.DB, string) {
	t.Helper()
	u := newPostgresDatabase(t, true)
	db, err := database.OpenPostgres(context.Background(), u, nil)
	if err != nil {
		t.Fatalf("open the test's PostgreSQL database: %v", err)
	}
	t.Cleanup(func() { database.Close(db) })
	AttachVault(t, db)
	return db, u
}

// NewPostgresURL returns the URL of a fresh, migrated PostgreSQL database of the test's own (as
// NewPostgresDB makes it), for a test that opens it itself (with a logger of its own, say).
func NewPostgresURL(t testing.TB) string {
	t.Helper()
	return newPostgresDatabase(t, true)
}

// NewEmptyPostgresURL returns the URL of a fresh PostgreSQL database of the test's own with no tables
// at all (not migrated), dropped when the test ends.
func NewEmptyPostgresURL(t testing.TB) string {
	t.Helper()
	return newPostgresDatabase(t, false)
}

// PostgresURL returns MEND_TEST_POSTGRES_URL, or fails the test saying how to set it.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(PostgresURLVar)
	if u == "" {
		t.Fatalf("this test needs PostgreSQL: run ./.ci/test, which starts it and sets %s (or run "+
			"`export %s=$(./.ci/postgres)` once, then go test)", PostgresURLVar, PostgresURLVar)
	}
	return u
}

// newPostgresDatabase creates a database for t (a copy of the migrated template, or an empty one),
// schedules its drop and returns its URL.
func newPostgresDatabase(t testing.TB, migrated bool) string {
	t.Helper()
	base := PostgresURL(t)
	admin, err := pgAdmin(base)
	if err != nil {
		t.Fatalf("PostgreSQL for tests (%s): %v", PostgresURLVar, err)
	}
	template := "template0"
	if migrated {
		if template, err = pgTemplate(base, admin); err != nil {
			t.Fatalf("PostgreSQL template database: %v", err)
		}
	}
	name := "mend_t_" + randomSuffix(8)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err = admin.ExecContext(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, template))
	var pgErr *pgconn.PgError
	if migrated && errors.As(err, &pgErr) && pgErr.Code == "3D000" {
		// invalid_catalog_name: the template this process made is gone (another checkout's CI run drops
		// the templates of earlier runs): make it again, once.
		forgetTemplate(template)
		if template, err = pgTemplate(base, admin); err != nil {
			t.Fatalf("PostgreSQL template database: %v", err)
		}
		_, err = admin.ExecContext(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, template))
	}
	if err != nil {
		t.Fatalf("create the test's PostgreSQL database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := dropDatabase(ctx, admin, name); err != nil {
			t.Errorf("drop the test's PostgreSQL database %s: %v", name, err)
		}
	})
	return withDatabase(base, name)
}

// dropDatabase drops the test database name. WITH (FORCE) ends the test's own leftover connections,
// but not an autovacuum worker the server started in it (the tests' role may not signal the server's
// own processes): that refusal (insufficient_privilege) is retried until the worker has finished.
func dropDatabase(ctx context.Context, admin *sql.DB, name string) error {
	for wait := 20 * time.Millisecond; ; wait *= 2 {
		_, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		var pgErr *pgconn.PgError
		if err == nil || !errors.As(err, &pgErr) || pgErr.Code != "42501" {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

// pgAdminPool is the one connection pool per test process to the database MEND_TEST_POSTGRES_URL
// names, which creates and drops the tests' databases; pgTemplateName is the migrated template, made
// once per process.
var (
	pgMu           sync.Mutex
	pgAdminPool    *sql.DB
	pgTemplateName string
)

func pgAdmin(base string) (*sql.DB, error) {
	pgMu.Lock()
	defer pgMu.Unlock()
	if pgAdminPool != nil {
		return pgAdminPool, nil
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot reach %s: %w (./.ci/test starts PostgreSQL)", config.RedactURL(base), err)
	}
	pgAdminPool = db
	return db, nil
}

// pgTemplate returns the name of a template database holding every PostgreSQL migration, named after
// the migrations' content so a changed migration gets a new one. Test processes of several packages
// may build it at once: each builds under a name of its own and renames it into place, and the loser
// of that race drops its copy and uses the winner's.
func pgTemplate(base string, admin *sql.DB) (string, error) {
	pgMu.Lock()
	defer pgMu.Unlock()
	if pgTemplateName != "" {
		return pgTemplateName, nil
	}
	sum, err := migrationsDigest()
	if err != nil {
		return "", err
	}
	name := "mend_tpl_" + sum
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var exists bool
	if err := admin.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		if err := buildTemplate(ctx, base, admin, name); err != nil {
			return "", err
		}
	}
	pgTemplateName = name
	return name, nil
}

// forgetTemplate makes pgTemplate build the template again if it still names name.
func forgetTemplate(name string) {
	pgMu.Lock()
	defer pgMu.Unlock()
	if pgTemplateName == name {
		pgTemplateName = ""
	}
}

func buildTemplate(ctx context.Context, base string, admin *sql.DB, name string) error {
	build := name + "_" + randomSuffix(4)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+build+" TEMPLATE template0"); err != nil {
		return err
	}
	db, err := database.OpenPostgres(ctx, withDatabase(base, build), nil)
	if err == nil {
		err = database.Migrate(ctx, db)
		database.Close(db)
	}
	if err == nil {
		_, err = admin.ExecContext(ctx, "ALTER DATABASE "+build+" RENAME TO "+name)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // duplicate_database: another process won
			err = nil
		} else if err == nil {
			return nil
		}
	}
	if _, dropErr := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+build+" WITH (FORCE)"); dropErr != nil && err == nil {
		err = dropErr
	}
	return err
}

// migrationsDigest returns a short hash of every PostgreSQL migration's name and content.
func migrationsDigest() (string, error) {
	h := sha256.New()
	names, err := fs.Glob(migrations.Postgres(), "*.sql")
	if err != nil {
		return "", err
	}
	for _, n := range names {
		b, err := fs.ReadFile(migrations.Postgres(), n)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// withDatabase returns base with its database name replaced by name.
func withDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	return u.String()
}

func randomSuffix(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// CopyPostgresDB returns the URL of a copy of the PostgreSQL database at u (CREATE DATABASE … TEMPLATE),
// dropped when the test ends: a backup as a restore would bring it back. Nothing may be connected to u
// meanwhile (close its pools first).
func CopyPostgresDB(t testing.TB, u string) string {
	t.Helper()
	admin, err := pgAdmin(PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	src, name := pu.Path[1:], "mend_t_"+randomSuffix(8)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := admin.ExecContext(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, src)); err != nil {
		t.Fatalf("copy %s: %v", src, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := dropDatabase(ctx, admin, name); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	return withDatabase(u, name)
}
