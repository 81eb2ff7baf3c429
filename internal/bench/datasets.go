package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/mendhq/mend/migrations"
)

// buildDatasets makes the run's databases, in this order: the main one, the small one of the scale
// comparison and (when asked for) the big one. Couples are seeded through the services, cfg.Seeded at
// most per database in one shard per CPU; the rest of a database are keyed copies of those (the big one
// is copies of the main one), since seeding 20,000 couples through the services would take longer
// than the whole run may.
func buildDatasets(ctx context.Context, cfg *Config) ([]*Dataset, error) {
	now := time.Now()
	mainDS, err := dataset(ctx, cfg, cfg.Couples, now)
	if err != nil {
		return nil, err
	}
	small, err := dataset(ctx, cfg, cfg.ScaleSmall, now)
	if err != nil {
		return nil, err
	}
	out := []*Dataset{mainDS, small}
	if cfg.ScaleBig > 0 {
		big, err := copies(ctx, cfg, mainDS, max(2, cfg.ScaleBig/mainDS.Shape.Couples), now)
		if err != nil {
			return nil, err
		}
		out = append(out, big)
	}
	return out, nil
}

// dataset returns a database of about n couples.
func dataset(ctx context.Context, cfg *Config, n int, now time.Time) (*Dataset, error) {
	k := 1
	if cfg.Seeded > 0 && n > cfg.Seeded {
		k = (n + cfg.Seeded - 1) / cfg.Seeded
	}
	base, err := cachedOr(cfg, cfg.Shape(n/k), "", now, func(dir string, shape Shape) (*Dataset, error) {
		return seedSharded(ctx, cfg, dir, shape, now)
	})
	if err != nil || k == 1 {
		return base, err
	}
	return copies(ctx, cfg, base, k, now)
}

// copies returns a database of k keyed copies of src.
func copies(ctx context.Context, cfg *Config, src *Dataset, k int, now time.Time) (*Dataset, error) {
	shape := src.Shape
	shape.Couples = k * src.Shape.Couples
	return cachedOr(cfg, shape, fmt.Sprintf("-copies-of-%d", src.Seeded), now, func(dir string, shape Shape) (*Dataset, error) {
		return cloneDataset(ctx, cfg, dir, src, k)
	})
}

// seedSharded seeds shape into dir/mend.db in one shard per CPU at once, then merges the shards.
func seedSharded(ctx context.Context, cfg *Config, dir string, shape Shape, now time.Time) (*Dataset, error) {
	start := time.Now()
	shards := max(1, min(runtime.NumCPU(), shape.Couples/batchSize))
	cfg.logf("seeding %d couples through the services (%d shards)", shape.Couples, shards)
	parts := make([]*Dataset, shards)
	g, gctx := errgroup.WithContext(ctx)
	first := 0
	for i := range shards {
		sh := shape
		sh.Couples = shape.Couples / shards
		if i == shards-1 {
			sh.Couples = shape.Couples - first
		}
		from := first
		first += sh.Couples
		g.Go(func() error {
			ds, err := Seed(gctx, filepath.Join(dir, fmt.Sprintf("shard-%d.db", i)), sh, from, now, nil)
			parts[i] = ds
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	final := filepath.Join(dir, "mend.db")
	if err := os.Rename(parts[0].Path, final); err != nil {
		return nil, err
	}
	ds := &Dataset{Path: final, Shape: shape, Seeded: shape.Couples, Copies: 1, Couples: parts[0].Couples}
	for _, p := range parts[1:] {
		if err := copyRows(ctx, final, p.Path, ""); err != nil {
			return nil, err
		}
		ds.Couples = append(ds.Couples, p.Couples...)
	}
	if err := finish(ctx, dir); err != nil {
		return nil, err
	}
	if err := sealDataset(ctx, cfg, dir); err != nil {
		return nil, err
	}
	ds.Plain = filepath.Join(dir, plainName)
	ds.Took = time.Since(start)
	cfg.logf("seeded %d couples in %v", shape.Couples, ds.Took.Round(100*time.Millisecond))
	return ds, nil
}

// cloneDataset builds dir/mend.db from src and copies-1 keyed copies of it.
func cloneDataset(ctx context.Context, cfg *Config, dir string, src *Dataset, copies int) (*Dataset, error) {
	start := time.Now()
	cfg.logf("building %d couples from %d copies of the %d seeded ones", copies*src.Shape.Couples, copies, src.Shape.Couples)
	final := filepath.Join(dir, "mend.db")
	if err := copyFile(src.Plain, final); err != nil {
		return nil, err
	}
	shape := src.Shape
	shape.Couples = copies * src.Shape.Couples
	ds := &Dataset{Path: final, Shape: shape, Seeded: src.Seeded, Copies: copies * src.Copies, Couples: append([]Couple{}, src.Couples...)}
	for k := 1; k < copies; k++ {
		// Unique across levels too: the big database copies the main one, which may be copies itself.
		suffix := fmt.Sprintf("z%dk%d", src.Shape.Couples, k)
		if err := copyRows(ctx, final, src.Plain, suffix); err != nil {
			return nil, err
		}
		ds.Couples = append(ds.Couples, cloneCouples(src.Couples, suffix)...)
	}
	if err := finish(ctx, dir); err != nil {
		return nil, err
	}
	if err := sealDataset(ctx, cfg, dir); err != nil {
		return nil, err
	}
	ds.Plain = filepath.Join(dir, plainName)
	ds.Took = time.Since(start)
	cfg.logf("built %d couples in %v", shape.Couples, ds.Took.Round(100*time.Millisecond))
	return ds, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// cacheKey names a database by everything that decides its content.
func cacheKey(shape Shape, how string) string {
	migs, _ := fs.Glob(migrations.FS, "*.sql")
	var feats []string
	for _, f := range featureSeeders {
		feats = append(feats, f.name)
	}
	return fmt.Sprintf("c%d-w%d-a%dx%d-m%d-s%d-%s-sealed%s", shape.Couples, shape.Weeks, shape.Agreements, shape.Versions,
		shape.Moments, len(migs), strings.Join(append(feats, "base"), "+"), how)
}

// cachedOr returns the database of shape from cfg.Cache when it is still current, else builds it
// with build in a fresh directory (kept in the cache when there is one).
func cachedOr(cfg *Config, shape Shape, how string, now time.Time, build func(dir string, shape Shape) (*Dataset, error)) (*Dataset, error) {
	dir := filepath.Join(cfg.Dir, "db-"+cacheKey(shape, how))
	if cfg.Cache != "" {
		dir = filepath.Join(cfg.Cache, cacheKey(shape, how))
		if ds := loadCached(dir, shape, now); ds != nil {
			cfg.logf("using the database of %d couples kept in %s", shape.Couples, dir)
			return ds, nil
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	ds, err := build(dir, shape)
	if err != nil || cfg.Cache == "" {
		return ds, err
	}
	b, err := json.Marshal(cached{Dataset: ds, Seeded: now})
	if err != nil {
		return nil, err
	}
	return ds, os.WriteFile(filepath.Join(dir, "dataset.json"), b, 0o600)
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
	c.Dataset.Plain = filepath.Join(dir, plainName)
	c.Dataset.Took = 0
	return c.Dataset
}
