package database_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/testutil"
)

// tempModes returns the mode of every file in dir whose name starts with prefix.
func tempModes(t *testing.T, dir, prefix string) map[string]fs.FileMode {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]fs.FileMode{}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			if info, err := e.Info(); err == nil {
				out[e.Name()] = info.Mode().Perm()
			}
		}
	}
	return out
}

// TestBackupTempFileIsPrivateBeforeSQLiteWrites: the temporary copy (every password hash and answer) is
// 0600 before VACUUM INTO writes a byte and still 0600 when it has finished, so neither a reader during
// the backup nor the file a killed backup leaves behind is world-readable (SECURITY H6). The checks run
// from GORM callbacks around the VACUUM INTO statement itself.
func TestBackupTempFileIsPrivateBeforeSQLiteWrites(t *testing.T) {
	t.Parallel()
	db, _ := testutil.NewDB(t)
	if err := db.Exec("INSERT INTO users (id, email, display_name, password_hash, created_at, updated_at) VALUES ('u', 'u@example.org', 'u', 'x', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)").Error; err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	dest := filepath.Join(dir, "backup.db")
	var before, after map[string]fs.FileMode
	watch := func(into *map[string]fs.FileMode) func(*gorm.DB) {
		return func(tx *gorm.DB) {
			if strings.HasPrefix(tx.Statement.SQL.String(), "VACUUM INTO") {
				*into = tempModes(t, dir, "backup.db.tmp-")
			}
		}
	}
	if err := db.Callback().Raw().Before("gorm:raw").Register("test:before_vacuum", watch(&before)); err != nil {
		t.Fatal(err)
	}
	if err := db.Callback().Raw().After("gorm:raw").Register("test:after_vacuum", watch(&after)); err != nil {
		t.Fatal(err)
	}
	if err := database.Backup(context.Background(), db, dest); err != nil {
		t.Fatal(err)
	}
	for when, modes := range map[string]map[string]fs.FileMode{"before": before, "after": after} {
		if len(modes) != 1 {
			t.Errorf("%s VACUUM INTO: temporary files %v, want one, made by Mend", when, modes)
		}
		for name, mode := range modes {
			if mode != 0o600 {
				t.Errorf("%s VACUUM INTO: %s is %v, want 0600", when, name, mode)
			}
		}
	}
	if left := tempModes(t, dir, "backup.db.tmp-"); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestBackupRemovesStaleTempFiles: a backup killed part-way leaves FILE.tmp-N and its journal behind;
// the next backup to FILE removes them, and leaves alone every file whose name only looks similar.
func TestBackupRemovesStaleTempFiles(t *testing.T) {
	t.Parallel()
	db, _ := testutil.NewDB(t)
	dir := t.TempDir()
	dest := filepath.Join(dir, "backup.db")
	stale := []string{"backup.db.tmp-1764680000000000000", "backup.db.tmp-1764680000000000000-journal", "backup.db.tmp-7"}
	kept := []string{"backup.db.tmp-", "backup.db.tmp-12x", "backup.db.tmp-12-wal-x", "backup.db.tmp-note.txt",
		"other.db.tmp-5", "xbackup.db.tmp-5", "backup.db.tmp-5.keep"}
	for _, name := range append(append([]string{}, stale...), kept...) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("old copy"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := database.Backup(context.Background(), db, dest); err != nil {
		t.Fatal(err)
	}
	var left []string
	for name := range tempModes(t, dir, "") {
		left = append(left, name)
	}
	sort.Strings(left)
	want := append([]string{"backup.db"}, kept...)
	sort.Strings(want)
	if strings.Join(left, " ") != strings.Join(want, " ") {
		t.Errorf("files after the backup:\n%q\nwant\n%q", left, want)
	}
}
