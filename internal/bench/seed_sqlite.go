package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/vault"
)

// Seed creates a migrated database at path (which must not hold data yet) and fills it through
// Mend's services with shape.Couples couples numbered from first (the number is in their emails).
// progress, when set, is called after each batch with the couples done so far.
func Seed(ctx context.Context, path string, shape Shape, first int, now time.Time, progress func(done int)) (*Dataset, error) {
	start := time.Now()
	db, err := database.Open(path, nil)
	if err != nil {
		return nil, err
	}
	defer database.Close(db)
	if err := database.Migrate(ctx, db); err != nil {
		return nil, err
	}
	// Seeded as plaintext, sealed once built (sealDataset).
	if err := vault.Attach(db, vault.Unsealed()); err != nil {
		return nil, err
	}
	// Seeding inserts random keys into every index: a page cache that holds the whole database keeps
	// each insert from reading its pages back (this reaches the one writer connection, which does all
	// the seeding).
	if err := db.WithContext(ctx).Exec("PRAGMA cache_size = -262144").Error; err != nil {
		return nil, err
	}
	ds, err := seedInto(ctx, db, shape, first, now, progress)
	if err != nil {
		return nil, err
	}
	ds.Path = path
	if err := db.WithContext(ctx).Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error; err != nil {
		return nil, fmt.Errorf("bench: checkpoint: %w", err)
	}
	if err := db.WithContext(ctx).Exec("ANALYZE").Error; err != nil {
		return nil, fmt.Errorf("bench: analyze: %w", err)
	}
	ds.Took = time.Since(start)
	return ds, nil
}
