package bench

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/mendhq/mend/internal/database"
)

// The data sets are built on SQLite (seeded through the services in shards, merged and multiplied
// by keyed copies); on PostgreSQL each finished one is then copied into a database of its own
// (postgres.go). This file holds the SQLite statements of that build.

// copyRows copies every row of every table of the database at src into the database at dst (both
// migrated to the same schema), in one transaction with foreign keys checked at commit. With suffix
// set, every key column gets the suffix (emails get it before the @), so the copy is a second set of
// couples beside the first: this is how the big database of the scale comparison is built from couples
// seeded through the services. Without it, the rows are copied as they are (merging shards).
func copyRows(ctx context.Context, dst, src, suffix string) error {
	db, err := sql.Open("sqlite3", database.DSN(dst))
	if err != nil {
		return err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// The copy inserts random keys into every index of a large database: a page cache that holds it
	// saves reading pages back. It is a throwaway build step, so it writes without a journal (one write
	// per page instead of two); the database is back in WAL mode when the copy ends. This connection is
	// the only one open on dst.
	for _, q := range []string{"PRAGMA cache_size = -1048576", "PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("bench: %s: %w", q, err)
		}
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA journal_mode = WAL")
	if _, err := conn.ExecContext(ctx, "ATTACH DATABASE ? AS src", src); err != nil {
		return fmt.Errorf("bench: attach: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "DETACH DATABASE src")
	tables, err := tablesOf(ctx, conn)
	if err != nil {
		return err
	}
	if suffix != "" {
		for _, t := range tables {
			if err := checkKeys(ctx, conn, t); err != nil {
				return err
			}
		}
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "PRAGMA defer_foreign_keys = ON"); err != nil {
		return err
	}
	for _, t := range tables {
		cols, err := columnsOf(ctx, conn, t)
		if err != nil {
			return err
		}
		var sel []string
		for _, c := range cols {
			switch {
			case suffix == "" || !keyColumn(c):
				sel = append(sel, quote(c))
			case c == "email":
				sel = append(sel, fmt.Sprintf("replace(%s, '@', '%s@')", quote(c), suffix))
			default:
				sel = append(sel, fmt.Sprintf("%s || '%s'", quote(c), suffix))
			}
		}
		q := fmt.Sprintf("INSERT INTO main.%s (%s) SELECT %s FROM src.%s", quote(t), joinQuoted(cols), strings.Join(sel, ", "), quote(t))
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("bench: copy %s: %w", t, err)
		}
	}
	return tx.Commit()
}

// tablesOf lists the application tables of the attached source.
func tablesOf(ctx context.Context, conn *sql.Conn) ([]string, error) {
	return database.Strings(conn.QueryContext(ctx, `SELECT name FROM src.sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version' ORDER BY name`))
}

func columnsOf(ctx context.Context, conn *sql.Conn, table string) ([]string, error) {
	return database.Strings(conn.QueryContext(ctx, "SELECT name FROM pragma_table_info(?, 'src')", table))
}

// checkKeys makes sure a keyed copy of table stays a separate set of couples: every foreign key has a
// column that gets the suffix, on both sides alike (else a copied row would point at an original one),
// and every unique index has a column that gets it (else the copy would collide). A new table that breaks this rule stops
// the benchmark instead of building a wrong database.
func checkKeys(ctx context.Context, conn *sql.Conn, table string) error {
	fks, err := conn.QueryContext(ctx, `SELECT id, "from", "to" FROM pragma_foreign_key_list(?, 'src') ORDER BY id, seq`, table)
	if err != nil {
		return err
	}
	var bad []string
	keyed := map[int]bool{}
	for fks.Next() {
		var id int
		var from, to string
		if err := fks.Scan(&id, &from, &to); err != nil {
			fks.Close()
			return err
		}
		// A column pair of the key is renamed on both sides or on neither, and one of them must be.
		if keyColumn(from) != keyColumn(to) {
			bad = append(bad, fmt.Sprintf("%s.%s → %s (a foreign key)", table, from, to))
		}
		keyed[id] = keyed[id] || keyColumn(from)
	}
	fks.Close()
	for id, ok := range keyed {
		if !ok {
			bad = append(bad, fmt.Sprintf("%s foreign key %d", table, id))
		}
	}
	idx, err := conn.QueryContext(ctx, `SELECT il.name, group_concat(ii.name) FROM pragma_index_list(?, 'src') AS il,
		pragma_index_info(il.name, 'src') AS ii WHERE il."unique" = 1 GROUP BY il.name`, table)
	if err != nil {
		return err
	}
	defer idx.Close()
	for idx.Next() {
		var name, cols string
		if err := idx.Scan(&name, &cols); err != nil {
			return err
		}
		ok := false
		for _, c := range strings.Split(cols, ",") {
			ok = ok || keyColumn(c)
		}
		if !ok {
			bad = append(bad, table+" unique index "+name+" ("+cols+")")
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("bench: cannot copy couples: %s has no key column that the copy renames; extend keyColumn", strings.Join(bad, ", "))
	}
	return idx.Err()
}

func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func joinQuoted(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = quote(c)
	}
	return strings.Join(q, ", ")
}
