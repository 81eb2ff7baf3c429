package database_test

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/testutil"
)

// TestPostgresUnreachableNamesTheVariable checks that a server that does not answer, or refuses the
// password, is an error naming MEND_DATABASE_URL and the server, never the password, and no panic.
func TestPostgresUnreachableNamesTheVariable(t *testing.T) {
	t.Parallel()
	wrong, err := url.Parse(testutil.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	wrong.User = url.UserPassword(wrong.User.Username(), "hunter2-not-it")
	for _, tc := range []struct{ name, url, want string }{
		{"nothing listening", "postgres://mend:hunter2-not-it@127.0.0.1:1/mend?connect_timeout=5", "127.0.0.1:1"},
		{"wrong password", wrong.String(), wrong.Host},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := config.Config{DatabaseURL: tc.url}
			db, err := database.Connect(context.Background(), cfg, nil)
			if err == nil {
				database.Close(db)
				t.Fatal("connected")
			}
			msg := err.Error()
			if !strings.Contains(msg, "MEND_DATABASE_URL") || !strings.Contains(msg, tc.want) {
				t.Errorf("error %q should name MEND_DATABASE_URL and %s", msg, tc.want)
			}
			if strings.Contains(msg, "hunter2-not-it") {
				t.Errorf("error %q repeats the password", msg)
			}
		})
	}
}

// TestPostgresPool checks the PostgreSQL pool's size, that it has no separate readers, that sessions
// run in UTC, and that a URL's search_path reaches the session.
func TestPostgresPool(t *testing.T) {
	t.Parallel()
	db, _ := testutil.NewPostgresDB(t)
	n := database.Raw(db).Stats().MaxOpenConnections
	if n != database.PostgresPoolSize() || n < 4 || n > 16 {
		t.Errorf("pool of %d connections, want PostgresPoolSize() (%d), between 4 and 16", n, database.PostgresPoolSize())
	}
	if database.Reader(db) != nil {
		t.Error("a PostgreSQL database has a separate reader pool")
	}
	var tz string
	if err := db.Raw("SHOW timezone").Scan(&tz).Error; err != nil || tz != "UTC" {
		t.Errorf("session time zone %q (%v), want UTC", tz, err)
	}
}

// TestPostgresCheckRefusesAMissingSchema points the search path at a schema that does not exist and
// checks the start-up check says so, rather than failing later on a missing table.
func TestPostgresCheckRefusesAMissingSchema(t *testing.T) {
	t.Parallel()
	u := testutil.NewEmptyPostgresURL(t)
	db, err := database.OpenPostgres(context.Background(), u+"&search_path=nowhere", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	err = database.Check(context.Background(), db)
	if err == nil || !strings.Contains(err.Error(), "no schema") || !strings.Contains(err.Error(), "nowhere") {
		t.Fatalf("check with search_path=nowhere: %v, want a refusal naming the search path", err)
	}
}

// TestBackupOnPostgresNeedsPgDump checks that Backup on PostgreSQL writes nothing and says why.
func TestBackupOnPostgresNeedsPgDump(t *testing.T) {
	t.Parallel()
	db, _ := testutil.NewPostgresDB(t)
	dest := filepath.Join(t.TempDir(), "backup.db")
	if err := database.Backup(context.Background(), db, dest); !errors.Is(err, database.ErrBackupNeedsPgDump) {
		t.Fatalf("Backup on PostgreSQL = %v, want ErrBackupNeedsPgDump", err)
	}
	if _, err := os.Stat(dest); !os.IsNotExist(err) {
		t.Fatalf("Backup on PostgreSQL left a file (%v)", err)
	}
}

// TestLoggedStatementsShowNoValuesOnPostgres is TestLoggedStatementsShowNoValues on PostgreSQL: a failed
// statement is logged with placeholders, never the value bound to it (SECURITY G2).
func TestLoggedStatementsShowNoValuesOnPostgres(t *testing.T) {
	t.Parallel()
	u := testutil.NewEmptyPostgresURL(t)
	var buf testutil.LogBuffer
	db, err := database.OpenPostgres(context.Background(), u, slog.New(slog.NewJSONHandler(&buf, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	if err := db.Exec("INSERT INTO missing_table (x) VALUES (?)", "zq9-secret-value").Error; err == nil {
		t.Fatal("the insert into a missing table succeeded")
	}
	logged := buf.String()
	if !strings.Contains(logged, "missing_table") {
		t.Fatalf("the failed statement was not logged: %s", logged)
	}
	if strings.Contains(logged, "zq9-secret-value") {
		t.Errorf("a bound value reached the log: %s", logged)
	}
}

// TestMigrateWithoutCreateRightsSaysWhatTheRoleNeeds takes away the right to create in the schema and
// checks that the migration's failure says which rights Mend's role needs.
func TestMigrateWithoutCreateRightsSaysWhatTheRoleNeeds(t *testing.T) {
	t.Parallel()
	db, err := database.OpenPostgres(context.Background(), testutil.NewEmptyPostgresURL(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	if err := db.Exec("REVOKE CREATE ON SCHEMA public FROM pg_database_owner").Error; err != nil {
		t.Fatal(err)
	}
	err = database.Migrate(context.Background(), db)
	if err == nil || !strings.Contains(err.Error(), "permission denied") || !strings.Contains(err.Error(), "README") {
		t.Fatalf("migrate without CREATE on the schema: %v, want the permission error and a pointer to the README", err)
	}
}

// TestPostgresWarnsOfCreateDB: the test kit's role may create databases (it makes one per test), and
// Warnings says so on a real server; SQLite has no warnings.
func TestPostgresWarnsOfCreateDB(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w, err := database.Warnings(ctx, testutil.NewDBOn(t, config.EnginePostgres))
	if err != nil || len(w) != 1 || !strings.Contains(w[0], "CREATEDB") {
		t.Errorf("warnings on PostgreSQL as a CREATEDB role: %v (%v)", w, err)
	}
	if w, err := database.Warnings(ctx, testutil.NewDBOn(t, config.EngineSQLite)); err != nil || len(w) != 0 {
		t.Errorf("warnings on SQLite: %v (%v)", w, err)
	}
}
