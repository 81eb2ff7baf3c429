package database_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/testutil"
)

// fillUsers writes n users with long hashes, so the users table spans many pages, then moves
// everything from the WAL into the database file.
func fillUsers(t *testing.T, n int) string {
	t.Helper()
	db, path := testutil.NewDB(t)
	for i := range n {
		err := db.Exec("INSERT INTO users (id, email, display_name, password_hash, created_at, updated_at) VALUES (?, ?, 'x', ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
			fmt.Sprintf("u%05d", i), fmt.Sprintf("u%05d@example.org", i), strings.Repeat("h", 200)).Error
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error; err != nil {
		t.Fatal(err)
	}
	if err := database.Check(context.Background(), db); err != nil {
		t.Fatalf("a sound database failed the check: %v", err)
	}
	database.Close(db)
	return path
}

// checkFile opens path as Mend does and runs the start-up check on it.
func checkFile(t *testing.T, path string) error {
	t.Helper()
	db, err := database.Open(path, nil)
	if err != nil {
		return err
	}
	defer database.Close(db)
	return database.Check(context.Background(), db)
}

// TestCheckFindsOneDamagedPage damages a single page deep inside the users table. The database still
// opens and other tables still answer; only a walk over every page finds it (SECURITY I7).
func TestCheckFindsOneDamagedPage(t *testing.T) {
	t.Parallel()
	path := fillUsers(t, 2000)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := f.Stat()
	pages := st.Size() / 4096
	if pages < 100 {
		t.Fatalf("only %d pages; the test needs a table spanning many", pages)
	}
	junk := make([]byte, 4096)
	for i := range junk {
		junk[i] = byte(i*31 + 7)
	}
	if _, err := f.WriteAt(junk, (pages*3/4)*4096); err != nil {
		t.Fatal(err)
	}
	f.Close()

	db, err := database.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := db.Raw("SELECT count(*) FROM couples").Scan(&n).Error; err != nil {
		t.Fatalf("the damage should be invisible to other tables: %v", err)
	}
	database.Close(db)
	if err := checkFile(t, path); !errors.Is(err, database.ErrCorrupt) || !strings.Contains(err.Error(), "quick_check") {
		t.Fatalf("check of a damaged page = %v, want a quick_check failure", err)
	}
}

// TestCheckFindsForeignKeyViolations writes a session of a user who does not exist, with foreign keys
// off as a broken tool might, and checks that the start-up check refuses the database.
func TestCheckFindsForeignKeyViolations(t *testing.T) {
	t.Parallel()
	db, path := testutil.NewDB(t)
	for _, q := range []string{
		"PRAGMA foreign_keys = OFF",
		"INSERT INTO sessions (id, user_id, kind, created_at, last_seen_at) VALUES ('s1', 'nobody', 'api', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
		"PRAGMA foreign_keys = ON",
	} {
		if err := db.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	database.Close(db)
	err := checkFile(t, path)
	if !errors.Is(err, database.ErrCorrupt) || !strings.Contains(err.Error(), "foreign_key_check(sessions)") {
		t.Fatalf("check with an orphan session = %v, want a foreign_key_check failure on sessions", err)
	}
}

// TestCheckLeavesNoConnectionOpen checks that the check runs on connections of its own, closed
// afterwards so their page cache and file mapping leave memory, and that the serving pools are untouched.
func TestCheckLeavesNoConnectionOpen(t *testing.T) {
	t.Parallel()
	path := fillUsers(t, 300)
	db, err := database.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	readers, writers := database.Reader(db).Stats().OpenConnections, database.Raw(db).Stats().OpenConnections
	if err := database.Check(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	if n := database.Reader(db).Stats().OpenConnections; n != readers {
		t.Errorf("the check opened %d reader connections", n-readers)
	}
	if n := database.Raw(db).Stats().OpenConnections; n != writers {
		t.Errorf("the check opened %d writer connections", n-writers)
	}
	var maps string
	if b, err := os.ReadFile("/proc/self/maps"); err == nil {
		maps = string(b)
	}
	if strings.Contains(maps, path+"\n") {
		t.Error("the database file is still mapped into memory after the check")
	}
}
