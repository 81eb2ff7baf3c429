package vault_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/internal/vault"
)

// TestWrongMasterKey checks that a master key that did not wrap the store's data keys is a clear
// error naming MEND_MASTER_KEY and the key file, not a panic, on start-up (OpenStore).
func TestWrongMasterKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := config.Config{DataDir: dir}
	if err := cfg.LoadMasterKey(); err != nil {
		t.Fatal(err)
	}
	s, closeStore, err := vault.OpenStore(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := vault.New(s).Seal(ctx, vault.Person("u"), vault.Field{Table: "t", Column: "c", Row: "1"}, "x"); err != nil {
		t.Fatal(err)
	}
	closeStore()
	wrong := cfg
	wrong.MasterKey = testutil.NewMasterKey(t)
	_, _, err = vault.OpenStore(ctx, wrong, nil)
	if err == nil || !strings.Contains(err.Error(), "MEND_MASTER_KEY") || !strings.Contains(err.Error(), cfg.MasterKeyPath()) {
		t.Fatalf("wrong master key: %v; want an error naming MEND_MASTER_KEY and the key file", err)
	}
	again := config.Config{DataDir: dir}
	if err := again.LoadMasterKey(); err != nil {
		t.Fatal(err)
	}
	if _, closeStore, err := vault.OpenStore(ctx, again, nil); err != nil {
		t.Fatalf("the key file's own key: %v", err)
	} else {
		closeStore()
	}
	for _, p := range []struct {
		path string
		mode os.FileMode
	}{{filepath.Join(dir, "keys"), 0o700 | os.ModeDir}, {cfg.MasterKeyPath(), 0o600}, {cfg.KeyStorePath(), 0o600}} {
		if st, err := os.Stat(p.path); err != nil || st.Mode() != p.mode {
			t.Errorf("%s: %v, %v; want mode %v", p.path, st.Mode(), err, p.mode)
		}
	}
}

// TestRotate checks that rotation re-wraps every data key of a populated store under the new master
// key without changing what was sealed: old values open under the new key, the old key opens nothing.
func TestRotate(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			var s *vault.Store
			if engine == config.EnginePostgres {
				s, _ = testutil.NewPostgresKeyStore(t)
			} else {
				s, _ = testutil.NewKeyStore(t)
			}
			old := s // the same store; old key reused below through a fresh NewStore
			v := vault.New(s)
			sealed := map[string]vault.Field{}
			for _, who := range []string{"a", "b", "c"} {
				f := vault.Field{Table: "t", Column: "c", Row: who}
				text, err := v.Seal(ctx, vault.Person(who), f, "words of "+who)
				if err != nil {
					t.Fatal(err)
				}
				sealed[text] = f
			}
			next := testutil.NewMasterKey(t)
			n, err := s.Rotate(ctx, next)
			if err != nil || n != 3 || s.Version() != 2 {
				t.Fatalf("rotate: %d keys, version %d, %v; want 3, 2", n, s.Version(), err)
			}
			if _, err := vault.NewStore(ctx, old.DB(), testutil.NewMasterKey(t), "MEND_MASTER_KEY"); err == nil {
				t.Fatal("a key that is not the new master key opened the store")
			}
			reopened, err := vault.NewStore(ctx, s.DB(), next, "MEND_MASTER_KEY")
			if err != nil {
				t.Fatalf("the new master key: %v", err)
			}
			w := vault.New(reopened)
			for text, f := range sealed {
				if got, err := w.Open(ctx, f, text); err != nil || got != "words of "+f.Row {
					t.Errorf("after rotation: %q, %v", got, err)
				}
			}
		})
	}
}

// TestKeyStoreMigratesUpDownUp runs the key store's steps up, down to zero and up again on both engines.
func TestKeyStoreMigratesUpDownUp(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			var s *vault.Store
			if engine == config.EnginePostgres {
				s, _ = testutil.NewPostgresKeyStore(t)
			} else {
				s, _ = testutil.NewKeyStore(t)
			}
			if err := database.MigrateKeyStoreDownTo(ctx, s.DB(), 0); err != nil {
				t.Fatal(err)
			}
			if s.DB().Migrator().HasTable("data_keys") {
				t.Fatal("data_keys is still there after migrating down")
			}
			if err := database.MigrateKeyStore(ctx, s.DB()); err != nil {
				t.Fatal(err)
			}
			if !s.DB().Migrator().HasTable("data_keys") || !s.DB().Migrator().HasTable("master_keys") {
				t.Fatal("the key store's tables are missing after migrating up again")
			}
		})
	}
}
