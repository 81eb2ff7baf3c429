package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/migrations"
)

// unreachable is a PostgreSQL URL nothing answers at: a command that must not touch the database
// shows it did not by failing for its own reason, not this one.
const unreachable = "postgres://mend:hunter2-secret@127.0.0.1:1/mend?connect_timeout=5"

// TestMigrateOnPostgres runs mend migrate against an empty PostgreSQL database: it applies every step,
// runs the start-up checks, a second run finds nothing to do, and no data dir or secret file is made.
func TestMigrateOnPostgres(t *testing.T) {
	t.Parallel()
	u := testutil.NewEmptyPostgresURL(t)
	dir := filepath.Join(t.TempDir(), "data")
	env := envFrom(map[string]string{"MEND_DATA_DIR": dir, "MEND_DATABASE_URL": u, "MEND_SECRET_KEY": testutil.TestSecret, "MEND_MASTER_KEY": masterKey(t), "MEND_KEYSTORE_URL": testutil.NewEmptyPostgresURL(t)})
	for range 2 {
		var out bytes.Buffer
		if err := run(context.Background(), []string{"migrate"}, env, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "up to date") {
			t.Fatalf("migrate printed %q", out.String())
		}
	}
	db, err := database.OpenPostgres(context.Background(), u, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	if v, err := database.Version(context.Background(), db); err != nil || v != migrations.Latest() {
		t.Fatalf("migration step %d (%v), want %d", v, err, migrations.Latest())
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("mend migrate on PostgreSQL made the data dir (%v); instances keep nothing locally", err)
	}
}

// TestResetPasswordOnPostgres prints a reset link for an account in a PostgreSQL database.
func TestResetPasswordOnPostgres(t *testing.T) {
	t.Parallel()
	db, u := testutil.NewPostgresDB(t)
	at := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	if err := db.Exec("INSERT INTO users (id, email, display_name, password_hash, created_at, updated_at) VALUES ('u1', 'one@example.org', 'One', 'x', ?, ?)", at, at).Error; err != nil {
		t.Fatal(err)
	}
	env := envFrom(map[string]string{"MEND_DATABASE_URL": u, "MEND_SECRET_KEY": testutil.TestSecret, "MEND_MASTER_KEY": masterKey(t), "MEND_KEYSTORE_URL": testutil.NewEmptyPostgresURL(t)})
	var out bytes.Buffer
	if err := run(context.Background(), []string{"user", "reset-password", "one@example.org"}, env, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := db.Raw("SELECT count(*) FROM user_tokens WHERE user_id = 'u1' AND purpose = 'password_reset'").Scan(&n).Error; err != nil || n != 1 {
		t.Fatalf("%d reset tokens (%v), want 1", n, err)
	}
	if !strings.Contains(out.String(), "/reset/") {
		t.Fatalf("no link printed: %q", out.String())
	}
}

// TestServeOnPostgres runs mend serve against an empty PostgreSQL database: it migrates it, serves,
// and a member registers, signs in, starts a couple and saves this week's check-in answers through
// the API, which reads them back; /readyz answers; cancelling stops the server cleanly. No data dir
// is made.
func TestServeOnPostgres(t *testing.T) {
	t.Parallel()
	u := testutil.NewEmptyPostgresURL(t)
	dir := filepath.Join(t.TempDir(), "data")
	addr := freeAddr(t)
	env := envFrom(map[string]string{"MEND_DATABASE_URL": u, "MEND_SECRET_KEY": testutil.TestSecret, "MEND_MASTER_KEY": masterKey(t), "MEND_KEYSTORE_URL": testutil.NewEmptyPostgresURL(t), "MEND_ADDR": addr,
		"MEND_DATA_DIR": dir})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	served := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"serve"}, env, pw, io.Discard)
		pw.CloseWithError(io.EOF)
		served <- err
	}()
	lines := bufio.NewScanner(pr)
	running := false
	for !running && lines.Scan() {
		running = strings.Contains(lines.Text(), "Mend is running")
	}
	if !running {
		t.Fatalf("serve on PostgreSQL stopped before serving: %v", <-served)
	}
	go io.Copy(io.Discard, pr)
	base := "http://" + addr
	call := func(method, path, token string, body any, want int) map[string]any {
		t.Helper()
		var r io.Reader
		if body != nil {
			raw, _ := json.Marshal(body)
			r = bytes.NewReader(raw)
		}
		req, _ := http.NewRequest(method, base+path, r)
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d %s, want %d", method, path, resp.StatusCode, raw, want)
		}
		out := map[string]any{}
		_ = json.Unmarshal(raw, &out)
		return out
	}
	call(http.MethodGet, "/readyz", "", nil, http.StatusOK)
	call(http.MethodPost, "/api/v1/auth/register", "", map[string]string{"email": "pg@example.org", "display_name": "Pat",
		"password": testutil.Password}, http.StatusCreated)
	token, _ := call(http.MethodPost, "/api/v1/auth/login", "", map[string]string{"email": "pg@example.org",
		"password": testutil.Password}, http.StatusOK)["token"].(string)
	call(http.MethodPost, "/api/v1/couple", token, map[string]string{"timezone": "UTC", "checkin_weekday": "monday"}, http.StatusCreated)
	y, w := time.Now().UTC().ISOWeek()
	week := fmt.Sprintf("%04d-W%02d", y, w)
	call(http.MethodPut, "/api/v1/checkins/"+week+"/mine", token, map[string]any{"trust": 6, "connection": 7, "safety": 8,
		"appreciation": "Saved on PostgreSQL"}, http.StatusOK)
	got := call(http.MethodGet, "/api/v1/checkins/"+week, token, nil, http.StatusOK)
	if raw, _ := json.Marshal(got); !strings.Contains(string(raw), "Saved on PostgreSQL") {
		t.Fatalf("the week read back on PostgreSQL does not hold the saved answer: %s", raw)
	}
	cancel()
	if err := <-served; err != nil {
		t.Fatalf("serve on PostgreSQL: %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("mend serve on PostgreSQL made the data dir (%v); instances keep nothing locally", err)
	}
}

// TestNotifyOnceOnPostgres runs mend notify --once against a PostgreSQL database: it gets as far as
// e-mail's own setting (not set up here), as it does on SQLite.
func TestNotifyOnceOnPostgres(t *testing.T) {
	t.Parallel()
	env := envFrom(map[string]string{"MEND_DATABASE_URL": testutil.NewEmptyPostgresURL(t), "MEND_SECRET_KEY": testutil.TestSecret,
		"MEND_MASTER_KEY": masterKey(t), "MEND_KEYSTORE_URL": testutil.NewEmptyPostgresURL(t)})
	if err := run(context.Background(), []string{"notify", "--once"}, env, io.Discard, io.Discard); err != errMailOff {
		t.Fatalf("notify --once on PostgreSQL: %v, want %v", err, errMailOff)
	}
}

// TestBackupOnPostgresSaysPgDump checks that mend backup on PostgreSQL prints how to back up with
// pg_dump, fails, and does nothing else: no file, and no connection (the server here is unreachable).
func TestBackupOnPostgresSaysPgDump(t *testing.T) {
	t.Parallel()
	dest := filepath.Join(t.TempDir(), "mend.dump")
	env := envFrom(map[string]string{"MEND_DATABASE_URL": unreachable, "MEND_SECRET_KEY": testutil.TestSecret})
	var out bytes.Buffer
	err := run(context.Background(), []string{"backup", dest}, env, &out, io.Discard)
	if err == nil {
		t.Fatal("mend backup on PostgreSQL succeeded")
	}
	msg := err.Error() + out.String()
	for _, want := range []string{"pg_dump", `"$MEND_DATABASE_URL"`, dest, "pg_restore"} {
		if !strings.Contains(msg, want) {
			t.Errorf("backup on PostgreSQL said %q; want it to include %s", msg, want)
		}
	}
	if strings.Contains(msg, "hunter2-secret") || strings.Contains(msg, "cannot reach") {
		t.Errorf("backup on PostgreSQL touched the database or repeated the URL: %q", msg)
	}
	if _, err := os.Stat(dest); !os.IsNotExist(err) {
		t.Errorf("backup on PostgreSQL wrote %s (%v)", dest, err)
	}
}

// TestPostgresStartErrors checks the start-up errors an operator meets first on PostgreSQL: no
// MEND_SECRET_KEY (and no key file written), and a server that does not answer (named, without the
// password).
func TestPostgresStartErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	err := run(context.Background(), []string{"migrate"}, envFrom(map[string]string{"MEND_DATA_DIR": dir, "MEND_DATABASE_URL": unreachable}), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "MEND_SECRET_KEY") {
		t.Fatalf("migrate on PostgreSQL without a key: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "secret.key")); !os.IsNotExist(err) {
		t.Errorf("a secret key was written to the data dir (%v)", err)
	}
	err = run(context.Background(), []string{"migrate"}, envFrom(map[string]string{"MEND_DATABASE_URL": unreachable, "MEND_SECRET_KEY": testutil.TestSecret}), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "MEND_DATABASE_URL") || !strings.Contains(err.Error(), "127.0.0.1:1") || strings.Contains(err.Error(), "hunter2-secret") {
		t.Fatalf("migrate with an unreachable server: %v, want MEND_DATABASE_URL and the host, without the password", err)
	}
	u := testutil.NewPostgresURL(t)
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"MEND_DATABASE_URL": u, "MEND_SECRET_KEY": testutil.TestSecret, "MEND_KEYSTORE_URL": unreachable}, "MEND_MASTER_KEY"},
		{map[string]string{"MEND_DATABASE_URL": u, "MEND_SECRET_KEY": testutil.TestSecret, "MEND_MASTER_KEY": masterKey(t)}, "MEND_KEYSTORE_URL"},
		{map[string]string{"MEND_DATABASE_URL": u, "MEND_SECRET_KEY": testutil.TestSecret, "MEND_MASTER_KEY": masterKey(t), "MEND_KEYSTORE_URL": unreachable}, "MEND_KEYSTORE_URL"},
	} {
		err := run(context.Background(), []string{"migrate"}, envFrom(c.env), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "hunter2-secret") {
			t.Errorf("migrate on PostgreSQL: %v, want an error naming %s (without the password)", err, c.want)
		}
	}
}

// masterKey returns a random master key, as MEND_MASTER_KEY gives it.
func masterKey(t *testing.T) string {
	return base64.StdEncoding.EncodeToString(testutil.NewMasterKey(t))
}
