package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/mendhq/mend/migrations"
)

// seedAll seeds one database per size; the largest is seeded beside the others, since each database
// has its own writer. With cfg.Cache set, a database seeded earlier with the same shape, schema and
// current weeks is used again.
func seedAll(ctx context.Context, cfg *Config, sizes []int) ([]*Dataset, error) {
	out := make([]*Dataset, len(sizes))
	big := 0
	for i, n := range sizes {
		if n > sizes[big] {
			big = i
		}
	}
	g, ctx := errgroup.WithContext(ctx)
	run := func(idx ...int) {
		g.Go(func() error {
			for _, i := range idx {
				ds, err := seedOne(ctx, cfg, cfg.Shape(sizes[i]))
				if err != nil {
					return err
				}
				out[i] = ds
			}
			return nil
		})
	}
	var rest []int
	for i := range sizes {
		if i != big {
			rest = append(rest, i)
		}
	}
	run(big)
	run(rest...)
	return out, g.Wait()
}

// cacheKey names a seeded database by everything that decides its content.
func cacheKey(shape Shape) string {
	migs, _ := fs.Glob(migrations.FS, "*.sql")
	var feats []string
	for _, f := range featureSeeders {
		feats = append(feats, f.name)
	}
	return fmt.Sprintf("c%d-w%d-a%dx%d-m%d-s%d-%s", shape.Couples, shape.Weeks, shape.Agreements, shape.Versions,
		shape.Moments, len(migs), strings.Join(append(feats, "base"), "+"))
}

func seedOne(ctx context.Context, cfg *Config, shape Shape) (*Dataset, error) {
	now := time.Now()
	dir := filepath.Join(cfg.Dir, fmt.Sprintf("db-%d", shape.Couples))
	if cfg.Cache != "" {
		dir = filepath.Join(cfg.Cache, cacheKey(shape))
		if ds := loadCached(dir, shape, now); ds != nil {
			cfg.logf("using the seeded database of %d couples in %s", shape.Couples, dir)
			return ds, nil
		}
		if err := os.RemoveAll(dir); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	cfg.logf("seeding %d couples", shape.Couples)
	step := max(shape.Couples/10, batchSize)
	ds, err := Seed(ctx, filepath.Join(dir, "mend.db"), shape, now, func(done int) {
		if done%step == 0 && done < shape.Couples {
			cfg.logf("  %d of %d couples seeded", done, shape.Couples)
		}
	})
	if err != nil {
		return nil, err
	}
	cfg.logf("seeded %d couples in %v", shape.Couples, ds.Took.Round(100*time.Millisecond))
	if cfg.Cache != "" {
		b, err := json.Marshal(cached{Dataset: ds, Seeded: now})
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, "dataset.json"), b, 0o600); err != nil {
			return nil, err
		}
	}
	return ds, nil
}

// cached is what is kept beside a cached database.
type cached struct {
	Dataset *Dataset
	Seeded  time.Time
}

// loadCached returns the dataset cached in dir if it is still usable now: same shape, and every
// zone still in the week it was seeded in (so the seeded weeks are still the past ones).
func loadCached(dir string, shape Shape, now time.Time) *Dataset {
	b, err := os.ReadFile(filepath.Join(dir, "dataset.json"))
	if err != nil {
		return nil
	}
	var c cached
	if json.Unmarshal(b, &c) != nil || c.Dataset == nil || c.Dataset.Shape != shape {
		return nil
	}
	for _, z := range zones {
		w1, _ := weeksOf(z, 0, c.Seeded)
		w2, _ := weeksOf(z, 0, now)
		if w1 != w2 {
			return nil
		}
	}
	c.Dataset.Path = filepath.Join(dir, "mend.db")
	c.Dataset.Took = 0
	return c.Dataset
}
