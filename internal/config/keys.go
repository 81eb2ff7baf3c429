package config

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// MasterKeySize is the length in bytes of the master key that wraps the data keys (internal/vault).
const MasterKeySize = 32

// masterKeyHint says how to make a master key, for error messages.
const masterKeyHint = "want the base64 of 32 random bytes (generate one with: openssl rand -base64 32)"

// errMasterKeyNeeded says why PostgreSQL needs MEND_MASTER_KEY.
var errMasterKeyNeeded = errors.New("MEND_MASTER_KEY: required with PostgreSQL: every instance must open the same " +
	"data keys, so Mend will not generate a master key into a local file (" + masterKeyHint + ", and give every " +
	"instance the same value; keep it out of the database and its backups)")

// errKeyStoreNeeded says why PostgreSQL needs MEND_KEYSTORE_URL.
var errKeyStoreNeeded = errors.New("MEND_KEYSTORE_URL: required with PostgreSQL: the wrapped data keys live in a " +
	"PostgreSQL database of their own, never in the data database, so a pg_dump of the data cannot be read " +
	"with the keys beside it (create an empty database, say mend_keys, and set " +
	"MEND_KEYSTORE_URL=postgres://user:password@host:5432/mend_keys)")

// ParseMasterKey decodes a master key given as base64 (standard or URL alphabet, padded or not).
func ParseMasterKey(v string) ([]byte, error) {
	v = strings.TrimSpace(v)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(v); err == nil {
			if len(b) != MasterKeySize {
				return nil, fmt.Errorf("is %d bytes long: %s", len(b), masterKeyHint)
			}
			return b, nil
		}
	}
	return nil, errors.New("is not base64: " + masterKeyHint)
}

// loadKeys reads MEND_MASTER_KEY and MEND_KEYSTORE_URL.
func (c *Config) loadKeys(getenv func(string) string) error {
	var errs []error
	if v := getenv("MEND_MASTER_KEY"); v != "" {
		k, err := ParseMasterKey(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("MEND_MASTER_KEY: %w", err))
		}
		c.MasterKey = k
	}
	c.KeyStoreURL = strings.TrimSpace(getenv("MEND_KEYSTORE_URL"))
	return errors.Join(errs...)
}

// validateKeys checks MEND_KEYSTORE_URL's form. That PostgreSQL needs it and MEND_MASTER_KEY is checked
// when the key store opens (RequireKeys, LoadMasterKey), so commands that do not touch personal text
// (mend backup's advice, healthcheck) run without them.
func (c Config) validateKeys() error {
	if c.Engine() != EnginePostgres {
		if c.KeyStoreURL != "" {
			return errors.New("MEND_KEYSTORE_URL: only used with PostgreSQL; with SQLite the key store is " +
				"keys/keys.db in MEND_DATA_DIR")
		}
		return nil
	}
	var errs []error
	switch {
	case c.KeyStoreURL == "":
	case !isPostgresURL(c.KeyStoreURL):
		errs = append(errs, errors.New("MEND_KEYSTORE_URL: want postgres://user:password@host:5432/dbname"))
	case samePostgresDatabase(c.KeyStoreURL, c.DatabaseURL):
		errs = append(errs, errors.New("MEND_KEYSTORE_URL: names the same database as MEND_DATABASE_URL; the key "+
			"store must be a database of its own, so a backup of the data never holds its keys"))
	default:
		if err := checkPostgresURL(c.KeyStoreURL); err != nil {
			errs = append(errs, errors.New(strings.Replace(err.Error(), "MEND_DATABASE_URL", "MEND_KEYSTORE_URL", 1)))
		}
	}
	return errors.Join(errs...)
}

// RequireKeys returns, with PostgreSQL, the errors for a missing MEND_MASTER_KEY or MEND_KEYSTORE_URL.
func (c Config) RequireKeys() error {
	if c.Engine() != EnginePostgres {
		return nil
	}
	var errs []error
	if c.MasterKey == nil {
		errs = append(errs, errMasterKeyNeeded)
	}
	if c.KeyStoreURL == "" {
		errs = append(errs, errKeyStoreNeeded)
	}
	return errors.Join(errs...)
}

// samePostgresDatabase reports whether a and b are the same URL (a rough check: two spellings of one
// database are not caught).
func samePostgresDatabase(a, b string) bool {
	return strings.TrimRight(a, "/") == strings.TrimRight(b, "/")
}

// KeyDir is the directory of the master key file and, with SQLite, of the key store.
func (c Config) KeyDir() string { return filepath.Join(c.DataDir, "keys") }

// MasterKeyPath is the master key file used when MEND_MASTER_KEY is not set.
func (c Config) MasterKeyPath() string { return filepath.Join(c.KeyDir(), "master.key") }

// KeyStorePath is the SQLite key store, a database file of its own beside the master key file.
func (c Config) KeyStorePath() string { return filepath.Join(c.KeyDir(), "keys.db") }

// EnsureKeyDir creates the key directory with mode 0700 and tightens an existing one.
func (c Config) EnsureKeyDir() error {
	if err := os.MkdirAll(c.KeyDir(), 0o700); err != nil {
		return fmt.Errorf("config: key dir: %w", err)
	}
	if err := os.Chmod(c.KeyDir(), 0o700); err != nil {
		return fmt.Errorf("config: key dir: %w", err)
	}
	return nil
}

// LoadMasterKey fills MasterKey from the key file when MEND_MASTER_KEY was not set, generating and
// storing a random key (mode 0600, in a 0700 directory) the first time. With PostgreSQL it refuses
// (see errMasterKeyNeeded).
func (c *Config) LoadMasterKey() error {
	if c.MasterKey != nil {
		return nil
	}
	if c.Engine() == EnginePostgres {
		return errMasterKeyNeeded
	}
	if err := c.EnsureKeyDir(); err != nil {
		return err
	}
	path := c.MasterKeyPath()
	k, err := ReadMasterKeyFile(path)
	if err == nil {
		c.MasterKey, c.masterFromFile = k, true
		return nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	k = make([]byte, MasterKeySize)
	if _, err := rand.Read(k); err != nil {
		return fmt.Errorf("config: generate master key: %w", err)
	}
	if err := WriteMasterKeyFile(path, k); err != nil {
		return err
	}
	c.MasterKey, c.masterFromFile = k, true
	return nil
}

// ReadMasterKeyFile reads a master key file (base64 of 32 bytes). A missing file is os.ErrNotExist.
func ReadMasterKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("config: read master key: %w", err)
	}
	k, err := ParseMasterKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("master key file %s (used because MEND_MASTER_KEY is not set) %w", path, err)
	}
	return k, nil
}

// WriteMasterKeyFile writes key to a new file at path (mode 0600), failing if it exists.
func WriteMasterKeyFile(path string, key []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("config: write master key: %w", err)
	}
	_, err = f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("config: write master key: %w", err)
	}
	return nil
}
