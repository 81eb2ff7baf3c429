package database

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// ErrReadOnly is Ready's answer on a PostgreSQL server that takes no writes.
var ErrReadOnly = errors.New("database: PostgreSQL takes no writes here (a standby, or a read-only database)")

// Ready reports whether db can serve requests now (GET /readyz, a load balancer's question), asking
// what db's engine needs. On SQLite: the writer answers, and so does the reader pool that pages are read
// from. On PostgreSQL: the server answers and takes writes; after a fail-over a connection may reach a
// standby, and some providers make a database read-only when its disk fills, and an instance there
// would fail every form.
func Ready(ctx context.Context, db *gorm.DB) error {
	if err := Ping(ctx, db); err != nil {
		return err
	}
	if isPostgres(db) {
		var readOnly string
		if err := Raw(db).QueryRowContext(ctx, "SELECT current_setting('transaction_read_only')").Scan(&readOnly); err != nil {
			return fmt.Errorf("database: ready: %w", err)
		}
		if readOnly != "off" {
			return ErrReadOnly
		}
		return nil
	}
	if r := Reader(db); r != nil {
		var one int
		if err := r.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
			return fmt.Errorf("database: ready: the readers: %w", err)
		}
	}
	return nil
}
