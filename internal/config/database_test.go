package config

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testKey = "0123456789abcdef0123456789abcdef-test"

func envFrom(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// TestDatabaseURLChoosesTheEngine checks every accepted form of MEND_DATABASE_URL and where it leads.
func TestDatabaseURLChoosesTheEngine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, url, engine, path string
	}{
		{"unset is SQLite in the data dir", "", EngineSQLite, filepath.Join("/srv/mend", "mend.db")},
		{"sqlite: alone is the same", "sqlite:", EngineSQLite, filepath.Join("/srv/mend", "mend.db")},
		{"sqlite with a path", "sqlite:/var/lib/other.db", EngineSQLite, "/var/lib/other.db"},
		{"sqlite with a relative path", "sqlite:here/mend.db", EngineSQLite, "here/mend.db"},
		{"postgres", "postgres://mend:pw@db.example.org:5432/mend", EnginePostgres, ""},
		{"postgresql", "postgresql://mend@localhost/mend?sslmode=disable", EnginePostgres, ""},
		{"postgres through a socket", "postgres:///mend?host=/run/postgresql", EnginePostgres, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{"MEND_DATA_DIR": "/srv/mend", "MEND_DATABASE_URL": tc.url, "MEND_SECRET_KEY": testKey}
			c, err := Load(envFrom(env))
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Engine(); got != tc.engine {
				t.Errorf("engine %q, want %q", got, tc.engine)
			}
			if tc.engine == EngineSQLite && c.DatabasePath() != tc.path {
				t.Errorf("path %q, want %q", c.DatabasePath(), tc.path)
			}
			if tc.engine == EnginePostgres && c.DatabaseURL != tc.url {
				t.Errorf("URL %q, want %q", c.DatabaseURL, tc.url)
			}
		})
	}
}

// TestBadDatabaseURLIsAClearError checks that a URL Mend cannot use is refused at load, naming the
// variable, and without repeating a password the URL held.
func TestBadDatabaseURLIsAClearError(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, url, want string }{
		{"another engine", "mysql://root:hunter2secret@db/mend", "want sqlite:"},
		{"no scheme", "mend.db", "want sqlite:"},
		{"sqlite URL form", "sqlite:///var/lib/mend.db", "sqlite:/path/to/mend.db"},
		{"bad port", "postgres://mend:hunter2secret@db:notaport/mend", "MEND_DATABASE_URL"},
		{"bad sslmode", "postgres://mend:hunter2secret@db/mend?sslmode=sometimes", "MEND_DATABASE_URL"},
		{"not a URL", "postgres://mend:hunter2secret@db/mend%zz", "MEND_DATABASE_URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{"MEND_DATABASE_URL": tc.url, "MEND_SECRET_KEY": testKey}
			_, err := Load(envFrom(env))
			if err == nil {
				t.Fatalf("%q was accepted", tc.url)
			}
			msg := err.Error()
			if !strings.Contains(msg, "MEND_DATABASE_URL") || !strings.Contains(msg, tc.want) {
				t.Errorf("error %q should name MEND_DATABASE_URL and say %q", msg, tc.want)
			}
			if strings.Contains(msg, "hunter2secret") {
				t.Errorf("error %q repeats the password", msg)
			}
		})
	}
}

// TestPostgresNeedsTheSecretKey checks that with PostgreSQL the key must come from MEND_SECRET_KEY, and
// that LoadSecret will not generate one into the data dir, saying why.
func TestPostgresNeedsTheSecretKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"MEND_DATA_DIR": dir, "MEND_DATABASE_URL": "postgres://mend@localhost/mend"}
	_, err := Load(envFrom(env))
	if err == nil || !strings.Contains(err.Error(), "MEND_SECRET_KEY") || !strings.Contains(err.Error(), "instances") {
		t.Fatalf("load without a key = %v, want an error naming MEND_SECRET_KEY and saying why", err)
	}
	c := Config{DataDir: dir, DatabaseURL: "postgres://mend@localhost/mend"}
	if err := c.LoadSecret(); err == nil || !strings.Contains(err.Error(), "MEND_SECRET_KEY") {
		t.Fatalf("LoadSecret with PostgreSQL = %v, want a refusal naming MEND_SECRET_KEY", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "secret.key")); !os.IsNotExist(err) {
		t.Fatalf("a secret key was written to the data dir (%v)", err)
	}
	env["MEND_SECRET_KEY"] = testKey
	if _, err := Load(envFrom(env)); err != nil {
		t.Fatalf("with MEND_SECRET_KEY set: %v", err)
	}
}

// TestPrintMasksTheDatabasePassword checks the start-up banner names the database without its password.
func TestPrintMasksTheDatabasePassword(t *testing.T) {
	t.Parallel()
	env := map[string]string{"MEND_DATABASE_URL": "postgres://mend:hunter2secret@db.example.org/mend", "MEND_SECRET_KEY": testKey}
	c, err := Load(envFrom(env))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	c.Print(&out)
	if strings.Contains(out.String(), "hunter2secret") || !strings.Contains(out.String(), "MEND_DATABASE_URL=postgres://mend:xxxxx@db.example.org/mend") {
		t.Fatalf("banner:\n%s", out.String())
	}
	if got := c.DatabaseLabel(); strings.Contains(got, "hunter2secret") || !strings.Contains(got, "db.example.org") {
		t.Fatalf("DatabaseLabel() = %q, want the host without the password", got)
	}
}
