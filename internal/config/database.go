package config

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// The engines Mend stores its data in.
const (
	EngineSQLite   = "sqlite"   // one file in MEND_DATA_DIR: the embedded default
	EnginePostgres = "postgres" // a PostgreSQL server that several instances may share
)

// urlForms is what MEND_DATABASE_URL may look like, for error messages.
const urlForms = "want sqlite:, sqlite:/path/to/mend.db or postgres://user:password@host:5432/dbname"

// Engine returns EngineSQLite or EnginePostgres, from MEND_DATABASE_URL. An unset URL, or one Validate
// refuses, is SQLite.
func (c Config) Engine() string {
	if isPostgresURL(c.DatabaseURL) {
		return EnginePostgres
	}
	return EngineSQLite
}

// DatabasePath is where the SQLite database lives: the path after "sqlite:" in MEND_DATABASE_URL, else
// mend.db in the data dir. It means nothing with PostgreSQL.
func (c Config) DatabasePath() string {
	if p, ok := strings.CutPrefix(c.DatabaseURL, "sqlite:"); ok && p != "" {
		return p
	}
	return filepath.Join(c.DataDir, "mend.db")
}

// DatabaseLabel names the database for messages and the start-up banner: the SQLite file, or the
// PostgreSQL URL with its password masked.
func (c Config) DatabaseLabel() string {
	if c.Engine() == EngineSQLite {
		return "sqlite:" + c.DatabasePath()
	}
	return RedactURL(c.DatabaseURL)
}

// RedactURL returns a PostgreSQL URL with its password, in the user part or in a password parameter,
// masked, or a fixed text when the URL does not parse (it might hold a password anywhere).
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(a URL that does not parse)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

func isPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// validateDatabase checks MEND_DATABASE_URL and, with PostgreSQL, that the secret key is given.
func (c Config) validateDatabase() error {
	raw := c.DatabaseURL
	switch {
	case raw == "" || raw == "sqlite:":
		return nil
	case strings.HasPrefix(raw, "sqlite:"):
		if strings.HasPrefix(raw, "sqlite://") {
			return errors.New("MEND_DATABASE_URL: write a SQLite file as sqlite:/path/to/mend.db (one slash), not as sqlite://…")
		}
		return nil
	case !isPostgresURL(raw):
		scheme, _, found := strings.Cut(raw, ":")
		if !found || strings.ContainsAny(scheme, "/@") {
			scheme = "no engine"
		}
		return fmt.Errorf("MEND_DATABASE_URL: %s, got %s", urlForms, scheme)
	}
	var errs []error
	if err := checkPostgresURL(raw); err != nil {
		errs = append(errs, err)
	}
	if c.SecretKey == nil {
		errs = append(errs, errSecretNeeded)
	}
	return errors.Join(errs...)
}

// errSecretNeeded says why PostgreSQL needs MEND_SECRET_KEY.
var errSecretNeeded = errors.New("MEND_SECRET_KEY: required with PostgreSQL: several Mend instances can serve one " +
	"database, and each must sign and check sessions with the same key, so Mend will not generate one into a local " +
	"file (generate one with: openssl rand -hex 32, and give every instance the same value)")

// checkPostgresURL parses raw as pgx will, and returns an error naming the variable and never the password.
func checkPostgresURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the whole URL, password and all
		}
		return fmt.Errorf("MEND_DATABASE_URL: not a valid URL: %v (percent-encode any special characters in the user name or password)", err)
	}
	if _, err := pgconn.ParseConfig(raw); err != nil {
		msg := err.Error()
		if pw, ok := u.User.Password(); ok && pw != "" {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
			msg = strings.ReplaceAll(msg, url.QueryEscape(pw), "xxxxx")
		}
		if pw := u.Query().Get("password"); pw != "" {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
		return fmt.Errorf("MEND_DATABASE_URL: %s", msg)
	}
	return nil
}
