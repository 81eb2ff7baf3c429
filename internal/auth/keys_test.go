package auth_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/mendhq/mend/internal/auth"
	"github.com/mendhq/mend/internal/config"
)

// TestKeysAreDerivedPerPurpose covers SECURITY B2: separate 32-byte keys for JWT and CSRF, stable for one
// secret and different for another.
func TestKeysAreDerivedPerPurpose(t *testing.T) {
	t.Parallel()
	secret := []byte("a-secret-key-with-enough-randomness-0123456789")
	k1, k2 := auth.DeriveKeys(secret), auth.DeriveKeys(secret)
	if len(k1.JWT) != 32 || len(k1.CSRF) != 32 {
		t.Fatalf("key lengths %d, %d; want 32", len(k1.JWT), len(k1.CSRF))
	}
	if bytes.Equal(k1.JWT, k1.CSRF) || bytes.Equal(k1.JWT, secret[:32]) {
		t.Error("the JWT key is shared with another purpose or is the raw secret")
	}
	if !bytes.Equal(k1.JWT, k2.JWT) || !bytes.Equal(k1.CSRF, k2.CSRF) {
		t.Error("derivation is not stable")
	}
	other := auth.DeriveKeys([]byte("another-secret-key-with-enough-randomness-987654"))
	if bytes.Equal(k1.JWT, other.JWT) {
		t.Error("two secrets give the same JWT key")
	}
}

// TestShortOrKnownSecretsAreRefused covers SECURITY B2: Mend refuses to start on a short or well-known key,
// and a generated key is 32 random bytes kept with mode 0600.
func TestShortOrKnownSecretsAreRefused(t *testing.T) {
	t.Parallel()
	for name, key := range map[string]string{
		"short":       "only-31-characters-long-0123456",
		"known":       "0000000000000000000000000000000000000000000000000000000000000000",
		"not random":  "abababababababababababababababababab",
		"placeholder": "changeme",
	} {
		env := map[string]string{"MEND_SECRET_KEY": key}
		if _, err := config.Load(func(k string) string { return env[k] }); err == nil {
			t.Errorf("%s key %q accepted", name, key)
		}
	}
	good := map[string]string{"MEND_SECRET_KEY": "f3a9c2e4b6d8017a5c3e9b2d4f6a8c0e"}
	if _, err := config.Load(func(k string) string { return good[k] }); err != nil {
		t.Errorf("a random 32-character key refused: %v", err)
	}

	dir := t.TempDir()
	env := map[string]string{"MEND_DATA_DIR": dir}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.LoadSecret(); err != nil {
		t.Fatal(err)
	}
	if len(cfg.SecretKey) < 64 {
		t.Errorf("generated key has %d hex characters, want 64 (32 bytes)", len(cfg.SecretKey))
	}
	st, err := os.Stat(filepath.Join(dir, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("secret file mode %v, want 0600", st.Mode().Perm())
	}
	again, _ := config.Load(func(k string) string { return env[k] })
	if err := again.LoadSecret(); err != nil || !bytes.Equal(again.SecretKey, cfg.SecretKey) {
		t.Errorf("the generated key is not kept: %v", err)
	}
}
