package database_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/migrations"
)

// populatedSQLite returns the path of a migrated SQLite database holding populatedRows (every table)
// and extra rows of account_events, so that table takes several batches. The database is closed, as a
// stopped instance's is. It returns how many rows each table holds and the rows written.
func populatedSQLite(t *testing.T, extra int) (string, map[string]int64, []row) {
	t.Helper()
	db, path := testutil.NewDB(t)
	ctx := context.Background()
	tables := tableNames(t, db)
	counts := map[string]int64{}
	var written []row
	for _, r := range populatedRows() {
		if !slices.Contains(tables, r.table) {
			continue // a table a later step dropped
		}
		vals := onlyColumns(t, db, r)
		if err := db.WithContext(ctx).Table(r.table).Create(vals).Error; err != nil {
			t.Fatalf("insert into %s: %v", r.table, err)
		}
		counts[r.table]++
		written = append(written, row{table: r.table, values: vals})
	}
	at := time.Date(2026, 11, 25, 12, 0, 0, 123456789, time.UTC)
	for i := range extra {
		vals := map[string]any{"id": fmt.Sprintf("extra%04d", i), "user_id": "u2", "kind": "sign_in", "device": "Device ünïcode " + fmt.Sprint(i),
			"created_at": at.Add(time.Duration(i) * time.Second)}
		if err := db.WithContext(ctx).Table("account_events").Create(vals).Error; err != nil {
			t.Fatal(err)
		}
		counts["account_events"]++
	}
	for _, table := range tables {
		if counts[table] == 0 {
			t.Fatalf("populatedRows has no row for %s", table)
		}
	}
	if err := database.Close(db); err != nil {
		t.Fatal(err)
	}
	return path, counts, written
}

func openStopped(t *testing.T, path string) *gorm.DB {
	t.Helper()
	db, err := database.OpenStopped(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) })
	return db
}

// TestCopyDataToPostgres moves a populated SQLite instance (a row in every table, and one table of 1,200
// rows: three batches) into an empty, migrated PostgreSQL database. Every table is copied after the
// tables it refers to, with its row count and checksum; every fixture row is found on PostgreSQL by its
// typed values (instants as timestamptz, booleans as booleans); and a second copy into the now full
// database is refused without writing anything.
func TestCopyDataToPostgres(t *testing.T) {
	t.Parallel()
	path, counts, written := populatedSQLite(t, 1200)
	src := openStopped(t, path)
	dst, _ := testutil.NewPostgresDB(t)
	ctx := context.Background()
	var heard []string
	copied, err := database.CopyToPostgres(ctx, src, dst, func(c database.CopiedTable) { heard = append(heard, c.Name) })
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, c := range copied {
		order = append(order, c.Name)
		if c.Rows != counts[c.Name] || len(c.Checksum) != 64 {
			t.Errorf("%s: %d rows, checksum %q; want %d rows", c.Name, c.Rows, c.Checksum, counts[c.Name])
		}
	}
	if !slices.Equal(order, heard) {
		t.Errorf("progress heard %v, the report says %v", heard, order)
	}
	if got, want := slices.Sorted(slices.Values(order)), tableNames(t, dst); !slices.Equal(got, want) {
		t.Fatalf("copied %v, want every table %v", got, want)
	}
	for _, pair := range [][2]string{{"users", "sessions"}, {"couples", "couple_members"}, {"agreements", "agreement_versions"},
		{"checkin_answers", "checkin_agreement_answers"}, {"questions", "question_answers"}, {"throttle_keys", "throttle_hits"},
		{"trigger_signals", "trigger_responses"}} {
		if slices.Index(order, pair[0]) > slices.Index(order, pair[1]) {
			t.Errorf("%s was copied before %s, which it refers to", pair[1], pair[0])
		}
	}
	for table, want := range counts {
		var got int64
		must(t, dst.Table(table).Count(&got).Error)
		if got != want {
			t.Errorf("PostgreSQL's %s holds %d rows, want %d", table, got, want)
		}
	}
	for _, r := range written {
		cols := make([]string, 0, len(r.values))
		for c := range r.values {
			if !strings.HasPrefix(c, "@") { // GORM's Create notes the key it made in the map
				cols = append(cols, c)
			}
		}
		sort.Strings(cols)
		var where []string
		var args []any
		for _, c := range cols {
			if r.values[c] == nil {
				where = append(where, fmt.Sprintf("%q IS NULL", c))
				continue
			}
			args = append(args, r.values[c])
			where = append(where, fmt.Sprintf("%q = $%d", c, len(args)))
		}
		var n int64
		q := fmt.Sprintf("SELECT count(*) FROM %q WHERE %s", r.table, strings.Join(where, " AND "))
		must(t, database.Raw(dst).QueryRowContext(ctx, q, args...).Scan(&n))
		if n != 1 {
			t.Errorf("%s: the row %v is not on PostgreSQL as it was on SQLite (%d matches)", r.table, r.values, n)
		}
	}
	var nanos time.Time
	must(t, dst.Raw("SELECT created_at FROM account_events WHERE id = 'extra0001'").Scan(&nanos).Error)
	if want := time.Date(2026, 11, 25, 12, 0, 1, 123456000, time.UTC); !nanos.Equal(want) {
		t.Errorf("an instant with nanoseconds became %v, want %v (to the microsecond)", nanos, want)
	}

	_, err = database.CopyToPostgres(ctx, src, dst, nil)
	if !errors.Is(err, database.ErrTargetNotEmpty) || !strings.Contains(err.Error(), "users") {
		t.Fatalf("a second copy into the full database: %v, want ErrTargetNotEmpty naming the tables", err)
	}
	var users int64
	must(t, dst.Table("users").Count(&users).Error)
	if users != counts["users"] {
		t.Errorf("the refused copy changed users: %d rows", users)
	}
}

// TestCopyDataRefuses: copy-data refuses a target at another migration step or not migrated, an SQLite
// database in use (and no Mend opens it while it copies), and, meeting a value PostgreSQL cannot hold,
// stops naming the table and column and leaves the target empty.
func TestCopyDataRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path, _, _ := populatedSQLite(t, 0)

	t.Run("in use", func(t *testing.T) {
		live, err := database.Open(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := database.OpenStopped(path, nil); !errors.Is(err, database.ErrInUse) || !strings.Contains(err.Error(), "stop") {
			t.Errorf("copy-data's open while an instance has the database: %v, want ErrInUse", err)
		}
		database.Close(live)
		src, err := database.OpenStopped(path, nil)
		if err != nil {
			t.Fatalf("copy-data's open once the instance stopped: %v", err)
		}
		if _, err := database.Open(path, nil); !errors.Is(err, database.ErrInUse) || !strings.Contains(err.Error(), "copy-data") {
			t.Errorf("an instance starting during the copy: %v, want ErrInUse naming copy-data", err)
		}
		database.Close(src)
	})

	src := openStopped(t, path)
	t.Run("another step", func(t *testing.T) {
		dst, _ := testutil.NewPostgresDB(t)
		must(t, database.MigrateDownTo(ctx, dst, migrations.Latest()-1))
		if _, err := database.CopyToPostgres(ctx, src, dst, nil); !errors.Is(err, database.ErrVersionMismatch) {
			t.Errorf("copy into a database one step behind: %v, want ErrVersionMismatch", err)
		}
	})
	t.Run("not migrated", func(t *testing.T) {
		dst, err := database.OpenPostgres(ctx, testutil.NewEmptyPostgresURL(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer database.Close(dst)
		if _, err := database.CopyToPostgres(ctx, src, dst, nil); !errors.Is(err, database.ErrVersionMismatch) || !strings.Contains(err.Error(), "mend migrate") {
			t.Errorf("copy into a database never migrated: %v, want ErrVersionMismatch saying to migrate", err)
		}
	})
	t.Run("a value PostgreSQL cannot hold", func(t *testing.T) {
		must(t, src.Exec("UPDATE account_events SET created_at = 'the day before' WHERE id = 'ev1'").Error)
		defer src.Exec("UPDATE account_events SET created_at = ? WHERE id = 'ev1'", time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
		dst, _ := testutil.NewPostgresDB(t)
		_, err := database.CopyToPostgres(ctx, src, dst, nil)
		if err == nil || !strings.Contains(err.Error(), "account_events") || !strings.Contains(err.Error(), "created_at") {
			t.Fatalf("copy of an unreadable instant: %v, want an error naming the table and column", err)
		}
		for _, table := range tableNames(t, dst) {
			var n int64
			must(t, dst.Table(table).Count(&n).Error)
			if n != 0 {
				t.Errorf("after the failed copy PostgreSQL's %s holds %d rows, want none", table, n)
			}
		}
	})
}
