package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/vault"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// open loads the configuration, prepares the data dir (SQLite only: an instance on PostgreSQL keeps
// nothing locally), opens, checks and migrates the database, then checks its migration step, and opens
// the key store, checking the master key against it. The key store's vault is attached to the
// database (vault.From); closeDB closes both.
func open(ctx context.Context, getenv func(string) string, log *slog.Logger) (config.Config, *gorm.DB, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return cfg, nil, err
	}
	if cfg.Engine() == config.EngineSQLite {
		if err := cfg.EnsureDataDir(); err != nil {
			return cfg, nil, err
		}
	}
	if err := cfg.LoadSecret(); err != nil {
		return cfg, nil, err
	}
	db, err := database.Connect(ctx, cfg, log)
	if err != nil {
		return cfg, nil, err
	}
	if err := database.Check(ctx, db); err != nil {
		closeDB(db)
		if cfg.Engine() == config.EngineSQLite {
			return cfg, nil, fmt.Errorf("refusing to start: %w (restore a backup; see README)", err)
		}
		return cfg, nil, fmt.Errorf("refusing to start: %w", err)
	}
	if log != nil {
		warnings, err := database.Warnings(ctx, db)
		if err != nil {
			closeDB(db)
			return cfg, nil, fmt.Errorf("refusing to start: %w", err)
		}
		for _, w := range warnings {
			log.Warn(w)
		}
	}
	if err := database.Migrate(ctx, db); err != nil {
		closeDB(db)
		return cfg, nil, err
	}
	if err := database.CheckVersion(ctx, db); err != nil {
		closeDB(db)
		return cfg, nil, fmt.Errorf("refusing to start: %w", err)
	}
	if err := attachVault(ctx, &cfg, db, log); err != nil {
		closeDB(db)
		return cfg, nil, err
	}
	return cfg, db, nil
}

// attachVault loads the master key, opens the key store, checks the key against it and attaches the
// vault to db.
func attachVault(ctx context.Context, cfg *config.Config, db *gorm.DB, log *slog.Logger) error {
	if err := cfg.LoadMasterKey(); err != nil {
		return err
	}
	store, closeStore, err := vault.OpenStore(ctx, *cfg, log)
	if err != nil {
		return err
	}
	if err := vault.Attach(db, vault.New(store)); err != nil {
		closeStore()
		return err
	}
	return nil
}

// closeDB closes db and the key store of its vault.
func closeDB(db *gorm.DB) error {
	var err error
	if v := vault.From(db); v != nil {
		err = database.Close(v.Store().DB())
	}
	return errors.Join(database.Close(db), err)
}

// pgDumpHelp is mend backup's answer on PostgreSQL, for the backup file dest.
func pgDumpHelp(dest string) error {
	return fmt.Errorf("mend backup copies SQLite databases only, and this Mend uses PostgreSQL (MEND_DATABASE_URL); "+
		"nothing was written. Back PostgreSQL up with its own tools, for example:\n"+
		"  pg_dump --format=custom --file=%[1]s \"$MEND_DATABASE_URL\"\n"+
		"and restore it into an empty database with:\n"+
		"  pg_restore --no-owner --dbname=\"$MEND_DATABASE_URL\" %[1]s\n"+
		"(or use your provider's point-in-time recovery)", dest)
}

func newLogger(w io.Writer, getenv func(string) string) *slog.Logger {
	level := slog.LevelInfo
	if cfg, err := config.Load(getenv); err == nil {
		level = cfg.LogLevel
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}

const serveHelp = `Usage: mend serve

Serves Mend on MEND_ADDR (default 127.0.0.1:8080) with data in MEND_DATA_DIR (default ./data), or
in PostgreSQL with MEND_DATABASE_URL=postgres://… (MEND_SECRET_KEY is then required, and nothing is
kept in MEND_DATA_DIR). Migrations run at start; a database that fails its start-up checks (SQLite's
integrity check; on PostgreSQL the server, the migration step and the role's rights) is refused.
With MEND_SMTP_URL and MEND_MAIL_FROM set, a background sender delivers the outbox every minute
(see mend notify --help); it stops with the server.
SIGTERM or Ctrl-C drains in-flight requests and exits 0.

Memory: the Go heap has a soft limit of 48 MiB unless GOMEMLIMIT is set (GOMEMLIMIT=off removes
it). glibc's MALLOC_ARENA_MAX caps the malloc arenas SQLite's memory comes from, if you need to.
`

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if wantsHelp(args, stdout, serveHelp) {
		return nil
	}
	memory := limitMemory(getenv)
	log := newLogger(stderr, getenv)
	cfg, db, err := open(ctx, getenv, log)
	if err != nil {
		return err
	}
	defer closeDB(db)
	cfg.Print(stdout)
	fmt.Fprintf(stdout, "  %s\n", memory)
	srv, err := server.New(server.Deps{Config: cfg, DB: db, Log: log})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	fmt.Fprintf(stdout, "Mend is running: open %s in your browser\n", cfg.BaseURL)
	log.Info("serving", "addr", ln.Addr().String())
	senderCtx, stopSender := context.WithCancel(ctx)
	waitSender := startSender(senderCtx, cfg, db, log)
	err = srv.Serve(ctx, ln)
	stopSender()
	waitSender()
	if err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

func cmdMigrate(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if wantsHelp(args, stdout, "Usage: mend migrate\n\nApplies every pending database migration, on SQLite or PostgreSQL (MEND_DATABASE_URL), runs the start-up checks and exits.\n") {
		return nil
	}
	_, db, err := open(ctx, getenv, nil)
	if err != nil {
		return err
	}
	defer closeDB(db)
	fmt.Fprintln(stdout, "database is up to date")
	return nil
}

func cmdBackup(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	help := "Usage: mend backup FILE\n\nWrites a consistent copy of the live SQLite database to FILE (mode 0600). Safe while Mend is serving.\n" +
		"The key store (keys/keys.db) and the master key are not in it, on purpose: back them up apart (see README,\n" +
		"Encryption at rest).\n" +
		"The copy is written beside FILE as FILE.tmp-N, mode 0600 from the start, and renamed when complete;\n" +
		"a FILE.tmp-N (and its journal) left by an interrupted backup is removed.\n" +
		"On PostgreSQL it prints how to use pg_dump instead, and fails.\n"
	if wantsHelp(args, stdout, help) {
		return nil
	}
	if len(args) != 1 {
		fmt.Fprint(stdout, help)
		return errUsage
	}
	if cfg, err := config.Load(getenv); err == nil && cfg.Engine() == config.EnginePostgres {
		return pgDumpHelp(args[0])
	}
	_, db, err := open(ctx, getenv, nil)
	if err != nil {
		return err
	}
	defer closeDB(db)
	if err := database.Backup(ctx, db, args[0]); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s\n", args[0])
	return nil
}

func cmdUser(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	help := "Usage: mend user reset-password EMAIL\n\nPrints a single-use link, valid 30 minutes, that sets a new password and signs out every session.\n"
	if wantsHelp(args, stdout, help) {
		return nil
	}
	if len(args) != 2 || args[0] != "reset-password" {
		fmt.Fprint(stdout, help)
		return errUsage
	}
	cfg, db, err := open(ctx, getenv, nil)
	if err != nil {
		return err
	}
	defer closeDB(db)
	plain, err := account.NewService(db, account.Options{}).CreateResetToken(ctx, args[1])
	if err != nil {
		return fmt.Errorf("no account with that email")
	}
	fmt.Fprintf(stdout, "%s/reset/%s\n", cfg.BaseURL, plain)
	fmt.Fprintln(stdout, "This link works once, for 30 minutes. Give it only to the account's owner.")
	return nil
}

func cmdHealthcheck(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if wantsHelp(args, stdout, "Usage: mend healthcheck\n\nExits 0 when the server on MEND_ADDR answers /healthz.\n") {
		return nil
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	host, port, _ := net.SplitHostPort(cfg.Addr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	u := url.URL{Scheme: "http", Host: net.JoinHostPort(host, port), Path: "/healthz"}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return errors.New("healthcheck: status " + resp.Status)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}

func cmdVersion(args []string, stdout io.Writer) error {
	if wantsHelp(args, stdout, "Usage: mend version\n\nPrints the version and the Go version it was built with.\n") {
		return nil
	}
	v := version
	goVer := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		goVer = bi.GoVersion
		if v == "dev" {
			for _, s := range bi.Settings {
				if s.Key == "vcs.revision" && len(s.Value) >= 12 {
					v = "dev-" + s.Value[:12]
				}
			}
		}
	}
	fmt.Fprintf(stdout, "mend %s (%s)\n", v, strings.TrimSpace(goVer))
	return nil
}
