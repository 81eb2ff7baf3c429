package database_test

import (
	"context"
	"testing"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/testutil"
)

// columnNotNull reports whether table.column is declared NOT NULL.
func columnNotNull(t *testing.T, db *gorm.DB, table, column string) bool {
	t.Helper()
	var n int
	if err := db.Raw(`SELECT "notnull" FROM pragma_table_info(?) WHERE name = ?`, table, column).Row().Scan(&n); err != nil {
		t.Fatalf("table_info(%s).%s: %v", table, column, err)
	}
	return n == 1
}

func count(t *testing.T, db *gorm.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Raw(q, args...).Row().Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestJointTextMigrationKeepsRowsAndKeys covers migration 00008 (DESIGN §2.9): an agreement version and
// a consent-log entry may name nobody once their author has deleted their account, so author_id and
// actor_id are nullable; the rebuild keeps every row, the composite key from the log to its version, and
// the cascade from users; migrating down and up again loses nothing that still names someone.
func TestJointTextMigrationKeepsRowsAndKeys(t *testing.T) {
	t.Parallel()
	db, _ := testutil.NewDB(t)
	ctx := context.Background()
	for _, q := range []string{
		"INSERT INTO users (id, email, display_name, password_hash, created_at, updated_at) VALUES ('ua', 'a@example.org', 'A', 'x', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
		"INSERT INTO users (id, email, display_name, password_hash, created_at, updated_at) VALUES ('ub', 'b@example.org', 'B', 'x', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
		"INSERT INTO couples (id, timezone, checkin_weekday, created_at) VALUES ('c', 'UTC', 0, CURRENT_TIMESTAMP)",
		"INSERT INTO agreements (id, couple_id, created_at) VALUES ('ag', 'c', CURRENT_TIMESTAMP)",
		"INSERT INTO agreement_versions (id, agreement_id, number, author_id, title, body, category, review_on, created_at) VALUES ('v1', 'ag', 1, 'ua', 'T', 'B', 'honesty', '2027-01-01', CURRENT_TIMESTAMP)",
		"INSERT INTO agreement_versions (id, agreement_id, number, author_id, title, body, category, review_on, created_at) VALUES ('v2', 'ag', 2, 'ub', 'T2', 'B2', 'honesty', '2027-01-01', CURRENT_TIMESTAMP)",
		"INSERT INTO agreement_events (id, agreement_id, seq, version, actor_id, action, created_at) VALUES ('e1', 'ag', 1, 1, 'ua', 'proposed', CURRENT_TIMESTAMP)",
		"INSERT INTO agreement_events (id, agreement_id, seq, version, actor_id, action, note, created_at) VALUES ('e2', 'ag', 2, 1, 'ub', 'accepted', 'yes', CURRENT_TIMESTAMP)",
		"INSERT INTO agreement_events (id, agreement_id, seq, version, actor_id, action, created_at) VALUES ('e3', 'ag', 3, 2, 'ub', 'proposed', CURRENT_TIMESTAMP)",
	} {
		if err := db.Exec(q).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	rows := func(when string) {
		t.Helper()
		if n := count(t, db, "SELECT count(*) FROM agreement_versions"); n != 2 {
			t.Errorf("%s: %d versions, want 2", when, n)
		}
		if n := count(t, db, "SELECT count(*) FROM agreement_events WHERE note = 'yes' OR note = ''"); n != 3 {
			t.Errorf("%s: %d events, want 3", when, n)
		}
		if n := count(t, db, "SELECT count(*) FROM pragma_foreign_key_check"); n != 0 {
			t.Errorf("%s: %d foreign key violations", when, n)
		}
	}
	rows("after migrating up")
	if columnNotNull(t, db, "agreement_versions", "author_id") || columnNotNull(t, db, "agreement_events", "actor_id") {
		t.Fatal("author_id or actor_id is NOT NULL: a joint text could not outlive its author's account")
	}
	refs := count(t, db, `SELECT count(*) FROM pragma_foreign_key_list('agreement_events')
		WHERE "table" = 'agreement_versions' AND on_delete = 'CASCADE'`)
	users := count(t, db, `SELECT count(*) FROM pragma_foreign_key_list('agreement_events') WHERE "table" = 'users' AND on_delete = 'CASCADE'`) +
		count(t, db, `SELECT count(*) FROM pragma_foreign_key_list('agreement_versions') WHERE "table" = 'users' AND on_delete = 'CASCADE'`)
	if refs != 2 || users != 2 {
		t.Fatalf("keys after the rebuild: %d columns of the log's key to its version, %d cascades from users; want 2 and 2", refs, users)
	}
	if n := count(t, db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ('agreement_versions_number', 'agreement_versions_author', 'agreement_events_seq', 'agreement_events_actor', 'agreement_events_version')"); n != 5 {
		t.Errorf("%d of the 5 indexes are there", n)
	}

	if err := database.MigrateDownTo(ctx, db, 7); err != nil {
		t.Fatal(err)
	}
	rows("after migrating down")
	if err := database.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	rows("after migrating up again")

	// A joint text with its author gone: the rows name nobody and the keys still hold.
	for _, q := range []string{
		"UPDATE agreement_versions SET author_id = NULL WHERE id = 'v2'",
		"UPDATE agreement_events SET actor_id = NULL, note = '' WHERE actor_id = 'ub'",
		"DELETE FROM users WHERE id = 'ub'",
	} {
		if err := db.Exec(q).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	rows("after B's account went")
	// Whatever still names a user goes with that user.
	if err := db.Exec("DELETE FROM users WHERE id = 'ua'").Error; err != nil {
		t.Fatal(err)
	}
	if v, e := count(t, db, "SELECT count(*) FROM agreement_versions"), count(t, db, "SELECT count(*) FROM agreement_events"); v != 1 || e != 1 {
		t.Fatalf("after A's account went: %d versions and %d events, want the nameless version and its one event", v, e)
	}
}
