package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/testutil"
)

// sqliteInstance makes a stopped SQLite instance in a data dir of its own with one account, and returns
// its environment.
func sqliteInstance(t *testing.T) (dir string, env map[string]string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "data")
	env = map[string]string{"MEND_DATA_DIR": dir}
	if err := run(context.Background(), []string{"migrate"}, envFrom(env), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	db, err := database.Open(filepath.Join(dir, "mend.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	if err := db.Exec("INSERT INTO users (id, email, display_name, password_hash, created_at, updated_at) VALUES ('u1', 'moved@example.org', 'Moved', 'x', ?, ?)", at, at).Error; err != nil {
		t.Fatal(err)
	}
	database.Close(db)
	return dir, env
}

// TestCopyDataCommand moves a stopped SQLite instance to PostgreSQL with mend copy-data --to: it prints
// each table's rows and checksum and what to do next (without the URL's password), the account is on
// PostgreSQL, and a second run is refused because the target is no longer empty.
func TestCopyDataCommand(t *testing.T) {
	t.Parallel()
	_, env := sqliteInstance(t)
	dst, u := testutil.NewPostgresDB(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"copy-data", "--to", u}, envFrom(env), &out, io.Discard); err != nil {
		t.Fatalf("copy-data: %v\n%s", err, out.String())
	}
	for _, want := range []string{"users: 1 row", "checksum", "MEND_DATABASE_URL", "MEND_SECRET_KEY", "secret.key"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("copy-data printed %q; want it to include %q", out.String(), want)
		}
	}
	if strings.Contains(out.String(), "mend_test:mend_test@") {
		t.Errorf("copy-data printed the target's password: %q", out.String())
	}
	var email string
	if err := dst.Raw("SELECT email FROM users WHERE id = 'u1'").Scan(&email).Error; err != nil || email != "moved@example.org" {
		t.Fatalf("the account on PostgreSQL: %q (%v)", email, err)
	}
	err := run(context.Background(), []string{"copy-data", "--to=" + u}, envFrom(env), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("a second copy-data: %v, want a refusal saying the target is not empty", err)
	}
}

// TestCopyDataCommandRefuses: copy-data needs --to with a PostgreSQL URL, an SQLite source (not
// MEND_DATABASE_URL=postgres://…), an existing database, and a stopped instance.
func TestCopyDataCommandRefuses(t *testing.T) {
	t.Parallel()
	dir, env := sqliteInstance(t)
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no target", []string{"copy-data"}, env, "--to"},
		{"a target that is not PostgreSQL", []string{"copy-data", "--to", "sqlite:/tmp/x.db"}, env, "postgres://"},
		{"a PostgreSQL source", []string{"copy-data", "--to", unreachable}, map[string]string{"MEND_DATABASE_URL": unreachable, "MEND_SECRET_KEY": testutil.TestSecret}, "copies from SQLite"},
		{"no database", []string{"copy-data", "--to", unreachable}, map[string]string{"MEND_DATA_DIR": t.TempDir()}, "no SQLite database"},
	} {
		err := run(context.Background(), tc.args, envFrom(tc.env), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error saying %q", tc.name, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2-secret") {
			t.Errorf("%s: the error repeats the password: %v", tc.name, err)
		}
	}
	live, err := database.Open(filepath.Join(dir, "mend.db"), nil) // a running instance
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(live)
	err = run(context.Background(), []string{"copy-data", "--to", unreachable}, envFrom(env), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("copy-data while an instance runs: %v, want a refusal saying the database is in use", err)
	}
}

// TestCopyDataMovesTheKeyStore moves an instance with sealed text: without --keys-to copy-data refuses
// before copying anything; with it, the PostgreSQL instance opens the text with the key store it was
// given and the master key from the key file.
func TestCopyDataMovesTheKeyStore(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := envFrom(map[string]string{"MEND_DATA_DIR": dir})
	p := populate(t, src)
	dst, u := testutil.NewPostgresDB(t)
	keysURL := testutil.NewEmptyPostgresURL(t)
	if err := run(context.Background(), []string{"copy-data", "--to", u}, src, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "--keys-to") {
		t.Fatalf("copy-data of sealed text without --keys-to: %v, want a refusal naming --keys-to", err)
	}
	var n int64
	if err := dst.Raw("SELECT count(*) FROM users").Scan(&n).Error; err != nil || n != 0 {
		t.Fatalf("the refused copy left %d users (%v)", n, err)
	}
	key, err := os.ReadFile(filepath.Join(dir, "keys", "master.key"))
	if err != nil {
		t.Fatal(err)
	}
	pg := envFrom(map[string]string{"MEND_DATABASE_URL": u, "MEND_SECRET_KEY": testutil.TestSecret, "MEND_KEYSTORE_URL": keysURL,
		"MEND_MASTER_KEY": strings.TrimSpace(string(key))})
	if err := run(context.Background(), []string{"migrate"}, pg, io.Discard, io.Discard); err != nil { // step 2 of the move
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"copy-data", "--to", u, "--keys-to", keysURL}, src, &out, io.Discard); err != nil {
		t.Fatalf("copy-data: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "key store: 2 data keys") || !strings.Contains(out.String(), "MEND_MASTER_KEY") {
		t.Errorf("copy-data printed %q", out.String())
	}
	if got, err := readTriggers(t, pg, p, p.B); err != nil || len(got) != 1 || got[0].What != "words of "+p.B {
		t.Fatalf("the moved instance: %+v, %v", got, err)
	}
}
