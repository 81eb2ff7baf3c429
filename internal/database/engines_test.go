package database_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/migrations"
)

// TestStartupChecksPassOnBothEngines runs the start-up checks Mend runs before serving on a sound,
// migrated database of each engine: the engine's own check (SQLite's quick_check and
// foreign_key_check; PostgreSQL's reach and role) and the migration step.
func TestStartupChecksPassOnBothEngines(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db := testutil.NewDBOn(t, engine)
			ctx := context.Background()
			if got := database.EngineOf(db); got != engine {
				t.Fatalf("EngineOf = %q, want %q", got, engine)
			}
			if err := database.Check(ctx, db); err != nil {
				t.Fatalf("Check of a sound database: %v", err)
			}
			if err := database.CheckVersion(ctx, db); err != nil {
				t.Fatalf("CheckVersion of a migrated database: %v", err)
			}
		})
	}
}

// TestVersionCheckOnBothEngines checks that a database behind this Mend's migrations, or ahead of
// them (migrated by a newer Mend), is refused, and that Migrate will not run over a newer schema.
func TestVersionCheckOnBothEngines(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db := testutil.NewDBOn(t, engine)
			ctx := context.Background()
			latest := migrations.Latest()
			if err := database.MigrateDownTo(ctx, db, latest-1); err != nil {
				t.Fatal(err)
			}
			if err := database.CheckVersion(ctx, db); err == nil || !strings.Contains(err.Error(), "mend migrate") {
				t.Fatalf("a database one step behind: %v, want a refusal saying to run mend migrate", err)
			}
			if err := database.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			if err := db.Exec("INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, ?)", latest+1, true).Error; err != nil {
				t.Fatal(err)
			}
			if err := database.CheckVersion(ctx, db); err == nil || !strings.Contains(err.Error(), "newer Mend") {
				t.Fatalf("a database a step ahead: %v, want a refusal naming a newer Mend", err)
			}
			if err := database.Migrate(ctx, db); err == nil || !strings.Contains(err.Error(), "newer Mend") {
				t.Fatalf("Migrate over a newer schema: %v, want a refusal", err)
			}
		})
	}
}

// TestPingOnBothEngines is what /readyz asks: the database answers while open, and not once closed.
func TestPingOnBothEngines(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db := testutil.NewDBOn(t, engine)
			ctx := context.Background()
			if err := database.Ping(ctx, db); err != nil {
				t.Fatalf("Ping of an open database: %v", err)
			}
			if err := database.Close(db); err != nil {
				t.Fatal(err)
			}
			if err := database.Ping(ctx, db); err == nil {
				t.Fatal("Ping of a closed database succeeded")
			}
		})
	}
}

// TestErrorsAreTranslatedOnBothEngines checks that both engines report a duplicate key and a missing
// parent as GORM's errors, which the services map to 409 and 404 (TranslateError).
func TestErrorsAreTranslatedOnBothEngines(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db := testutil.NewDBOn(t, engine)
			user := func(id string) map[string]any { // a new map each time: GORM writes into the one it creates
				return map[string]any{"id": id, "email": "one@example.org", "display_name": "One", "password_hash": "h", "created_at": at, "updated_at": at}
			}
			if err := db.Table("users").Create(user("u1")).Error; err != nil {
				t.Fatal(err)
			}
			if err := db.Table("users").Create(user("u2")).Error; !errors.Is(err, gorm.ErrDuplicatedKey) {
				t.Errorf("a second user with the same email: %v, want gorm.ErrDuplicatedKey", err)
			}
			session := map[string]any{"id": "s1", "user_id": "nobody", "kind": "api", "created_at": at, "last_seen_at": at}
			if err := db.Table("sessions").Create(session).Error; !errors.Is(err, gorm.ErrForeignKeyViolated) {
				t.Errorf("a session of a missing user: %v, want gorm.ErrForeignKeyViolated", err)
			}
		})
	}
}

// TestInstantsComeBackInUTC checks that an instant written in UTC reads back as the same instant, in
// UTC, on both engines (PostgreSQL would otherwise return the process's local zone), and that a
// boolean column reads back as a bool.
func TestInstantsComeBackInUTC(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 25, 12, 30, 45, 123456000, time.UTC)
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db := testutil.NewDBOn(t, engine)
			for _, r := range populatedRows()[:6] { // two users, a session, a token, a couple, a member
				if err := db.Table(r.table).Create(r.values).Error; err != nil {
					t.Fatal(err)
				}
			}
			if err := db.Exec("UPDATE sessions SET reauth_at = ? WHERE id = 's1'", at).Error; err != nil {
				t.Fatal(err)
			}
			var got struct{ ReauthAt time.Time }
			if err := db.Raw("SELECT reauth_at FROM sessions WHERE id = 's1'").Scan(&got).Error; err != nil {
				t.Fatal(err)
			}
			if !got.ReauthAt.Equal(at) || got.ReauthAt.Location() != time.UTC {
				t.Errorf("read back %v (%v), want %v in UTC", got.ReauthAt, got.ReauthAt.Location(), at)
			}
			if err := db.Table("moments").Create(map[string]any{"id": "m1", "couple_id": "c1", "author_id": "u1", "kind": "other",
				"on_date": "2026-11-25", "shared": true, "created_at": at}).Error; err != nil {
				t.Fatal(err)
			}
			var shared struct{ Shared bool }
			if err := db.Raw("SELECT shared FROM moments WHERE id = 'm1'").Scan(&shared).Error; err != nil || !shared.Shared {
				t.Errorf("shared read back as %v (%v), want true", shared.Shared, err)
			}
		})
	}
}
