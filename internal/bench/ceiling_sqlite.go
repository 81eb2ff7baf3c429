package bench

// ceilingTableSQLite is the ceiling's table on SQLite.
const ceilingTableSQLite = `CREATE TABLE IF NOT EXISTS ceiling_rows (
	id TEXT PRIMARY KEY, owner TEXT NOT NULL, body TEXT NOT NULL, created_at DATETIME NOT NULL)`
