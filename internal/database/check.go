package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/sync/errgroup"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
)

// ErrCorrupt is returned by Check when the database fails its integrity checks.
var ErrCorrupt = errors.New("database: integrity check failed")

// checkMmap maps up to 1 GiB of the file into each check connection's memory, so quick_check reads
// pages where they lie instead of copying each one into SQLite's page cache (about 15 % faster on a
// 400 MB file). The mapping goes when the check's connections close. One cost: a disk that fails a
// read of a mapped page stops the process with SIGBUS instead of an error. Mend still does not serve.
const checkMmap = "PRAGMA mmap_size = 1073741824"

// Check runs the start-up checks of db's engine. On SQLite: quick_check and foreign_key_check over
// the whole database (SECURITY I7), returning an error wrapping ErrCorrupt when either finds a problem
// or cannot run. On PostgreSQL: that the server answers and that Mend's role holds no more power than
// it needs (checkPostgres). Neither looks at the migration step: CheckVersion does, after Migrate.
func Check(ctx context.Context, db *gorm.DB) error {
	if isPostgres(db) {
		return checkPostgres(ctx, db)
	}
	return checkSQLite(ctx, db)
}

// checkSQLite runs quick_check and foreign_key_check.
//
// The two run at the same time on their own short-lived, query-only connections (foreign_key_check
// split by table over the spare cores), which are closed afterwards so their memory goes with them.
// quick_check itself runs whole, never table by table: a per-table quick_check skips the freelist
// and the proof that every page belongs to exactly one b-tree.
func checkSQLite(ctx context.Context, db *gorm.DB) error {
	var path string
	if err := Raw(db).QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&path); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if path == "" {
		return errors.New("database: check: the database has no file")
	}
	pool, err := sql.Open(sqlite.DriverName, ReaderDSN(path))
	if err != nil {
		return fmt.Errorf("database: check: %w", err)
	}
	defer pool.Close()
	jobs := []checkJob{{name: "quick_check", quick: true}}
	tables, err := tablesWithForeignKeys(ctx, pool)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	for _, t := range tables {
		jobs = append(jobs, checkJob{name: "foreign_key_check(" + t + ")", table: t})
	}
	workers := min(len(jobs), maxReaders, max(2, runtime.GOMAXPROCS(0)))
	queue := make(chan checkJob, len(jobs))
	for _, j := range jobs {
		queue <- j
	}
	close(queue)
	g, gctx := errgroup.WithContext(ctx)
	for range workers {
		g.Go(func() error {
			conn, err := pool.Conn(gctx)
			if err != nil {
				return fmt.Errorf("%w: %v", ErrCorrupt, err)
			}
			defer conn.Close()
			if _, err := conn.ExecContext(gctx, checkMmap); err != nil {
				return fmt.Errorf("%w: %v", ErrCorrupt, err)
			}
			for j := range queue {
				if err := j.run(gctx, conn); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// checkJob is one part of the start-up check: the whole quick_check, or foreign_key_check of one table.
type checkJob struct {
	name  string
	quick bool   // quick_check answers "ok" alone
	table string // foreign_key_check answers nothing when the table is sound
}

func (j checkJob) run(ctx context.Context, conn *sql.Conn) error {
	var rows *sql.Rows
	var err error
	if j.quick {
		rows, err = conn.QueryContext(ctx, "PRAGMA quick_check")
	} else {
		rows, err = conn.QueryContext(ctx, "SELECT 1 FROM pragma_foreign_key_check(?) LIMIT 1", j.table)
	}
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrCorrupt, j.name, err)
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		if !j.quick {
			return fmt.Errorf("%w: %s found violations", ErrCorrupt, j.name)
		}
		var s string
		if err := rows.Scan(&s); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrCorrupt, j.name, err)
		}
		found = append(found, s)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrCorrupt, j.name, err)
	}
	if j.quick && (len(found) != 1 || found[0] != "ok") {
		return fmt.Errorf("%w: %s: %s", ErrCorrupt, j.name, strings.Join(found, "; "))
	}
	return nil
}

// tablesWithForeignKeys lists the tables that declare a foreign key: the only ones foreign_key_check
// has anything to look at.
func tablesWithForeignKeys(ctx context.Context, pool *sql.DB) ([]string, error) {
	return Strings(pool.QueryContext(ctx, `SELECT name FROM sqlite_schema
		WHERE type = 'table' AND EXISTS (SELECT 1 FROM pragma_foreign_key_list(name)) ORDER BY name`))
}
