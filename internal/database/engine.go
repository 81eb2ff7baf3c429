package database

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
)

// ErrBackupNeedsPgDump is Backup's answer on PostgreSQL: the server's own tools back it up.
var ErrBackupNeedsPgDump = errors.New("database: backup: PostgreSQL databases are backed up with pg_dump")

// Connect opens the database cfg names (MEND_DATABASE_URL): the SQLite file (Open) or the PostgreSQL
// server (OpenPostgres). It does not migrate. Errors name the variable, and never the password.
func Connect(ctx context.Context, cfg config.Config, log *slog.Logger) (*gorm.DB, error) {
	if cfg.Engine() == config.EnginePostgres {
		return OpenPostgres(ctx, cfg.DatabaseURL, log)
	}
	return Open(cfg.DatabasePath(), log)
}

// EngineOf returns the engine db was opened on: config.EngineSQLite or config.EnginePostgres.
func EngineOf(db *gorm.DB) string {
	if db.Dialector != nil && db.Dialector.Name() == "postgres" {
		return config.EnginePostgres
	}
	return config.EngineSQLite
}

// gormConfig is GORM's configuration on either engine: errors translated into GORM's (duplicate key,
// foreign key), instants in UTC, and the quiet logger that shows statements with placeholders.
func gormConfig(log *slog.Logger) *gorm.Config {
	return &gorm.Config{
		TranslateError: true,
		NowFunc:        func() time.Time { return time.Now().UTC() },
		Logger:         newLogger(log),
	}
}
