package testutil

import (
	"context"
	"crypto/rand"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/vault"
)

// NewMasterKey returns 32 random bytes, a master key for a test's key store.
func NewMasterKey(t testing.TB) []byte {
	t.Helper()
	k := make([]byte, config.MasterKeySize)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

// NewKeyStore returns a fresh, migrated SQLite key store in t.TempDir() under a random master key, and
// that key. Tests on either engine keep their keys in SQLite; the PostgreSQL key store has tests of its
// own (NewPostgresKeyStore).
func NewKeyStore(t testing.TB) (*vault.Store, []byte) {
	t.Helper()
	db, err := database.Open(filepath.Join(t.TempDir(), "keys.db"), nil)
	if err != nil {
		t.Fatalf("open key store: %v", err)
	}
	t.Cleanup(func() { database.Close(db) })
	return newKeyStore(t, db)
}

// NewPostgresKeyStore is NewKeyStore in a PostgreSQL database of the test's own.
func NewPostgresKeyStore(t testing.TB) (*vault.Store, []byte) {
	t.Helper()
	db, err := database.OpenPostgres(context.Background(), NewEmptyPostgresURL(t), nil)
	if err != nil {
		t.Fatalf("open key store: %v", err)
	}
	t.Cleanup(func() { database.Close(db) })
	return newKeyStore(t, db)
}

func newKeyStore(t testing.TB, db *gorm.DB) (*vault.Store, []byte) {
	t.Helper()
	if err := database.MigrateKeyStore(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	key := NewMasterKey(t)
	s, err := vault.NewStore(context.Background(), db, key, "MEND_MASTER_KEY")
	if err != nil {
		t.Fatalf("key store: %v", err)
	}
	return s, key
}

// AttachVault gives db a vault over a fresh key store (NewKeyStore) and returns it.
func AttachVault(t testing.TB, db *gorm.DB) *vault.Vault {
	t.Helper()
	s, _ := NewKeyStore(t)
	v := vault.New(s)
	if err := vault.Attach(db, v); err != nil {
		t.Fatal(err)
	}
	return v
}

// RequireSealed fails the test unless every non-empty value of table.column in db is sealed (has
// vault.Prefix), at least one is, and none contains canary.
func RequireSealed(t testing.TB, db *gorm.DB, table, column, canary string) {
	t.Helper()
	var values []*string
	if err := db.Table(table).Pluck(column, &values).Error; err != nil {
		t.Fatalf("read %s.%s: %v", table, column, err)
	}
	sealed := 0
	for _, v := range values {
		switch {
		case v == nil || *v == "":
		case strings.Contains(*v, canary):
			t.Errorf("%s.%s holds the text in the clear: %q", table, column, *v)
		case !vault.IsSealed(*v):
			t.Errorf("%s.%s holds a value that is not sealed: %q", table, column, *v)
		default:
			sealed++
		}
	}
	if sealed == 0 {
		t.Errorf("%s.%s: no sealed value among %d rows", table, column, len(values))
	}
}

// BackupBeforeDeletion takes a copy of db as an operator's backup would be (mend backup on SQLite,
// into dir; a copy of the database at pgURL on PostgreSQL, which needs db closed meanwhile) and returns
// the live database, reopened with v attached again on PostgreSQL, and the copy, both closed when the
// test ends: for the crypto-shredding tests, which delete an account afterwards and read the copy.
func BackupBeforeDeletion(t testing.TB, engine string, db *gorm.DB, pgURL, dir string, v *vault.Vault) (live, backup *gorm.DB) {
	t.Helper()
	ctx := context.Background()
	live = db
	var err error
	if engine == config.EnginePostgres {
		database.Close(db)
		copyURL := CopyPostgresDB(t, pgURL)
		if live, err = database.OpenPostgres(ctx, pgURL, nil); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { database.Close(live) })
		if err := vault.Attach(live, v); err != nil {
			t.Fatal(err)
		}
		if backup, err = database.OpenPostgres(ctx, copyURL, nil); err != nil {
			t.Fatal(err)
		}
	} else {
		dest := filepath.Join(dir, "backup.db")
		if err := database.Backup(ctx, db, dest); err != nil {
			t.Fatal(err)
		}
		if backup, err = database.Open(dest, nil); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { database.Close(backup) })
	return live, backup
}
