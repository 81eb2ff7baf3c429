package database_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/testutil"
)

// TestStatementsArePreparedOncePerConnection checks that a statement with parameters, once prepared
// on a connection, is not prepared again on every run. SQLite re-prepares a statement whose plan
// looked at a bound value each time its bindings are cleared, and the driver clears them on every run;
// a join or an ORDER BY with "col = ?" is such a statement unless the plans ignore bound values (the
// query planner stability guarantee, on for every connection). A re-prepared statement allocates
// about twice as much, so each statement must allocate no more than its twin whose parameters are
// written "+?" (a form whose value the planner never looks at, with the same plan).
//
// Not parallel: AllocsPerRun counts the allocations of every goroutine.
func TestStatementsArePreparedOncePerConnection(t *testing.T) {
	db, _ := testutil.NewDB(t)
	ctx := context.Background()
	now := time.Now().UTC()
	if err := db.Exec(`INSERT INTO users (id, email, display_name, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		"u1", "a@example.org", "Ada", "hash", now, now).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`INSERT INTO sessions (id, user_id, kind, user_agent, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)`,
		"s1", "u1", "browser", "Firefox", now, now).Error; err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, sql string
		args      []any
	}{
		{"a join", `SELECT s.id, s.kind, s.created_at, u.email, u.display_name, u.created_at FROM sessions s JOIN users u ON u.id = s.user_id
			WHERE s.id = ? AND s.user_id = ?`, []any{"s1", "u1"}},
		{"an ORDER BY", `SELECT id, kind, user_agent, created_at FROM sessions WHERE user_id = ? AND kind = ? ORDER BY created_at DESC`,
			[]any{"u1", "browser"}},
	} {
		for _, pool := range []struct {
			name string
			run  func(sql string) int
		}{
			{"writer", func(q string) int { return countRows(t, ctx, database.Raw(db), q, c.args) }},
			{"reader", func(q string) int { return countRows(t, ctx, database.Reader(db), q, c.args) }},
		} {
			stable := strings.ReplaceAll(c.sql, "= ?", "= +?")
			got := testing.AllocsPerRun(50, func() { pool.run(c.sql) })
			want := testing.AllocsPerRun(50, func() { pool.run(stable) })
			if got > want {
				t.Errorf("%s on the %s: %.0f allocations per run, %.0f for its twin with stable plans: it is prepared again on every run",
					c.name, pool.name, got, want)
			}
		}
	}
}

// countRows runs query on db and counts its rows.
func countRows(t *testing.T, ctx context.Context, db *sql.DB, query string, args []any) int {
	t.Helper()
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("%d rows, want 1", n)
	}
	return n
}
