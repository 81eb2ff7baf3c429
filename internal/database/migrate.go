package database

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/gorm"

	"github.com/mendhq/mend/migrations"
)

// provider returns goose over db's engine: SQLite's steps with SQLite's dialect, or their PostgreSQL
// twins with PostgreSQL's, holding an advisory lock while it migrates so instances that start at once
// migrate one at a time.
func provider(db *gorm.DB) (*goose.Provider, error) {
	return providerOver(db, migrations.FS, migrations.Postgres())
}

// providerOver is provider for the steps in sqliteSteps or postgresSteps (by db's engine).
func providerOver(db *gorm.DB, sqliteSteps, postgresSteps fs.FS) (*goose.Provider, error) {
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	if !isPostgres(db) {
		return goose.NewProvider(goose.DialectSQLite3, sqlDB, sqliteSteps)
	}
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(goose.DialectPostgres, sqlDB, postgresSteps, goose.WithSessionLocker(locker))
}

// MigrateKeyStore applies every pending step of the key store's own schema (migrations/keys) to db,
// the key store database (internal/vault), on either engine.
func MigrateKeyStore(ctx context.Context, db *gorm.DB) error {
	p, err := providerOver(db, migrations.KeyStoreSQLite(), migrations.KeyStorePostgres())
	if err == nil {
		_, err = p.Up(ctx)
	}
	if err != nil {
		return fmt.Errorf("key store: migrate: %w", err)
	}
	return nil
}

// Migrate applies every pending migration. It refuses a database that a newer Mend has migrated
// further than this one knows.
func Migrate(ctx context.Context, db *gorm.DB) error {
	p, err := provider(db)
	if err != nil {
		return fmt.Errorf("database: migrate: %w", err)
	}
	current, err := p.GetDBVersion(ctx) // creates goose's table in a new database
	if err == nil {
		err = aheadOfMend(current)
	}
	if err == nil {
		_, err = p.Up(ctx)
	}
	if err != nil && isPostgres(db) && deniedPermission(err) {
		return fmt.Errorf("database: migrate: %w (Mend's role must own the database, or a schema named by "+
			"search_path in MEND_DATABASE_URL: see README, PostgreSQL)", err)
	}
	if err != nil {
		return fmt.Errorf("database: migrate: %w", err)
	}
	return nil
}

// MigrateKeyStoreDownTo rolls the key store's steps back to version (0 removes its tables).
func MigrateKeyStoreDownTo(ctx context.Context, db *gorm.DB, version int64) error {
	p, err := providerOver(db, migrations.KeyStoreSQLite(), migrations.KeyStorePostgres())
	if err == nil {
		_, err = p.DownTo(ctx, version)
	}
	if err != nil {
		return fmt.Errorf("key store: migrate down: %w", err)
	}
	return nil
}

// MigrateUpTo applies the pending migrations up to and including version.
func MigrateUpTo(ctx context.Context, db *gorm.DB, version int64) error {
	p, err := provider(db)
	if err != nil {
		return fmt.Errorf("database: migrate up: %w", err)
	}
	if _, err := p.UpTo(ctx, version); err != nil {
		return fmt.Errorf("database: migrate up: %w", err)
	}
	return nil
}

// deniedPermission reports whether err is PostgreSQL's "permission denied" (SQLSTATE 42501), which
// goose passes on as text only.
func deniedPermission(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "42501"
	}
	return strings.Contains(err.Error(), "(SQLSTATE 42501)")
}

// MigrateDownTo rolls migrations back to version (0 removes every table).
func MigrateDownTo(ctx context.Context, db *gorm.DB, version int64) error {
	p, err := provider(db)
	if err != nil {
		return fmt.Errorf("database: migrate down: %w", err)
	}
	if _, err := p.DownTo(ctx, version); err != nil {
		return fmt.Errorf("database: migrate down: %w", err)
	}
	return nil
}

// Version returns the highest migration step applied to db (0 for a new database).
func Version(ctx context.Context, db *gorm.DB) (int64, error) {
	p, err := provider(db)
	if err != nil {
		return 0, fmt.Errorf("database: version: %w", err)
	}
	v, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("database: version: %w", err)
	}
	return v, nil
}

// CheckVersion returns an error unless db is at exactly the migration step this Mend ends with:
// behind means it was not migrated, ahead means a newer Mend migrated it (an instance of an older
// release must not serve a schema it does not know).
func CheckVersion(ctx context.Context, db *gorm.DB) error {
	v, err := Version(ctx, db)
	if err != nil {
		return err
	}
	if err := aheadOfMend(v); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	if latest := migrations.Latest(); v != latest {
		return fmt.Errorf("database: the schema is at migration step %d of %d: run mend migrate", v, latest)
	}
	return nil
}

func aheadOfMend(v int64) error {
	if latest := migrations.Latest(); v > latest {
		return fmt.Errorf("the schema is at migration step %d, but this Mend knows only steps up to %d: "+
			"a newer Mend migrated it, so run that release (or newer) here too", v, latest)
	}
	return nil
}
