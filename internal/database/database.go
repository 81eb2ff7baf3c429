// Package database opens Mend's database on either engine, SQLite (the embedded default) or PostgreSQL,
// migrates it, checks it at start-up and backs up SQLite. Connect is the one entry point that chooses
// the engine; Open and OpenPostgres open each engine the way Mend does.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	"gorm.io/plugin/dbresolver"
)

// DSN returns the data source name for path with the pragmas every pooled connection needs (SECURITY I1).
func DSN(path string) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	q.Set("_txlock", "immediate")
	q.Set("_secure_delete", "on")
	// Each connection keeps its last prepared statements, inside transactions too, so a hot query is
	// parsed once per connection rather than on every call.
	q.Set("_stmt_cache_size", strconv.Itoa(stmtCacheSize))
	// The path is URI-escaped so a name containing '?', '#' or '%' still names that file.
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// ReaderDSN is DSN for the reader pool: the same pragmas, and query_only, so a write that reaches a
// reader fails loudly instead of competing with the one writer.
func ReaderDSN(path string) string { return DSN(path) + "&_query_only=true" }

// Pool sizes: one writer, so writes queue in Go instead of sleeping in SQLite's busy handler, and a
// few readers (WAL lets them read while the writer writes).
const (
	stmtCacheSize = 64
	writerConns   = 1
	minReaders    = 4
	maxReaders    = 8
	// readerCacheKiB is the page cache the readers share, split evenly: 2 MiB each (SQLite's default)
	// with 4 readers, 1 MiB each with 8, so SQLite's caches stay near 10 MiB whatever the core count.
	// The writer keeps SQLite's default 2 MiB. A reader's cache is emptied anyway whenever another
	// connection has written since its last read, so a bigger one buys little.
	readerCacheKiB = 8 << 10
)

// readerPool is the GORM plugin that holds the reader pool, so Close and Reader can reach it.
type readerPool struct{ db *sql.DB }

func (*readerPool) Name() string                 { return "mend:readers" }
func (*readerPool) Initialize(db *gorm.DB) error { return nil }

// Open opens the SQLite database at path (creating it 0600), with the GORM logger writing to log. It does not
// migrate. Writes, and every transaction, go to one writer connection whose transactions begin
// IMMEDIATE; plain reads go to a small pool of query-only readers (gorm.io/plugin/dbresolver). Statements
// are prepared once per connection and kept (the driver's statement cache, set in the DSN), with plans
// that do not depend on bound values (useStablePlans), so a kept statement is not prepared again.
//
// It holds the database's lock file shared while open (see LockSuffix), and fails with ErrInUse while mend
// copy-data holds it.
func Open(path string, log *slog.Logger) (*gorm.DB, error) {
	if err := ensureFile(path); err != nil {
		return nil, err
	}
	return openLocked(path, false, log)
}

// OpenStopped is Open for a database no other Mend process may use meanwhile (mend copy-data): it
// holds the lock file exclusively, failing with ErrInUse while any Mend process has the database open,
// and it does not create a database that is not there.
func OpenStopped(path string, log *slog.Logger) (*gorm.DB, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("database: no SQLite database at %s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("database: %s is not an SQLite database file", path)
	}
	return openLocked(path, true, log)
}

func openLocked(path string, exclusive bool, log *slog.Logger) (*gorm.DB, error) {
	lock, err := lockSQLite(path, exclusive)
	if err != nil {
		return nil, err
	}
	db, err := openPools(path, log)
	if err == nil {
		err = db.Use(lock)
		if err != nil {
			Close(db)
		}
	}
	if err != nil {
		lock.release()
		return nil, err
	}
	return db, nil
}

func openPools(path string, log *slog.Logger) (*gorm.DB, error) {
	if err := useStablePlans(); err != nil {
		return nil, err
	}
	db, err := gorm.Open(sqlite.Open(DSN(path)), gormConfig(log))
	if err != nil {
		return nil, fmt.Errorf("database: open: %w", err)
	}
	writer, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("database: open: %w", err)
	}
	writer.SetMaxOpenConns(writerConns)
	writer.SetMaxIdleConns(writerConns)
	n := min(maxReaders, max(minReaders, 2*runtime.GOMAXPROCS(0)))
	readers, err := sql.Open(sqlite.DriverName, ReaderDSN(path)+"&_cache_size="+strconv.Itoa(-readerCacheKiB/n))
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("database: open readers: %w", err)
	}
	readers.SetMaxOpenConns(n)
	readers.SetMaxIdleConns(n)
	readers.SetConnMaxIdleTime(5 * time.Minute)
	err = db.Use(dbresolver.Register(dbresolver.Config{Replicas: []gorm.Dialector{sqlite.Dialector{Conn: readers}}}))
	if err == nil {
		err = db.Use(&readerPool{db: readers})
	}
	if err != nil {
		readers.Close()
		writer.Close()
		return nil, fmt.Errorf("database: open readers: %w", err)
	}
	return db, nil
}

func ensureFile(path string) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("database: %w", err)
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	return os.Chmod(path, 0o600)
}

func newLogger(log *slog.Logger) logger.Interface {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	const slow = 500 * time.Millisecond
	return quietLogger{slow: slow, Interface: logger.NewSlogLogger(log, logger.Config{
		SlowThreshold:             slow,
		LogLevel:                  logger.Warn,
		IgnoreRecordNotFoundError: true,
		ParameterizedQueries:      true,
	})}
}

// Close closes the writer and the readers (on PostgreSQL, its one pool), and lets go of SQLite's lock file.
func Close(db *gorm.DB) error {
	var errs []error
	if r := Reader(db); r != nil {
		errs = append(errs, r.Close())
	}
	sqlDB, err := db.DB()
	if err != nil {
		return errors.Join(append(errs, err, lockOf(db).release())...)
	}
	return errors.Join(append(errs, sqlDB.Close(), lockOf(db).release())...)
}

// Ping reports whether the database answers.
func Ping(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Raw returns the writer *sql.DB behind db (on PostgreSQL, its one pool).
func Raw(db *gorm.DB) *sql.DB {
	sqlDB, _ := db.DB()
	return sqlDB
}

// Reader returns the reader pool behind db, or nil for a *gorm.DB that Open did not make (PostgreSQL
// has one pool, Raw's).
func Reader(db *gorm.DB) *sql.DB {
	if p, ok := db.Config.Plugins["mend:readers"].(*readerPool); ok {
		return p.db
	}
	return nil
}
