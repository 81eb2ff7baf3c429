package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/vault"
)

const keysHelp = `Usage: mend keys rotate
       mend keys encrypt-existing [--batch N]
       mend keys sweep

rotate re-wraps every data key in the key store under a new master key; the data itself is not
touched. Stop every Mend instance first (on SQLite it refuses while one runs). The new key comes from
MEND_MASTER_KEY_NEW (base64 of 32 bytes) when MEND_MASTER_KEY is set: afterwards start Mend with
MEND_MASTER_KEY set to that value. With the key file (MEND_MASTER_KEY unset), the new key
(MEND_MASTER_KEY_NEW, or else a generated one) is written to keys/master.key.new and moved over
keys/master.key once the key store has committed.

encrypt-existing seals, in place, the rows of the encrypted columns written before encryption was on
(an instance upgraded from an earlier Mend), in batches of N rows (default 500), one transaction each,
printing its progress. It is safe to stop and run again: sealed rows are skipped.

sweep shreds the data keys of people and couples no longer in the database: an account deletion
shreds its person's key once the deletion has committed, and should the key store be unreachable at
that moment the key stays behind (the deletion says so). Keys younger than an hour are left alone.
Safe to run at any time, also while Mend serves, for instance daily from cron.
`

func cmdKeys(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if wantsHelp(args, stdout, keysHelp) {
		return nil
	}
	switch {
	case len(args) == 1 && args[0] == "rotate":
		return cmdKeysRotate(ctx, getenv, stdout)
	case len(args) == 1 && args[0] == "sweep":
		return cmdKeysSweep(ctx, getenv, stdout)
	case len(args) >= 1 && args[0] == "encrypt-existing":
		batch := 500
		if len(args) == 3 && args[1] == "--batch" {
			n, err := strconv.Atoi(args[2])
			if err != nil || n < 1 {
				fmt.Fprint(stdout, keysHelp)
				return errUsage
			}
			batch = n
		} else if len(args) != 1 {
			fmt.Fprint(stdout, keysHelp)
			return errUsage
		}
		return cmdEncryptExisting(ctx, getenv, stdout, batch)
	}
	fmt.Fprint(stdout, keysHelp)
	return errUsage
}

func cmdEncryptExisting(ctx context.Context, getenv func(string) string, stdout io.Writer, batch int) error {
	_, db, err := open(ctx, getenv, nil)
	if err != nil {
		return err
	}
	defer closeDB(db)
	n, err := vault.From(db).EncryptExisting(ctx, db, server.SealedColumns(), batch, stdout)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "sealed %d values; every encrypted column is sealed\n", n)
	return nil
}

func cmdKeysRotate(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	if err := cfg.LoadMasterKey(); err != nil {
		return err
	}
	next, fromFile, err := nextMasterKey(cfg, getenv)
	if err != nil {
		return err
	}
	store, closeStore, err := openStoreStopped(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	newPath := cfg.MasterKeyPath() + ".new"
	if fromFile {
		// The current key opened the store, so a master.key.new left by an earlier run never took effect.
		if err := os.Remove(newPath); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		if err := config.WriteMasterKeyFile(newPath, next); err != nil {
			return err
		}
	}
	n, err := store.Rotate(ctx, next)
	if err != nil {
		return err
	}
	if fromFile {
		if err := os.Rename(newPath, cfg.MasterKeyPath()); err != nil {
			return fmt.Errorf("keys rotate: the key store now needs the key in %s; move it to %s: %w", newPath, cfg.MasterKeyPath(), err)
		}
		if err := syncDir(filepath.Dir(newPath)); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "re-wrapped %d data keys under a new master key (version %d), kept in %s\n", n, store.Version(), cfg.MasterKeyPath())
		return nil
	}
	fmt.Fprintf(stdout, "re-wrapped %d data keys under MEND_MASTER_KEY_NEW (version %d): start Mend with MEND_MASTER_KEY set to it\n", n, store.Version())
	return nil
}

// nextMasterKey returns the new master key: MEND_MASTER_KEY_NEW, or (with the key file) a new random
// key. fromFile reports that the current key is the key file's, which then gets the new key.
func nextMasterKey(cfg config.Config, getenv func(string) string) (key []byte, fromFile bool, err error) {
	fromFile = getenv("MEND_MASTER_KEY") == ""
	if v := getenv("MEND_MASTER_KEY_NEW"); v != "" {
		k, err := config.ParseMasterKey(v)
		if err != nil {
			return nil, false, fmt.Errorf("MEND_MASTER_KEY_NEW: %w", err)
		}
		if string(k) == string(cfg.MasterKey) {
			return nil, false, errors.New("MEND_MASTER_KEY_NEW: is the current master key; generate a new one")
		}
		return k, fromFile, nil
	}
	if !fromFile {
		return nil, false, errors.New("MEND_MASTER_KEY_NEW: required to rotate a master key given by MEND_MASTER_KEY " +
			"(generate one with: openssl rand -base64 32)")
	}
	k := make([]byte, config.MasterKeySize)
	if _, err := rand.Read(k); err != nil {
		return nil, false, fmt.Errorf("keys rotate: %w", err)
	}
	return k, true, nil
}

// openStoreStopped opens the key store for a command that must run alone: on SQLite it holds the key
// store's lock file exclusively, so it fails while a Mend instance has it open.
func openStoreStopped(ctx context.Context, cfg config.Config) (*vault.Store, func() error, error) {
	if cfg.Engine() == config.EnginePostgres {
		return vault.OpenStore(ctx, cfg, nil)
	}
	db, err := database.OpenStopped(cfg.KeyStorePath(), nil)
	if err != nil {
		return nil, nil, fmt.Errorf("keys rotate: %w (stop Mend first)", err)
	}
	if err := database.MigrateKeyStore(ctx, db); err != nil {
		database.Close(db)
		return nil, nil, err
	}
	store, err := vault.NewStore(ctx, db, cfg.MasterKey, vault.MasterKeySource(cfg))
	if err != nil {
		database.Close(db)
		return nil, nil, err
	}
	return store, func() error { return database.Close(db) }, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
