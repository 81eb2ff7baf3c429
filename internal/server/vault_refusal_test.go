package server

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/vault"
)

// TestServerRefusesADatabaseThatWouldStoreTextInTheClear: no vault, or the unsealed one the benchmark
// builds databases with, and the server does not start.
func TestServerRefusesADatabaseThatWouldStoreTextInTheClear(t *testing.T) {
	t.Parallel()
	bare, err := database.Open(t.TempDir()+"/mend.db", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(bare) })
	cfg := config.Config{SecretKey: bytes.Repeat([]byte{7}, 32), BaseURL: "http://127.0.0.1:8080"}
	if _, err := New(Deps{Config: cfg, DB: bare}); !errors.Is(err, vault.ErrNoVault) {
		t.Errorf("without a vault: %v", err)
	}
	if err := vault.Attach(bare, vault.Unsealed()); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Deps{Config: cfg, DB: bare}); err == nil || !strings.Contains(err.Error(), "unsealed") {
		t.Errorf("with the unsealed vault: %v", err)
	}
}
