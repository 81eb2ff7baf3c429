package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
)

const copyDataHelp = `Usage: mend copy-data --to postgres://…

Copies this SQLite instance (the database in MEND_DATA_DIR, or MEND_DATABASE_URL=sqlite:PATH) into an
empty PostgreSQL database that mend migrate has prepared: how an instance moves to PostgreSQL.

Stop every Mend process that uses the SQLite database first: copy-data refuses while one has it open,
and no Mend starts on it while the copy runs. The SQLite database is checked (as at start-up), then read
in one transaction and never changed. Tables are copied in foreign-key order, one PostgreSQL transaction
each, and each is compared by row count and checksum before it commits. The target must be at the same
migration step as the source and hold no rows; if anything fails, the target is left empty again (if
copy-data itself is killed, drop and create the target, migrate it and copy again).

Moving an instance:
  1. stop Mend
  2. MEND_DATABASE_URL=postgres://… MEND_SECRET_KEY=… mend migrate
  3. mend copy-data --to postgres://…
  4. start Mend with MEND_DATABASE_URL=postgres://… and MEND_SECRET_KEY set to the key in the data dir's
     secret.key, so people stay signed in
`

func cmdCopyData(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if wantsHelp(args, stdout, copyDataHelp) {
		return nil
	}
	to, err := copyTarget(args)
	if err != nil {
		fmt.Fprint(stdout, copyDataHelp)
		return err
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	if cfg.Engine() != config.EngineSQLite {
		return fmt.Errorf("mend copy-data copies from SQLite, and MEND_DATABASE_URL names PostgreSQL: unset it (or set " +
			"sqlite:PATH) so copy-data finds the SQLite instance, and name the PostgreSQL database with --to")
	}
	src, err := database.OpenStopped(cfg.DatabasePath(), nil)
	if err != nil {
		return err
	}
	defer database.Close(src)
	if err := database.Check(ctx, src); err != nil {
		return fmt.Errorf("refusing to copy: %w (restore a backup; see README)", err)
	}
	dst, err := database.OpenPostgres(ctx, to, nil)
	if err != nil {
		return fmt.Errorf("--to: %w", err)
	}
	defer database.Close(dst)
	if err := database.Check(ctx, dst); err != nil {
		return fmt.Errorf("refusing to copy: %w", err)
	}
	target := config.RedactURL(to)
	fmt.Fprintf(stdout, "Copying sqlite:%s to %s\n", cfg.DatabasePath(), target)
	_, err = database.CopyToPostgres(ctx, src, dst, func(c database.CopiedTable) {
		rows := "rows"
		if c.Rows == 1 {
			rows = "row"
		}
		fmt.Fprintf(stdout, "  %s: %d %s, checksum %s\n", c.Name, c.Rows, rows, c.Checksum)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Copied and checked. Start Mend with MEND_DATABASE_URL=%s and MEND_SECRET_KEY set to the key in %s "+
		"(the same on every instance), so people stay signed in. The SQLite database is unchanged: keep it as a backup.\n",
		target, filepath.Join(cfg.DataDir, "secret.key"))
	return nil
}

// copyTarget returns the URL of --to URL or --to=URL, which must name PostgreSQL.
func copyTarget(args []string) (string, error) {
	var to string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--to" && i+1 < len(args):
			to = args[i+1]
			i++
		case strings.HasPrefix(a, "--to="):
			to = strings.TrimPrefix(a, "--to=")
		default:
			return "", fmt.Errorf("mend copy-data: unexpected %q: %w", a, errUsage)
		}
	}
	if to == "" {
		return "", fmt.Errorf("mend copy-data needs --to postgres://… (the PostgreSQL database to copy into): %w", errUsage)
	}
	if (config.Config{DatabaseURL: to}).Engine() != config.EnginePostgres {
		return "", fmt.Errorf("mend copy-data --to takes a postgres:// URL: %w", errUsage)
	}
	return to, nil
}
