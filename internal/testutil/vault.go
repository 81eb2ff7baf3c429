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
