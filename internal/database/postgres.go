package database

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
)

// The PostgreSQL pool: a few connections per core, so requests rarely wait for one, and at most 16,
// so several instances fit in PostgreSQL's default max_connections (100) beside its own. Idle
// connections are kept for a while (a new one costs a TLS and authentication round trip), and each
// is replaced after half an hour so a fail-over or a DNS change reaches every connection.
const (
	pgMinConns     = 4
	pgMaxConns     = 16
	pgConnsPerCore = 4
	pgMaxIdleTime  = 5 * time.Minute
	pgMaxLifetime  = 30 * time.Minute
	pgReachTimeout = 15 * time.Second
)

// PostgresPoolSize is how many connections OpenPostgres allows with GOMAXPROCS cores.
func PostgresPoolSize() int {
	return min(pgMaxConns, max(pgMinConns, pgConnsPerCore*runtime.GOMAXPROCS(0)))
}

// OpenPostgres opens the PostgreSQL database at rawURL through pgx, with the GORM configuration of
// SQLite's Open, and checks it can reach the server. Sessions run in UTC and instants scan as UTC, as
// they do from SQLite. It does not migrate. Errors name MEND_DATABASE_URL and the server, never the
// password.
func OpenPostgres(ctx context.Context, rawURL string, log *slog.Logger) (*gorm.DB, error) {
	cc, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("MEND_DATABASE_URL: %s", scrubPassword(err.Error(), rawURL))
	}
	cc.RuntimeParams["timezone"] = "UTC"
	where := fmt.Sprintf("PostgreSQL at %s (database %q, user %q)", serverLabel(cc), cc.Database, cc.User)
	sqlDB := stdlib.OpenDB(*cc, stdlib.OptionAfterConnect(scanInstantsAsUTC))
	n := PostgresPoolSize()
	sqlDB.SetMaxOpenConns(n)
	sqlDB.SetMaxIdleConns(n)
	sqlDB.SetConnMaxIdleTime(pgMaxIdleTime)
	sqlDB.SetConnMaxLifetime(pgMaxLifetime)
	pctx, cancel := context.WithTimeout(ctx, pgReachTimeout)
	defer cancel()
	if err := sqlDB.PingContext(pctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("MEND_DATABASE_URL: cannot reach %s: %s", where, scrubPassword(err.Error(), rawURL))
	}
	db, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), gormConfig(log))
	if err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("database: open %s: %s", where, scrubPassword(err.Error(), rawURL))
	}
	return db, nil
}

// scanInstantsAsUTC makes timestamptz values scan in UTC rather than the process's local zone.
func scanInstantsAsUTC(_ context.Context, conn *pgx.Conn) error {
	conn.TypeMap().RegisterType(&pgtype.Type{
		Name: "timestamptz", OID: pgtype.TimestamptzOID, Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC},
	})
	return nil
}

// serverLabel names the server cc connects to (its first host when it lists several).
func serverLabel(cc *pgx.ConnConfig) string {
	if strings.HasPrefix(cc.Host, "/") {
		return fmt.Sprintf("%s (socket, port %d)", cc.Host, cc.Port)
	}
	return fmt.Sprintf("%s:%d", cc.Host, cc.Port)
}

// scrubPassword removes the password of rawURL from msg, in case a driver's message repeats it.
func scrubPassword(msg, rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return msg
	}
	var pws []string
	if pw, ok := u.User.Password(); ok {
		pws = append(pws, pw, url.QueryEscape(pw), url.PathEscape(pw))
	}
	if pw := u.Query().Get("password"); pw != "" {
		pws = append(pws, pw)
	}
	for _, pw := range pws {
		if pw != "" {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
	}
	return msg
}

// isPostgres reports whether db is a PostgreSQL database.
func isPostgres(db *gorm.DB) bool { return EngineOf(db) == config.EnginePostgres }
