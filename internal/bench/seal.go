package bench

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/vault"
)

// A built database is sealed as an upgraded instance is: its couples are seeded through the services
// with the unsealed vault (vault.Unsealed), copied and renamed as plaintext, then sealed in place by
// encrypt-existing under a key store of its own in its data dir (keys/keys.db and keys/master.key, as
// mend serve finds them), so the benchmark serves and measures sealed text. The plaintext stays beside
// it as plain.db, the source of keyed copies (a sealed value is bound to its row id, which a copy
// renames).

// sealBatchRows is the batch size of the benchmark's encrypt-existing.
const sealBatchRows = 5000

// datasetKeys is the configuration of dir's key store: the SQLite one in dir/keys.
func datasetKeys(dir string) (config.Config, error) {
	cfg := config.Config{DataDir: dir}
	if err := cfg.LoadMasterKey(); err != nil {
		return cfg, fmt.Errorf("bench: master key: %w", err)
	}
	return cfg, nil
}

// openDatasetVault attaches to db the vault of dir's key store, making it on first use. The returned
// function closes the key store.
func openDatasetVault(ctx context.Context, dir string, db *gorm.DB) (func(), error) {
	cfg, err := datasetKeys(dir)
	if err != nil {
		return nil, err
	}
	store, closeStore, err := vault.OpenStore(ctx, cfg, nil)
	if err != nil {
		return nil, fmt.Errorf("bench: key store: %w", err)
	}
	if err := vault.Attach(db, vault.New(store)); err != nil {
		closeStore()
		return nil, err
	}
	return func() { _ = closeStore() }, nil
}

// sealInPlace seals every sealed column of db with its vault and returns how many values it sealed.
func sealInPlace(ctx context.Context, db *gorm.DB) (int, error) {
	n, err := vault.From(db).EncryptExisting(ctx, db, server.SealedColumns(), sealBatchRows, io.Discard)
	if err != nil {
		return n, fmt.Errorf("bench: seal the database: %w", err)
	}
	return n, nil
}

// plainName is the plaintext copy of a built database, beside it.
const plainName = "plain.db"

// masterKeyOf returns the master key of dir's key store as MEND_MASTER_KEY takes it.
func masterKeyOf(dir string) (string, error) {
	cfg, err := datasetKeys(dir)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(cfg.MasterKey), nil
}

// copyKeysToPostgres copies dir's key store into the PostgreSQL key store at url, as
// mend copy-data --keys-to does.
func copyKeysToPostgres(ctx context.Context, dir, url string) error {
	cfg, err := datasetKeys(dir)
	if err != nil {
		return err
	}
	src, err := database.Open(cfg.KeyStorePath(), nil)
	if err != nil {
		return err
	}
	defer database.Close(src)
	dst, err := database.OpenPostgres(ctx, url, nil)
	if err != nil {
		return err
	}
	defer database.Close(dst)
	if _, err := vault.CopyStore(ctx, src, dst); err != nil {
		return fmt.Errorf("bench: copy the key store: %w", err)
	}
	return nil
}
