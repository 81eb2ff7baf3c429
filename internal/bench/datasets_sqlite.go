package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mendhq/mend/internal/database"
)

// finish analyses dir/mend.db, checkpoints it and removes the shards.
func finish(ctx context.Context, dir string) error {
	db, err := database.Open(filepath.Join(dir, "mend.db"), nil)
	if err != nil {
		return err
	}
	defer database.Close(db)
	for _, q := range []string{"ANALYZE", "PRAGMA wal_checkpoint(TRUNCATE)"} {
		if err := db.WithContext(ctx).Exec(q).Error; err != nil {
			return fmt.Errorf("bench: %s: %w", q, err)
		}
	}
	shards, _ := filepath.Glob(filepath.Join(dir, "shard-*"))
	for _, s := range shards {
		os.Remove(s)
	}
	return nil
}
