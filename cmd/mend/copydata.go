package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/vault"
)

const copyDataHelp = `Usage: mend copy-data --to postgres://… [--keys-to postgres://…]

Copies this SQLite instance (the database in MEND_DATA_DIR, or MEND_DATABASE_URL=sqlite:PATH) into an
empty PostgreSQL database that mend migrate has prepared: how an instance moves to PostgreSQL.

Stop every Mend process that uses the SQLite database first: copy-data refuses while one has it open,
and no Mend starts on it while the copy runs. The SQLite database is checked (as at start-up), then read
in one transaction and never changed. Tables are copied in foreign-key order, one PostgreSQL transaction
each, and each is compared by row count and checksum before it commits. The target must be at the same
migration step as the source and hold no rows; if anything fails, the target is left empty again (if
copy-data itself is killed, drop and create the target, migrate it and copy again).

With --keys-to it also copies the key store (keys/keys.db, the wrapped data keys of encryption at rest)
into that empty PostgreSQL database, the one MEND_KEYSTORE_URL will name; it is required once the key
store holds a data key, and checked before anything is copied.

Moving an instance:
  1. stop Mend
  2. MEND_DATABASE_URL=postgres://… MEND_SECRET_KEY=… MEND_MASTER_KEY=… MEND_KEYSTORE_URL=… mend migrate
  3. mend copy-data --to postgres://… --keys-to postgres://…
  4. start Mend with MEND_DATABASE_URL and MEND_KEYSTORE_URL set to those databases, MEND_SECRET_KEY to
     the key in the data dir's secret.key (so people stay signed in) and MEND_MASTER_KEY to the key in
     keys/master.key (or the MEND_MASTER_KEY the instance had)
`

func cmdCopyData(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if wantsHelp(args, stdout, copyDataHelp) {
		return nil
	}
	to, keysTo, err := copyTarget(args)
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
	keys, err := keyStoreToCopy(ctx, cfg, keysTo)
	if err != nil {
		return err
	}
	if keys != nil {
		defer database.Close(keys)
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
	if keys != nil {
		if err := copyKeyStore(ctx, keys, keysTo, stdout); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "Copied and checked. Start Mend with MEND_DATABASE_URL=%s and MEND_SECRET_KEY set to the key in %s "+
		"(the same on every instance), so people stay signed in. The SQLite database is unchanged: keep it as a backup.\n",
		target, filepath.Join(cfg.DataDir, "secret.key"))
	return nil
}

// copyTarget returns the URLs of --to URL (or --to=URL) and --keys-to URL, which must name PostgreSQL.
func copyTarget(args []string) (to, keysTo string, err error) {
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--to" && i+1 < len(args):
			to = args[i+1]
			i++
		case strings.HasPrefix(a, "--to="):
			to = strings.TrimPrefix(a, "--to=")
		case a == "--keys-to" && i+1 < len(args):
			keysTo = args[i+1]
			i++
		case strings.HasPrefix(a, "--keys-to="):
			keysTo = strings.TrimPrefix(a, "--keys-to=")
		default:
			return "", "", fmt.Errorf("mend copy-data: unexpected %q: %w", a, errUsage)
		}
	}
	if to == "" {
		return "", "", fmt.Errorf("mend copy-data needs --to postgres://… (the PostgreSQL database to copy into): %w", errUsage)
	}
	if (config.Config{DatabaseURL: to}).Engine() != config.EnginePostgres {
		return "", "", fmt.Errorf("mend copy-data --to takes a postgres:// URL: %w", errUsage)
	}
	if keysTo != "" && (config.Config{DatabaseURL: keysTo}).Engine() != config.EnginePostgres {
		return "", "", fmt.Errorf("mend copy-data --keys-to takes a postgres:// URL: %w", errUsage)
	}
	if keysTo != "" && keysTo == to {
		return "", "", fmt.Errorf("mend copy-data: --keys-to must be a database of its own, not the --to database: %w", errUsage)
	}
	return to, keysTo, nil
}

// keyStoreToCopy opens the instance's key store (held exclusively while copy-data runs) when there is
// one to copy: nil when keysTo is empty and the key store holds no data key, an error when it holds
// some and keysTo is empty.
func keyStoreToCopy(ctx context.Context, cfg config.Config, keysTo string) (*gorm.DB, error) {
	if _, err := os.Stat(cfg.KeyStorePath()); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	keys, err := database.OpenStopped(cfg.KeyStorePath(), nil)
	if err != nil {
		return nil, fmt.Errorf("key store: %w", err)
	}
	n, err := vault.DataKeys(ctx, keys)
	if err == nil && n > 0 && keysTo == "" {
		err = fmt.Errorf("mend copy-data: this instance's key store (%s) holds %d data keys, and its encrypted text "+
			"cannot be read without them: name an empty PostgreSQL database for them with --keys-to postgres://… "+
			"(the database MEND_KEYSTORE_URL will name); nothing was copied", cfg.KeyStorePath(), n)
	}
	if err != nil || keysTo == "" {
		database.Close(keys)
		return nil, err
	}
	return keys, nil
}

// copyKeyStore copies the key store keys into the PostgreSQL database keysTo.
func copyKeyStore(ctx context.Context, keys *gorm.DB, keysTo string, stdout io.Writer) error {
	dst, err := database.OpenPostgres(ctx, keysTo, nil)
	if err != nil {
		return fmt.Errorf("--keys-to: %s", strings.ReplaceAll(err.Error(), "MEND_DATABASE_URL", "--keys-to"))
	}
	defer database.Close(dst)
	n, err := vault.CopyStore(ctx, keys, dst)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "  key store: %d data keys, to %s: set MEND_KEYSTORE_URL to it and MEND_MASTER_KEY to this "+
		"instance's master key (the content of keys/master.key, or the MEND_MASTER_KEY it had)\n", n, config.RedactURL(keysTo))
	return nil
}
