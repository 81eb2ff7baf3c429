package database_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/testutil"
)

// TestPragmasOnEveryConnection holds several connections of each pool open at once and reads each
// pragma on each (SECURITY I1): the one writer and every reader.
func TestPragmasOnEveryConnection(t *testing.T) {
	t.Parallel()
	db, _ := testutil.NewDB(t)
	ctx := context.Background()
	want := map[string]string{"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1", "busy_timeout": "10000", "secure_delete": "1"}
	pools := []struct {
		name  string
		pool  *sql.DB
		conns int
		query string
	}{
		{"writer", database.Raw(db), 1, "0"},
		{"reader", database.Reader(db), 4, "1"},
	}
	for _, p := range pools {
		for i := range p.conns {
			conn, err := p.pool.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			for pragma, w := range want {
				var got string
				if err := conn.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
					t.Fatalf("%s %d: %s: %v", p.name, i, pragma, err)
				}
				if got != w {
					t.Errorf("%s %d: PRAGMA %s = %s, want %s", p.name, i, pragma, got, w)
				}
			}
			var qo string
			if err := conn.QueryRowContext(ctx, "PRAGMA query_only").Scan(&qo); err != nil || qo != p.query {
				t.Errorf("%s %d: PRAGMA query_only = %s (%v), want %s", p.name, i, qo, err, p.query)
			}
		}
		if got := p.pool.Stats().OpenConnections; got < p.conns {
			t.Fatalf("%s: only %d connections were open; the test must cover several", p.name, got)
		}
	}
	if max := database.Raw(db).Stats().MaxOpenConnections; max != 1 {
		t.Errorf("the writer pool allows %d connections, want 1", max)
	}
}

// TestReadsAndWritesFindTheirPool checks the routing: writes, and reads inside a transaction, go to the
// writer; plain reads go to the readers, which refuse to write.
func TestReadsAndWritesFindTheirPool(t *testing.T) {
	t.Parallel()
	db, _ := testutil.NewDB(t)
	ctx := context.Background()
	if err := db.WithContext(ctx).Exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)").Error; err != nil {
		t.Fatal(err)
	}
	type note struct {
		ID   int
		Body string
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&note{ID: 1, Body: "one"}).Error; err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&note{}).Count(&n).Error; err != nil || n != 1 {
			t.Errorf("a read inside the transaction saw %d rows (%v), want 1", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got note
	if err := db.WithContext(ctx).Take(&got, 1).Error; err != nil || got.Body != "one" {
		t.Fatalf("read after commit: %+v, %v", got, err)
	}
	if _, err := database.Reader(db).ExecContext(ctx, "INSERT INTO notes (id, body) VALUES (2, 'two')"); err == nil {
		t.Error("a reader connection accepted a write")
	}
	before := database.Reader(db).Stats().OpenConnections
	if err := db.WithContext(ctx).Model(&note{}).Where("id = ?", 1).Update("body", "uno").Error; err != nil {
		t.Fatal(err)
	}
	if after := database.Reader(db).Stats().OpenConnections; after < 1 || before < 1 {
		t.Errorf("reads did not use the reader pool (open readers %d, %d)", before, after)
	}
}

// TestConcurrentWritersQueue runs 32 writers at once: with one writer connection they queue in Go,
// so none meets "database is locked" (SECURITY I3) and every row lands.
func TestConcurrentWritersQueue(t *testing.T) {
	t.Parallel()
	db, _ := testutil.NewDB(t)
	ctx := context.Background()
	if err := db.WithContext(ctx).Exec("CREATE TABLE hits (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER)").Error; err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 32*20)
	for w := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				errs <- db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
					return tx.Exec("INSERT INTO hits (n) VALUES (?)", w*100+i).Error
				})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var n int64
	if err := db.WithContext(ctx).Raw("SELECT count(*) FROM hits").Scan(&n).Error; err != nil || n != 32*20 {
		t.Fatalf("%d rows (%v), want %d", n, err, 32*20)
	}
}

// TestImmediateTransactions checks that a transaction takes the write lock at BEGIN (_txlock=immediate):
// a second BEGIN waits for the first transaction to end instead of failing later with "database is locked".
func TestImmediateTransactions(t *testing.T) {
	t.Parallel()
	db, _ := testutil.NewDB(t)
	sqlDB := database.Raw(db)
	ctx := context.Background()
	tx1, err := sqlDB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	var mu sync.Mutex
	note := func(s string) { mu.Lock(); order = append(order, s); mu.Unlock() }
	done := make(chan error, 1)
	go func() {
		tx2, err := sqlDB.BeginTx(ctx, nil)
		if err != nil {
			done <- err
			return
		}
		note("tx2 began")
		done <- tx2.Rollback()
	}()
	time.Sleep(200 * time.Millisecond)
	note("tx1 commits")
	if err := tx1.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(order) != 2 || order[0] != "tx1 commits" {
		t.Fatalf("order %v: the second BEGIN did not wait for the first transaction", order)
	}
}

func tableNames(t *testing.T, db *gorm.DB) []string {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version' ORDER BY name"
	if database.EngineOf(db) == config.EnginePostgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
			AND table_type = 'BASE TABLE' AND table_name <> 'goose_db_version' ORDER BY table_name`
	}
	var names []string
	if err := db.Raw(q).Scan(&names).Error; err != nil {
		t.Fatal(err)
	}
	return names
}

// TestMigrationsUpDownUp runs every migration up, down to zero and up again, on each engine (SECURITY I6).
func TestMigrationsUpDownUp(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db := testutil.NewDBOn(t, engine)
			ctx := context.Background()
			up := tableNames(t, db)
			if len(up) < 3 {
				t.Fatalf("expected the schema after migrating, got tables %v", up)
			}
			if err := database.MigrateDownTo(ctx, db, 0); err != nil {
				t.Fatal(err)
			}
			if left := tableNames(t, db); len(left) != 0 {
				t.Fatalf("tables left after migrating down to zero: %v", left)
			}
			if err := database.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			if again := tableNames(t, db); !slices.Equal(again, up) {
				t.Fatalf("after up/down/up: %v, want %v", again, up)
			}
		})
	}
}

// TestMigratePopulatedKeepsRows migrates a database that already holds data and checks nothing is lost (SECURITY I6).
func TestMigratePopulatedKeepsRows(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	for _, name := range []string{"one", "two", "three"} {
		app.Client().RegisterAPI(name+"@example.org", name)
	}
	var before int64
	app.DB.Raw("SELECT count(*) FROM users").Scan(&before)
	if err := database.Migrate(context.Background(), app.DB); err != nil {
		t.Fatal(err)
	}
	var after int64
	app.DB.Raw("SELECT count(*) FROM users").Scan(&after)
	if before != 3 || after != before {
		t.Fatalf("users before %d, after %d; want 3 and 3", before, after)
	}
}

// TestBackupOfLiveDatabase backs up while the database is open and in use, then checks the copy (SECURITY I5, H6).
func TestBackupOfLiveDatabase(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	app.Client().RegisterAPI("backup@example.org", "Backup person")
	dest := filepath.Join(t.TempDir(), "backup.db")
	if err := database.Backup(context.Background(), app.DB, dest); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(dest)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", st.Mode().Perm())
	}
	copyDB, err := database.Open(dest, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(copyDB)
	var ic string
	if err := copyDB.Raw("PRAGMA integrity_check").Scan(&ic).Error; err != nil || ic != "ok" {
		t.Fatalf("integrity_check of backup = %q, %v", ic, err)
	}
	if err := database.Check(context.Background(), copyDB); err != nil {
		t.Fatal(err)
	}
	var email string
	copyDB.Raw("SELECT email FROM users").Scan(&email)
	if email != "backup@example.org" {
		t.Fatalf("backup lacks the user: %q", email)
	}
	matches, _ := filepath.Glob(dest + ".tmp-*")
	if len(matches) != 0 {
		t.Fatalf("temporary files left: %v", matches)
	}
}

// TestCorruptDatabaseIsRefused damages a database file and checks that Check refuses it (SECURITY I7).
func TestCorruptDatabaseIsRefused(t *testing.T) {
	t.Parallel()
	db, path := testutil.NewDB(t)
	for i := range 50 {
		db.Exec("INSERT INTO users (id, email, display_name, password_hash, created_at, updated_at) VALUES (?, ?, 'x', 'x', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
			"id"+string(rune('a'+i%26))+string(rune('a'+i/26)), "u"+string(rune('a'+i%26))+string(rune('a'+i/26))+"@example.org")
	}
	db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	database.Close(db)
	Corrupt(t, path)
	db2, err := database.Open(path, nil)
	if err == nil {
		defer database.Close(db2)
		err = database.Check(context.Background(), db2)
	}
	if err == nil {
		t.Fatal("a corrupt database passed the start-up check")
	}
}

// Corrupt overwrites the database's pages after the header with garbage.
func Corrupt(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	junk := make([]byte, st.Size()-4096)
	for i := range junk {
		junk[i] = byte(i*7 + 3)
	}
	if _, err := f.WriteAt(junk, 4096); err != nil {
		t.Fatal(err)
	}
}

// TestFileModes checks the database and its WAL are 0600 (SECURITY H6).
func TestFileModes(t *testing.T) {
	t.Parallel()
	db, path := testutil.NewDB(t)
	db.Exec("INSERT INTO users (id, email, display_name, password_hash, created_at, updated_at) VALUES ('m', 'm@example.org', 'm', 'x', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
	for _, p := range []string{path, path + "-wal"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", filepath.Base(p), st.Mode().Perm())
		}
	}
}

// TestPathWithURICharacters opens databases whose paths contain characters with a meaning in URIs and
// checks each is its own file.
func TestPathWithURICharacters(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, name := range []string{"a#01.db", "b?x=1.db", "c%20d.db", "e f.db"} {
		path := filepath.Join(dir, name)
		db, err := database.Open(path, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := database.Migrate(context.Background(), db); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var file string
		if err := db.Raw("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&file).Error; err != nil {
			t.Fatal(err)
		}
		database.Close(db)
		if file != path {
			t.Errorf("opened %q, want %q", file, path)
		}
	}
}

// TestReaderCachesShareOneBudget checks every reader's page cache is a share of one budget, so the
// readers' caches together stay at 8 MiB however many readers the core count allows.
func TestReaderCachesShareOneBudget(t *testing.T) {
	t.Parallel()
	db, _ := testutil.NewDB(t)
	ctx := context.Background()
	readers := database.Reader(db)
	n := readers.Stats().MaxOpenConnections
	for i := range 2 {
		conn, err := readers.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var kib int
		if err := conn.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&kib); err != nil {
			t.Fatal(err)
		}
		if want := -(8 << 10) / n; kib != want {
			t.Errorf("reader %d: cache_size %d with %d readers, want %d (an even share of 8 MiB)", i, kib, n, want)
		}
	}
}
