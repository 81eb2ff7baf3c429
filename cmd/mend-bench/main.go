// Command mend-bench measures Mend under load against a bare Fiber + GORM ceiling on the same engine
// (SQLite, or PostgreSQL with -engine postgres), counts the hot paths' allocations per request
// in-process, and prints the figures and issue 21's goals, each met or not against that engine's own
// ceiling measured in the same run. Run it from the repository: go run ./cmd/mend-bench
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/mendhq/mend/internal/bench"
	"github.com/mendhq/mend/internal/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "mend-bench:", err)
		}
		os.Exit(1)
	}
}

const usage = `Usage: mend-bench [flags]          run the benchmark and print the report
       mend-bench ceiling -addr A -db F   serve the ceiling (the benchmark starts it itself)

Seeds databases through Mend's services, builds and starts mend serve on 127.0.0.1, signs a pool of
users in, drives each scenario with vegeta and compares every figure with a bare Fiber + GORM server
on the same engine, measured in the same run. Last, it seeds one more couple and counts the heap
allocations per request of the dashboard, /progress and the check-in read in this process, straight to
Mend's handler, as TestHotPathAllocationsWithinBudget does. Progress goes to standard error; the report
to standard output: the scenarios, the other measures, and the goals, each "met" or "NOT MET" with its
figure (or "not measured", or "measured outside mend-bench" for the PocketBase comparisons), under a
line naming the engine.

With -engine postgres, the databases are seeded on SQLite as always, then each is copied into a new
database on the PostgreSQL server of -postgres-url (default: MEND_DATABASE_URL) as mend copy-data
copies them; mend serve and the ceiling run on those, and they are dropped at the end. The URL's role
needs CREATEDB, e.g. docker run -d -p 5432:5432 -e POSTGRES_PASSWORD=bench postgres:17 and
-postgres-url postgres://postgres:bench@127.0.0.1:5432/postgres?sslmode=disable

Flags:
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "ceiling" {
		return runCeiling(ctx, args[1:], stderr)
	}
	fs := flag.NewFlagSet("mend-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	couples := fs.Int("couples", 2000, "couples in the main database")
	seeded := fs.Int("seeded", 400, "the most couples of one database seeded through the services; the rest are keyed copies of them (0: all)")
	small := fs.Int("scale-small", 200, "couples in the small database of the scale comparison")
	big := fs.Int("scale-big", 20000, "couples in the big database of the scale comparison")
	skipBig := fs.Bool("skip-big", false, "skip the scale comparison (a quick run)")
	duration := fs.Duration("duration", 8*time.Second, "how long each measurement runs")
	conns := fs.Int("conns", 64, "connections for the full-speed measurements")
	rate := fs.Int("rate", 1000, "requests a second for the fixed-rate measurements")
	pool := fs.Int("pool", 32, "couples signed in (two sessions each) that the load is spread over")
	markdown := fs.String("markdown", "", "also write the report as Markdown to this file, under a heading naming the engine")
	mendBin := fs.String("mend", "", "a built mend binary (default: build ./cmd/mend as the Dockerfile does)")
	cache := fs.String("cache", "", "keep seeded databases in this directory and reuse them while still current")
	engine := fs.String("engine", config.EngineSQLite, "the engine Mend and the ceiling run on: sqlite or postgres")
	pgURL := fs.String("postgres-url", os.Getenv("MEND_DATABASE_URL"), "with -engine postgres: a postgres:// URL whose role may create databases (default: MEND_DATABASE_URL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *engine != config.EngineSQLite && *engine != config.EnginePostgres {
		return fmt.Errorf("-engine %q: want %s or %s", *engine, config.EngineSQLite, config.EnginePostgres)
	}
	var pg *bench.PostgresServer
	if *engine == config.EnginePostgres {
		var err error
		if pg, err = bench.NewPostgresServer(ctx, *pgURL); err != nil {
			return err
		}
		defer pg.Close(context.WithoutCancel(ctx))
	}
	dir, err := os.MkdirTemp("", "mend-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if *mendBin == "" {
		fmt.Fprintln(stderr, "building mend")
		if *mendBin, err = buildMend(ctx, dir); err != nil {
			return err
		}
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cfg := bench.Config{
		Engine: *engine, Mend: *mendBin, Dir: dir, Cache: *cache, Couples: *couples, ScaleSmall: *small, ScaleBig: *big, Seeded: *seeded,
		Shape: bench.DefaultShape, Duration: *duration, Conns: *conns, Rate: *rate, PoolCouples: *pool,
		CeilingRows: bench.DefaultCeilingRows, Log: stderr,
		Ceiling: func(addr, path string, rows int) *exec.Cmd {
			return exec.Command(self, "ceiling", "-addr", addr, "-db", path, "-rows", strconv.Itoa(rows))
		},
	}
	if pg != nil {
		cfg.NewPostgres = pg.Create
	}
	if *skipBig {
		cfg.ScaleBig = 0
	}
	rep, err := bench.Run(ctx, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	rep.Print(stdout)
	if *markdown != "" {
		var b strings.Builder
		rep.Markdown(&b)
		if err := os.WriteFile(*markdown, []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// buildMend builds cmd/mend of the module in the working directory into dir, with the Dockerfile's flags.
func buildMend(ctx context.Context, dir string) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	mod := strings.TrimSpace(string(out))
	if err != nil || mod == "" || mod == os.DevNull {
		return "", errors.New("run mend-bench inside the Mend repository, or pass -mend")
	}
	bin := filepath.Join(dir, "mend")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", bin, "./cmd/mend")
	cmd.Dir = filepath.Dir(mod)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/mend: %v\n%s", err, out)
	}
	return bin, nil
}

func runCeiling(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("mend-bench ceiling", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8089", "address to serve on")
	db := fs.String("db", "ceiling.db", "database file, or a postgres:// URL")
	rows := fs.Int("rows", bench.DefaultCeilingRows, "rows the table starts with")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return bench.ServeCeiling(ctx, *addr, *db, *rows)
}
