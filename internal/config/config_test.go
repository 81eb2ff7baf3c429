package config_test

import (
	"os"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/config"
)

func env(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

// TestAppNameAndIndexGuide checks the defaults and the validation of MEND_APP_NAME and MEND_INDEX_GUIDE.
func TestAppNameAndIndexGuide(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(nil))
	if err != nil || c.AppName != config.DefaultAppName || c.IndexGuide {
		t.Fatalf("defaults: %q %v, %v", c.AppName, c.IndexGuide, err)
	}
	c, err = config.Load(env(map[string]string{"MEND_APP_NAME": "Garden", "MEND_INDEX_GUIDE": "true"}))
	if err != nil || c.AppName != "Garden" || !c.IndexGuide {
		t.Fatalf("set: %q %v, %v", c.AppName, c.IndexGuide, err)
	}
	for name, kv := range map[string]map[string]string{
		"MEND_APP_NAME":    {"MEND_APP_NAME": strings.Repeat("n", 31)},
		"MEND_INDEX_GUIDE": {"MEND_INDEX_GUIDE": "yes"},
	} {
		if _, err := config.Load(env(kv)); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%v: error %v, want one naming %s", kv, err, name)
		}
	}
	if _, err := config.Load(env(map[string]string{"MEND_APP_NAME": "Bad\x07name"})); err == nil {
		t.Error("a control character in MEND_APP_NAME was accepted")
	}
}

// TestMasterKey checks MEND_MASTER_KEY's parsing, that PostgreSQL needs it and MEND_KEYSTORE_URL, and the
// key file made on first start (0600 in a 0700 directory) and read on the next.
func TestMasterKey(t *testing.T) {
	t.Parallel()
	good := "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
	c, err := config.Load(env(map[string]string{"MEND_MASTER_KEY": good}))
	if err != nil || len(c.MasterKey) != 32 || c.MasterKey[31] != 31 {
		t.Fatalf("a good key: %v, %v", c.MasterKey, err)
	}
	for _, bad := range []string{"not base64!", "AAECAwQF", strings.Repeat("A", 100)} {
		if _, err := config.Load(env(map[string]string{"MEND_MASTER_KEY": bad})); err == nil || !strings.Contains(err.Error(), "MEND_MASTER_KEY") {
			t.Errorf("MEND_MASTER_KEY=%q: %v; want an error naming it", bad, err)
		}
	}
	pg := map[string]string{"MEND_DATABASE_URL": "postgres://mend@localhost/mend", "MEND_SECRET_KEY": strings.Repeat("ab01cd23", 5)}
	c, err = config.Load(env(pg))
	if err == nil {
		err = c.RequireKeys()
	}
	if err == nil || !strings.Contains(err.Error(), "MEND_MASTER_KEY") || !strings.Contains(err.Error(), "MEND_KEYSTORE_URL") {
		t.Errorf("PostgreSQL without keys: %v; want MEND_MASTER_KEY and MEND_KEYSTORE_URL named", err)
	}
	pg["MEND_MASTER_KEY"], pg["MEND_KEYSTORE_URL"] = good, "postgres://mend@localhost/mend"
	if _, err := config.Load(env(pg)); err == nil || !strings.Contains(err.Error(), "same database") {
		t.Errorf("key store in the data database: %v", err)
	}
	pg["MEND_KEYSTORE_URL"] = "postgres://mend@localhost/mend_keys"
	if _, err := config.Load(env(pg)); err != nil {
		t.Errorf("PostgreSQL with keys: %v", err)
	}

	dir := t.TempDir()
	first := config.Config{DataDir: dir}
	if err := first.LoadMasterKey(); err != nil || len(first.MasterKey) != 32 {
		t.Fatalf("generate: %v", err)
	}
	second := config.Config{DataDir: dir}
	if err := second.LoadMasterKey(); err != nil || string(second.MasterKey) != string(first.MasterKey) {
		t.Fatalf("read again: %v", err)
	}
	if err := os.WriteFile(first.MasterKeyPath(), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	third := config.Config{DataDir: dir}
	if err := third.LoadMasterKey(); err == nil || !strings.Contains(err.Error(), "MEND_MASTER_KEY") {
		t.Errorf("a malformed key file: %v; want an error naming MEND_MASTER_KEY", err)
	}
}

// TestPrintMasksTheMasterKey checks the start-up banner never shows the master key: masked when given,
// the key file's path when generated.
func TestPrintMasksTheMasterKey(t *testing.T) {
	t.Parallel()
	good := "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
	c, err := config.Load(env(map[string]string{"MEND_MASTER_KEY": good}))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	c.Print(&out)
	if !strings.Contains(out.String(), "MEND_MASTER_KEY=****") || strings.Contains(out.String(), good) {
		t.Errorf("banner with MEND_MASTER_KEY:\n%s", out.String())
	}
	f := config.Config{DataDir: t.TempDir()}
	if err := f.LoadMasterKey(); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	f.Print(&out)
	key, _ := os.ReadFile(f.MasterKeyPath())
	if !strings.Contains(out.String(), "MEND_MASTER_KEY=(generated, kept in "+f.MasterKeyPath()+")") || strings.Contains(out.String(), strings.TrimSpace(string(key))) {
		t.Errorf("banner with the key file:\n%s", out.String())
	}
}
