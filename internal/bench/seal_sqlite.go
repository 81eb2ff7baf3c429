package bench

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/mendhq/mend/internal/database"
)

// sealDataset keeps dir/mend.db's plaintext as dir/plain.db and seals dir/mend.db in place.
func sealDataset(ctx context.Context, cfg *Config, dir string) error {
	final := filepath.Join(dir, "mend.db")
	if err := copyFile(final, filepath.Join(dir, plainName)); err != nil {
		return err
	}
	db, err := database.Open(final, nil)
	if err != nil {
		return err
	}
	defer database.Close(db)
	closeKeys, err := openDatasetVault(ctx, dir, db)
	if err != nil {
		return err
	}
	defer closeKeys()
	n, err := sealInPlace(ctx, db)
	if err != nil {
		return err
	}
	if err := db.WithContext(ctx).Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error; err != nil {
		return fmt.Errorf("bench: checkpoint: %w", err)
	}
	cfg.logf("sealed %d values of the database in %s", n, dir)
	return nil
}
