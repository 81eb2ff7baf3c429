// Package config reads Mend's configuration from MEND_* environment variables.
package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Registration modes.
const (
	RegistrationOpen       = "open"
	RegistrationInviteOnly = "invite-only"
	RegistrationClosed     = "closed"
)

// Config is the whole runtime configuration of a Mend server.
type Config struct {
	Addr            string
	DataDir         string
	DatabaseURL     string // MEND_DATABASE_URL as given; empty for SQLite in DataDir (see Engine)
	BaseURL         string
	SecretKey       []byte
	TrustedProxies  []string
	LogLevel        slog.Level
	QuickExitURL    string
	Registration    string
	IdleTimeout     time.Duration
	AbsoluteTimeout time.Duration
	// AppName is the name an installed Mend shows on a phone's home screen (MEND_APP_NAME): neutral
	// by default, so the icon does not say what it is for.
	AppName string
	// IndexGuide lets search engines index the landing and guide pages (MEND_INDEX_GUIDE=true); every
	// other page is always noindex.
	IndexGuide bool
	// SMTP is where Mend sends e-mail (MEND_SMTP_URL); nil when e-mail is not set up. MailFrom is the
	// sender address (MEND_MAIL_FROM). See mail.go.
	SMTP     *SMTP
	MailFrom string
	// MasterKey wraps the data keys that encrypt personal text (MEND_MASTER_KEY, base64 of 32 bytes;
	// else the key file, see LoadMasterKey). KeyStoreURL is the PostgreSQL database of the wrapped data
	// keys (MEND_KEYSTORE_URL), required with PostgreSQL; with SQLite the key store is KeyStorePath.
	MasterKey   []byte
	KeyStoreURL string
	// masterFromFile is set when LoadMasterKey read or made the key file.
	masterFromFile bool
}

// DefaultAppName is the installed app's name unless MEND_APP_NAME says otherwise.
const DefaultAppName = "Notes"

// Secure reports whether Mend is served over HTTPS (from the base URL).
func (c Config) Secure() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// knownWeakKeys are keys copied from examples; Mend refuses to start with them.
var knownWeakKeys = []string{"changeme", "secret", "mend", "password", "0000000000000000000000000000000000000000000000000000000000000000"}

// Load reads the configuration from getenv, applying defaults. It does not touch the disk;
// call EnsureDataDir and LoadSecret afterwards.
func Load(getenv func(string) string) (Config, error) {
	c := Config{
		Addr:            envOr(getenv, "MEND_ADDR", "127.0.0.1:8080"),
		DataDir:         envOr(getenv, "MEND_DATA_DIR", "./data"),
		DatabaseURL:     strings.TrimSpace(getenv("MEND_DATABASE_URL")),
		BaseURL:         strings.TrimRight(getenv("MEND_BASE_URL"), "/"),
		QuickExitURL:    envOr(getenv, "MEND_QUICK_EXIT_URL", "https://www.bbc.co.uk/weather"),
		Registration:    envOr(getenv, "MEND_REGISTRATION", RegistrationOpen),
		IdleTimeout:     30 * time.Minute,
		AbsoluteTimeout: 7 * 24 * time.Hour,
		AppName:         envOr(getenv, "MEND_APP_NAME", DefaultAppName),
	}
	var errs []error
	switch v := strings.TrimSpace(getenv("MEND_INDEX_GUIDE")); v {
	case "", "false":
	case "true":
		c.IndexGuide = true
	default:
		errs = append(errs, fmt.Errorf("MEND_INDEX_GUIDE: want true or false, got %q", v))
	}
	if v := getenv("MEND_SESSION_IDLE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute {
			errs = append(errs, fmt.Errorf("MEND_SESSION_IDLE: want a duration of at least 1m, got %q", v))
		}
		c.IdleTimeout = d
	}
	if v := getenv("MEND_SESSION_MAX"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute {
			errs = append(errs, fmt.Errorf("MEND_SESSION_MAX: want a duration of at least 1m, got %q", v))
		}
		c.AbsoluteTimeout = d
	}
	if v := getenv("MEND_TRUSTED_PROXIES"); v != "" {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				c.TrustedProxies = append(c.TrustedProxies, p)
			}
		}
	}
	switch strings.ToLower(envOr(getenv, "MEND_LOG_LEVEL", "info")) {
	case "debug":
		c.LogLevel = slog.LevelDebug
	case "info":
		c.LogLevel = slog.LevelInfo
	case "warn":
		c.LogLevel = slog.LevelWarn
	case "error":
		c.LogLevel = slog.LevelError
	default:
		errs = append(errs, fmt.Errorf("MEND_LOG_LEVEL: want debug, info, warn or error, got %q", getenv("MEND_LOG_LEVEL")))
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	}
	if v := getenv("MEND_SECRET_KEY"); v != "" {
		c.SecretKey = []byte(v)
	}
	if err := c.loadMail(getenv); err != nil {
		errs = append(errs, err)
	}
	if err := c.loadKeys(getenv); err != nil {
		errs = append(errs, err)
	}
	if err := c.Validate(); err != nil {
		errs = append(errs, err)
	}
	return c, errors.Join(errs...)
}

// Validate checks values that can be checked without the disk.
func (c Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("MEND_ADDR: want host:port, got %q", c.Addr))
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" {
		errs = append(errs, fmt.Errorf("MEND_BASE_URL: want an http(s) origin such as https://mend.example.org, got %q", c.BaseURL))
	}
	if u, err := url.Parse(c.QuickExitURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("MEND_QUICK_EXIT_URL: want an absolute http(s) URL, got %q", c.QuickExitURL))
	}
	switch c.Registration {
	case RegistrationOpen, RegistrationInviteOnly, RegistrationClosed:
	default:
		errs = append(errs, fmt.Errorf("MEND_REGISTRATION: want open, invite-only or closed, got %q", c.Registration))
	}
	if n := utf8.RuneCountInString(c.AppName); n == 0 || n > 30 || strings.IndexFunc(c.AppName, unicode.IsControl) >= 0 {
		errs = append(errs, fmt.Errorf("MEND_APP_NAME: want a short name of 1 to 30 visible characters, got %q", c.AppName))
	}
	for _, p := range c.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				errs = append(errs, fmt.Errorf("MEND_TRUSTED_PROXIES: %q is not an IP address or CIDR range", p))
			}
		}
	}
	if c.SecretKey != nil {
		if err := checkKey(c.SecretKey); err != nil {
			errs = append(errs, fmt.Errorf("MEND_SECRET_KEY: %w", err))
		}
	}
	if err := c.validateDatabase(); err != nil {
		errs = append(errs, err)
	}
	if err := c.validateKeys(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func checkKey(k []byte) error {
	if len(k) < 32 {
		return errors.New("must be at least 32 characters (generate one with: openssl rand -hex 32)")
	}
	for _, weak := range knownWeakKeys {
		if strings.EqualFold(string(k), weak) {
			return errors.New("is a well-known example value; generate a random one")
		}
	}
	distinct := map[byte]bool{}
	for _, b := range k {
		distinct[b] = true
	}
	if len(distinct) < 8 {
		return errors.New("is not random enough; generate a random one")
	}
	return nil
}

// EnsureDataDir creates the data directory with mode 0700 and tightens an existing one.
func (c Config) EnsureDataDir() error {
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return fmt.Errorf("config: data dir: %w", err)
	}
	if err := os.Chmod(c.DataDir, 0o700); err != nil {
		return fmt.Errorf("config: data dir: %w", err)
	}
	return nil
}

// LoadSecret fills SecretKey from the data dir when MEND_SECRET_KEY was not set,
// generating and storing a random key (mode 0600) the first time. With PostgreSQL it refuses:
// every instance must have the same key, so it has to come from MEND_SECRET_KEY.
func (c *Config) LoadSecret() error {
	if c.SecretKey != nil {
		return nil
	}
	if c.Engine() == EnginePostgres {
		return errSecretNeeded
	}
	path := filepath.Join(c.DataDir, "secret.key")
	b, err := os.ReadFile(path)
	if err == nil {
		key := []byte(strings.TrimSpace(string(b)))
		if err := checkKey(key); err != nil {
			return fmt.Errorf("config: %s: %w", path, err)
		}
		c.SecretKey = key
		return nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("config: read secret: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return fmt.Errorf("config: generate secret: %w", err)
	}
	key := []byte(hex.EncodeToString(raw))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("config: write secret: %w", err)
	}
	if _, err := f.Write(append(key, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("config: write secret: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("config: write secret: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("config: write secret: %w", err)
	}
	c.SecretKey = key
	return nil
}

// Print writes the configuration once, with the secret masked.
func (c Config) Print(w io.Writer) {
	secret := "(generated, kept in data dir)"
	if c.SecretKey != nil {
		secret = "****"
	}
	master, store := "(generated, kept in "+c.MasterKeyPath()+")", "sqlite:"+c.KeyStorePath()
	if c.MasterKey != nil && !c.masterFromFile {
		master = "****"
	}
	if c.Engine() == EnginePostgres {
		store = RedactURL(c.KeyStoreURL)
	}
	fmt.Fprintf(w, "mend configuration:\n  MEND_ADDR=%s\n  MEND_DATA_DIR=%s\n  MEND_DATABASE_URL=%s\n  MEND_BASE_URL=%s\n  MEND_SECRET_KEY=%s\n  MEND_TRUSTED_PROXIES=%s\n  MEND_LOG_LEVEL=%s\n  MEND_QUICK_EXIT_URL=%s\n  MEND_REGISTRATION=%s\n  MEND_SESSION_IDLE=%s\n  MEND_SESSION_MAX=%s\n  MEND_APP_NAME=%s\n  MEND_INDEX_GUIDE=%t\n  MEND_MASTER_KEY=%s\n  MEND_KEYSTORE_URL=%s\n",
		c.Addr, c.DataDir, c.DatabaseLabel(), c.BaseURL, secret, strings.Join(c.TrustedProxies, ","), strings.ToLower(c.LogLevel.String()),
		c.QuickExitURL, c.Registration, c.IdleTimeout, c.AbsoluteTimeout, c.AppName, c.IndexGuide, master, store)
	c.printMail(w)
}

func envOr(getenv func(string) string, key, def string) string {
	if v := strings.TrimSpace(getenv(key)); v != "" {
		return v
	}
	return def
}
