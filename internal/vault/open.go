package vault

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
)

// OpenStore opens the key store cfg names (keys/keys.db in the data dir with SQLite, MEND_KEYSTORE_URL
// with PostgreSQL), migrates it and checks cfg.MasterKey against it (call cfg.LoadMasterKey first). The
// returned close function closes the key store's database. Errors name the variable to fix.
func OpenStore(ctx context.Context, cfg config.Config, log *slog.Logger) (*Store, func() error, error) {
	if err := cfg.RequireKeys(); err != nil {
		return nil, nil, err
	}
	db, err := connectStore(ctx, cfg, log)
	if err != nil {
		return nil, nil, err
	}
	closeDB := func() error { return database.Close(db) }
	if err := database.MigrateKeyStore(ctx, db); err != nil {
		closeDB()
		return nil, nil, err
	}
	s, err := NewStore(ctx, db, cfg.MasterKey, MasterKeySource(cfg))
	if err != nil {
		closeDB()
		return nil, nil, fmt.Errorf("refusing to start: %w", err)
	}
	return s, closeDB, nil
}

func connectStore(ctx context.Context, cfg config.Config, log *slog.Logger) (*gorm.DB, error) {
	if cfg.Engine() != config.EnginePostgres {
		if err := cfg.EnsureKeyDir(); err != nil {
			return nil, err
		}
		db, err := database.Open(cfg.KeyStorePath(), log)
		if err != nil {
			return nil, fmt.Errorf("key store %s: %w", cfg.KeyStorePath(), err)
		}
		return db, nil
	}
	db, err := database.OpenPostgres(ctx, cfg.KeyStoreURL, log)
	if err != nil {
		// OpenPostgres names MEND_DATABASE_URL, the variable it usually opens.
		return nil, fmt.Errorf("key store: %s", strings.ReplaceAll(err.Error(), "MEND_DATABASE_URL", "MEND_KEYSTORE_URL"))
	}
	return db, nil
}

// MasterKeySource names where cfg's master key comes from, for messages.
func MasterKeySource(cfg config.Config) string {
	if cfg.Engine() == config.EnginePostgres {
		return "MEND_MASTER_KEY"
	}
	return "MEND_MASTER_KEY (or, when it is not set, the key file " + cfg.MasterKeyPath() + ")"
}
