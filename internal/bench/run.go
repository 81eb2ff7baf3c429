package bench

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	"github.com/mendhq/mend/internal/config"
)

// Config is one benchmark run.
type Config struct {
	// Engine is the engine Mend and the ceiling run on: config.EngineSQLite (also when empty) or
	// config.EnginePostgres.
	Engine string
	// NewPostgres returns the URL of a new, empty PostgreSQL database for the database of the run that
	// name says (main, small, big, empty, ceiling); it is needed on PostgreSQL only.
	NewPostgres func(ctx context.Context, name string) (string, error)
	// Mend is the path of a built mend binary.
	Mend string
	// Ceiling returns the command that serves the ceiling (ServeCeiling) on addr over the database at
	// path (an SQLite file, or on PostgreSQL the URL of an empty database) with CeilingRows rows.
	Ceiling     func(addr, path string, rows int) *exec.Cmd
	CeilingRows int
	// Dir holds the databases and logs; Cache, when set, keeps seeded databases between runs.
	Dir   string
	Cache string
	// Couples is the size of the main database; ScaleSmall and ScaleBig are the two sizes the
	// dashboard's p99 is compared at (ScaleBig 0 skips the comparison).
	Couples              int
	ScaleSmall, ScaleBig int
	// Seeded is the most couples seeded through the services for one database (0: no limit); the rest
	// are keyed copies of them.
	Seeded int
	// Shape gives the history of a database of n couples.
	Shape    func(n int) Shape
	Duration time.Duration
	Conns    int
	Rate     int
	// PoolCouples is how many couples (two sessions each) the load is spread over.
	PoolCouples int
	Log         io.Writer
}

// Report is everything one run measured.
type Report struct {
	Machine    string
	Engine     string
	Config     Config
	BinarySize int64
	// StartUp is the time to the first /healthz answer on the main database; StartUpEmpty on a freshly
	// migrated empty one.
	StartUp, StartUpEmpty time.Duration
	IdleRSS               int64
	Seeds                 []*Dataset
	Ceiling               map[string]*Result
	Mend                  []*Result
	Scale                 []ScalePoint
	Page                  PageWeight
	// Allocs are the hot paths' heap allocations per request, counted in-process on a couple of the
	// run's shape (as TestHotPathAllocationsWithinBudget counts them).
	Allocs []Allocs
	// SealCost is what encryption at rest costs each hot path, measured in-process with the
	// allocation counts.
	SealCost []SealCost
	Took     time.Duration
}

// Result is one scenario's two measurements: as fast as Conns connections go, and at a fixed Rate.
type Result struct {
	Scenario *Scenario
	Max      *Measurement
	Fixed    *Measurement
}

// ScalePoint is the dashboard's p99 at Rate requests a second on a database of Couples couples.
type ScalePoint struct {
	Couples int
	Rate    int
	P99     time.Duration
	Errors  int
}

// lockedWriter serialises writes from the run's goroutines (seeding runs two at once).
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (c *Config) logf(format string, args ...any) {
	if c.Log != nil {
		fmt.Fprintf(c.Log, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
	}
}

// Run seeds the databases, measures the ceiling and Mend and returns the report.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	start := time.Now()
	if cfg.Log != nil {
		cfg.Log = &lockedWriter{w: cfg.Log}
	}
	switch cfg.Engine {
	case "":
		cfg.Engine = config.EngineSQLite
	case config.EngineSQLite:
	case config.EnginePostgres:
		if cfg.NewPostgres == nil {
			return nil, errors.New("bench: PostgreSQL runs need Config.NewPostgres")
		}
	default:
		return nil, fmt.Errorf("bench: unknown engine %q (want %s or %s)", cfg.Engine, config.EngineSQLite, config.EnginePostgres)
	}
	rep := &Report{Machine: machine(), Engine: cfg.Engine, Config: cfg, Ceiling: map[string]*Result{}}
	if st, err := os.Stat(cfg.Mend); err == nil {
		rep.BinarySize = st.Size()
	} else {
		return nil, err
	}
	seeds, err := buildDatasets(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	if cfg.postgres() {
		for i, ds := range seeds {
			if err := toPostgres(ctx, &cfg, ds, []string{"main", "small", "big"}[i]); err != nil {
				return nil, err
			}
		}
	}
	rep.Seeds = seeds
	if rep.StartUpEmpty, err = startUpEmpty(ctx, &cfg); err != nil {
		return nil, err
	}
	if err := runCeiling(ctx, &cfg, rep); err != nil {
		return nil, err
	}
	if err := runMend(ctx, &cfg, rep, seeds[0]); err != nil {
		return nil, err
	}
	// The scale comparison runs below saturation, so it compares the work per request and not the
	// length of a queue: at the fixed rate, or half the dashboard's full-speed throughput if lower.
	scaleRate := cfg.Rate
	if d := rep.result("dashboard"); d != nil {
		scaleRate = max(1, min(cfg.Rate, int(d.Max.RPS/2)))
	}
	for _, ds := range seeds[1:] {
		pt, err := runScale(ctx, &cfg, ds, scaleRate)
		if err != nil {
			return nil, err
		}
		rep.Scale = append(rep.Scale, pt)
	}
	// Last, when no load runs: the counts are of every allocation in this process.
	cfg.logf("counting allocations per request in-process")
	if rep.Allocs, rep.SealCost, err = measureAllocs(ctx, &cfg); err != nil {
		return nil, err
	}
	rep.Took = time.Since(start)
	return rep, nil
}

// secretKey is the key every Mend process of the run shares, so sessions signed in by one process
// are valid in the next.
var secretKey = func() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}()

func (c *Config) postgres() bool { return c.Engine == config.EnginePostgres }

// masterKey is the master key (MEND_MASTER_KEY) of a PostgreSQL run's mend processes over a database
// without a key store of its own (the empty one of the start-up).
var masterKey = func() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}()

// store is where a mend process keeps its data: the data dir, and on PostgreSQL the database's URL
// and the key store's.
type store struct{ dir, url, keys, master string }

func (ds *Dataset) store() store {
	return store{dir: filepath.Dir(ds.Path), url: ds.URL, keys: ds.KeysURL, master: ds.MasterKey}
}

// env is the environment of a mend process over st.
func (st store) env(more ...string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "MEND_DATA_DIR=" + st.dir, "MEND_SECRET_KEY=" + secretKey}
	if st.url != "" {
		master := st.master
		if master == "" {
			master = masterKey
		}
		env = append(env, "MEND_DATABASE_URL="+st.url, "MEND_KEYSTORE_URL="+st.keys, "MEND_MASTER_KEY="+master)
	}
	return append(env, more...)
}

// startMend starts `mend serve` over st.
func startMend(ctx context.Context, cfg *Config, st store, name string) (*Process, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(cfg.Mend, "serve")
	cmd.Env = st.env("MEND_ADDR="+addr, "MEND_TRUSTED_PROXIES=127.0.0.1", "MEND_LOG_LEVEL=info")
	return startProcess(ctx, name, cmd, addr, filepath.Join(cfg.Dir, name+".log"))
}

// serveSignedIn signs a pool in through one mend process, stops it and starts the one that is
// measured, so the measured process has not paid for the sign-ins' argon2id hashing (19 MiB each).
func serveSignedIn(ctx context.Context, cfg *Config, ds *Dataset, name string) (*Process, *Pool, error) {
	p, err := startMend(ctx, cfg, ds.store(), name+"-signin")
	if err != nil {
		return nil, nil, err
	}
	pool, err := signInPool(ctx, p.URL, ds, cfg.PoolCouples, time.Now())
	p.Stop()
	if err != nil {
		return nil, nil, err
	}
	p, err = startMend(ctx, cfg, ds.store(), name)
	if err != nil {
		return nil, nil, err
	}
	return p, pool, nil
}

// startUpEmpty measures the start-up of mend on a freshly migrated, empty database.
func startUpEmpty(ctx context.Context, cfg *Config) (time.Duration, error) {
	st := store{dir: filepath.Join(cfg.Dir, "empty")}
	if cfg.postgres() {
		var err error
		if st.url, err = cfg.NewPostgres(ctx, "empty"); err != nil {
			return 0, fmt.Errorf("bench: a PostgreSQL database for the empty start-up: %w", err)
		}
		if st.keys, err = cfg.NewPostgres(ctx, "empty keys"); err != nil {
			return 0, fmt.Errorf("bench: a PostgreSQL key store for the empty start-up: %w", err)
		}
	}
	cmd := exec.CommandContext(ctx, cfg.Mend, "migrate")
	cmd.Env = st.env()
	if out, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("bench: mend migrate: %v: %s", err, out)
	}
	return bestStartUp(ctx, cfg, st, "mend-empty")
}

// bestStartUp starts and stops mend three times over st and returns the fastest start-up.
func bestStartUp(ctx context.Context, cfg *Config, st store, name string) (time.Duration, error) {
	best := time.Duration(0)
	for i := 0; i < 3; i++ {
		p, err := startMend(ctx, cfg, st, name)
		if err != nil {
			return 0, err
		}
		p.Stop()
		if best == 0 || p.StartUp < best {
			best = p.StartUp
		}
	}
	return best, nil
}

// runBoth measures sc at full speed over cfg.Conns connections, then at the fixed rate.
func runBoth(ctx context.Context, cfg *Config, p *Process, env *targetEnv, sc *Scenario) (*Result, error) {
	r := &Result{Scenario: sc}
	var err error
	if r.Max, err = measure(ctx, p, env, sc, Load{Conns: cfg.Conns, Duration: cfg.Duration}); err != nil {
		return nil, err
	}
	if r.Max.RPS < float64(cfg.Rate) {
		r.Fixed = &Measurement{Load: Load{Rate: cfg.Rate, Conns: cfg.Conns}, Overloaded: true, RPS: r.Max.RPS}
	} else if r.Fixed, err = measure(ctx, p, env, sc, Load{Rate: cfg.Rate, Conns: cfg.Conns, Duration: cfg.Duration}); err != nil {
		return nil, err
	}
	cfg.logf("%-32s %8.0f req/s  p99 %v at %d/s  errors %d", sc.Name, r.Max.RPS, r.Fixed.P99.Round(10*time.Microsecond), cfg.Rate, r.Max.Errors+r.Fixed.Errors)
	return r, nil
}

func runCeiling(ctx context.Context, cfg *Config, rep *Report) error {
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	dir := filepath.Join(cfg.Dir, "ceiling")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	where := filepath.Join(dir, "ceiling.db")
	if cfg.postgres() {
		if where, err = cfg.NewPostgres(ctx, "ceiling"); err != nil {
			return fmt.Errorf("bench: a PostgreSQL database for the ceiling: %w", err)
		}
	}
	p, err := startProcess(ctx, "ceiling", cfg.Ceiling(addr, where, cfg.CeilingRows), addr, filepath.Join(cfg.Dir, "ceiling.log"))
	if err != nil {
		return err
	}
	defer p.Stop()
	for i := range ceilingScenarios {
		r, err := runBoth(ctx, cfg, p, &targetEnv{base: p.URL, rows: cfg.CeilingRows}, &ceilingScenarios[i])
		if err != nil {
			return err
		}
		rep.Ceiling[r.Scenario.Key] = r
	}
	return nil
}

func runMend(ctx context.Context, cfg *Config, rep *Report, ds *Dataset) error {
	var err error
	if rep.StartUp, err = bestStartUp(ctx, cfg, ds.store(), "mend-startup"); err != nil {
		return err
	}
	p, pool, err := serveSignedIn(ctx, cfg, ds, "mend")
	if err != nil {
		return err
	}
	defer p.Stop()
	time.Sleep(time.Second)
	if rep.IdleRSS, _, err = p.RSS(); err != nil {
		return err
	}
	if rep.Page, err = pageWeight(ctx, p.URL, pool.Sessions[0]); err != nil {
		return err
	}
	for i := range Scenarios {
		r, err := runBoth(ctx, cfg, p, &targetEnv{base: p.URL, pool: pool}, &Scenarios[i])
		if err != nil {
			return err
		}
		rep.Mend = append(rep.Mend, r)
	}
	return nil
}

func runScale(ctx context.Context, cfg *Config, ds *Dataset, rate int) (ScalePoint, error) {
	p, pool, err := serveSignedIn(ctx, cfg, ds, fmt.Sprintf("mend-%d", ds.Shape.Couples))
	if err != nil {
		return ScalePoint{}, err
	}
	defer p.Stop()
	m, err := measure(ctx, p, &targetEnv{base: p.URL, pool: pool}, scenario("dashboard"), Load{Rate: rate, Conns: cfg.Conns, Duration: cfg.Duration})
	if err != nil {
		return ScalePoint{}, err
	}
	cfg.logf("dashboard on %d couples: p99 %v at %d/s", ds.Shape.Couples, m.P99, rate)
	return ScalePoint{Couples: ds.Shape.Couples, Rate: rate, P99: m.P99, Errors: m.Errors}, nil
}
