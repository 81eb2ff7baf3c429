package bench

// ceilingTablePostgres is the ceiling's table on PostgreSQL: instants as timestamptz, as Mend's own
// PostgreSQL schema stores them.
const ceilingTablePostgres = `CREATE TABLE IF NOT EXISTS ceiling_rows (
	id TEXT PRIMARY KEY, owner TEXT NOT NULL, body TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL)`
