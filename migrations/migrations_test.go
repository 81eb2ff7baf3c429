package migrations

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
)

// TestEveryStepHasBothEngines checks that the SQLite and PostgreSQL histories hold the same numbered
// steps under the same names, each with an Up and a Down part: a migration added for one engine only
// fails here until its twin exists.
func TestEveryStepHasBothEngines(t *testing.T) {
	t.Parallel()
	sqlite, err := fs.Glob(FS, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	postgres, err := fs.Glob(Postgres(), "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if len(sqlite) == 0 {
		t.Fatal("no SQLite migrations found")
	}
	inPostgres := map[string]bool{}
	for _, name := range postgres {
		inPostgres[name] = true
	}
	for _, name := range sqlite {
		if !inPostgres[name] {
			t.Errorf("migrations/%s has no PostgreSQL twin: add migrations/postgres/%s", name, name)
		}
		delete(inPostgres, name)
	}
	for name := range inPostgres {
		t.Errorf("migrations/postgres/%s has no SQLite twin: add migrations/%s", name, name)
	}
	for _, f := range []struct {
		fsys fs.FS
		dir  string
		all  []string
	}{{FS, "migrations/", sqlite}, {Postgres(), "migrations/postgres/", postgres}} {
		for _, name := range f.all {
			b, err := fs.ReadFile(f.fsys, name)
			if err != nil {
				t.Fatal(err)
			}
			for _, part := range []string{"-- +goose Up", "-- +goose Down"} {
				if !strings.Contains(string(b), part) {
					t.Errorf("%s%s has no %q part", f.dir, name, part)
				}
			}
		}
	}
}

// TestLatestIsTheHighestStep checks Latest against the file names.
func TestLatestIsTheHighestStep(t *testing.T) {
	t.Parallel()
	names, err := fs.Glob(FS, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	last := names[len(names)-1]
	if want := last[:5]; fmt.Sprintf("%05d", Latest()) != want {
		t.Errorf("Latest() = %d, want %s (from %s)", Latest(), want, last)
	}
}

// TestKeyStoreStepsHaveBothEngines checks the key store's own history (keys/) as
// TestEveryStepHasBothEngines checks the data's: the same steps for both engines, each with an Up and a
// Down part.
func TestKeyStoreStepsHaveBothEngines(t *testing.T) {
	t.Parallel()
	sqlite, err := fs.Glob(KeyStoreSQLite(), "*.sql")
	if err != nil || len(sqlite) == 0 {
		t.Fatalf("no key store steps: %v", err)
	}
	postgres, err := fs.Glob(KeyStorePostgres(), "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(sqlite, ",") != strings.Join(postgres, ",") {
		t.Errorf("key store steps differ: SQLite %v, PostgreSQL %v", sqlite, postgres)
	}
	for _, f := range []fs.FS{KeyStoreSQLite(), KeyStorePostgres()} {
		for _, name := range sqlite {
			b, err := fs.ReadFile(f, name)
			if err != nil {
				t.Fatal(err)
			}
			for _, part := range []string{"-- +goose Up", "-- +goose Down"} {
				if !strings.Contains(string(b), part) {
					t.Errorf("keys/%s lacks %q", name, part)
				}
			}
		}
	}
}
