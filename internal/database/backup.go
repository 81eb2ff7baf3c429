package database

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
)

// tempInfix names Backup's temporary copies: dest + ".tmp-" + digits, and the journal SQLite keeps
// beside one while it writes.
const tempInfix = ".tmp-"

// Backup writes a consistent copy of the live database to dest (SECURITY I5, H6): VACUUM INTO a
// temporary file beside dest, fsync, then rename. The temporary file is created 0600 before SQLite
// writes to it, so the copy and its journal are never readable by others, and the temporary files an
// interrupted backup to dest left behind are removed first. Two backups to the same dest at once are
// not supported: the second removes the first's temporary file, and the first fails. On PostgreSQL it
// does nothing and returns ErrBackupNeedsPgDump.
func Backup(ctx context.Context, db *gorm.DB, dest string) error {
	if EngineOf(db) != config.EngineSQLite {
		return ErrBackupNeedsPgDump
	}
	dest, err := filepath.Abs(dest)
	if err != nil {
		return fmt.Errorf("database: backup: %w", err)
	}
	if err := removeStaleTemps(dest); err != nil {
		return fmt.Errorf("database: backup: %w", err)
	}
	tmp := fmt.Sprintf("%s%s%d", dest, tempInfix, time.Now().UnixNano())
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("database: backup: %w", err)
	}
	defer os.Remove(tmp)
	defer os.Remove(tmp + "-journal")
	if err := f.Close(); err != nil {
		return fmt.Errorf("database: backup: %w", err)
	}
	// VACUUM INTO writes into an existing empty file, and SQLite gives the journal the file's mode.
	if err := db.WithContext(ctx).Exec("VACUUM INTO ?", tmp).Error; err != nil {
		return fmt.Errorf("database: backup: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("database: backup: %w", err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		return fmt.Errorf("database: backup: %w", err)
	}
	if d, err := os.Open(filepath.Dir(dest)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// removeStaleTemps removes dest's temporary copies, and their journals, left by a backup that did not
// finish (killed, or the machine stopped).
func removeStaleTemps(dest string) error {
	dir, base := filepath.Split(dest)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if isTempOf(base, e.Name()) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !os.IsNotExist(err) {
				return fmt.Errorf("remove an interrupted backup's copy: %w", err)
			}
		}
	}
	return nil
}

// isTempOf reports whether name is one of Backup's temporary files for the file base.
func isTempOf(base, name string) bool {
	rest, ok := strings.CutPrefix(name, base+tempInfix)
	if !ok {
		return false
	}
	rest = strings.TrimSuffix(rest, "-journal")
	if rest == "" {
		return false
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
