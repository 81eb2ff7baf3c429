package config

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
)

// How Mend talks to its SMTP server (SECURITY L2).
const (
	// SMTPStartTLS is smtp://: the connection must be upgraded with STARTTLS before anything is sent.
	SMTPStartTLS = "starttls"
	// SMTPImplicitTLS is smtps://: TLS from the first byte.
	SMTPImplicitTLS = "tls"
	// SMTPPlain is smtp://…?tls=none: no TLS at all, allowed only to a loopback host.
	SMTPPlain = "none"
)

// SMTP is the parsed MEND_SMTP_URL.
type SMTP struct {
	Host     string
	Port     int
	Username string
	Password string
	// Security is SMTPStartTLS, SMTPImplicitTLS or SMTPPlain.
	Security string
}

// Redacted returns the URL with the password masked, for the start-up print.
func (s *SMTP) Redacted() string {
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(s.Host, strconv.Itoa(s.Port))}
	switch s.Security {
	case SMTPImplicitTLS:
		u.Scheme = "smtps"
	case SMTPPlain:
		u.RawQuery = "tls=none"
	}
	if s.Username != "" {
		u.User = url.UserPassword(s.Username, "****")
	}
	return u.String()
}

// MailEnabled reports whether Mend can send e-mail: MEND_SMTP_URL and MEND_MAIL_FROM are both set.
func (c Config) MailEnabled() bool { return c.SMTP != nil && c.MailFrom != "" }

// loadMail reads MEND_SMTP_URL and MEND_MAIL_FROM: both or neither.
func (c *Config) loadMail(getenv func(string) string) error {
	raw, from := strings.TrimSpace(getenv("MEND_SMTP_URL")), strings.TrimSpace(getenv("MEND_MAIL_FROM"))
	var errs []error
	if raw != "" {
		s, err := ParseSMTPURL(raw)
		if err != nil {
			errs = append(errs, fmt.Errorf("MEND_SMTP_URL: %w", err))
		}
		c.SMTP = s
	}
	if from != "" {
		a, err := mail.ParseAddress(from)
		if err != nil || strings.ContainsAny(from, "\r\n") {
			errs = append(errs, fmt.Errorf("MEND_MAIL_FROM: want an address such as \"Notes <notes@example.org>\", got %q", from))
		} else {
			c.MailFrom = a.String()
		}
	}
	switch {
	case raw != "" && from == "":
		errs = append(errs, errors.New("MEND_MAIL_FROM: must be set when MEND_SMTP_URL is (the address messages come from)"))
	case raw == "" && from != "":
		errs = append(errs, errors.New("MEND_SMTP_URL: must be set when MEND_MAIL_FROM is (smtp://user:pass@host:587)"))
	}
	return errors.Join(errs...)
}

// ParseSMTPURL reads smtp://user:pass@host:587 (STARTTLS required), smtps://user:pass@host:465
// (implicit TLS) or smtp://host:25?tls=none (no TLS, only to a loopback host). It refuses anything else.
func ParseSMTPURL(raw string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return nil, errors.New("want smtp://user:password@host:587 or smtps://user:password@host:465")
	}
	s := &SMTP{Host: u.Hostname()}
	switch u.Scheme {
	case "smtp":
		s.Security, s.Port = SMTPStartTLS, 587
	case "smtps":
		s.Security, s.Port = SMTPImplicitTLS, 465
	default:
		return nil, fmt.Errorf("want the scheme smtp:// (STARTTLS) or smtps:// (TLS), got %q", u.Scheme)
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("port %q is not a port number", p)
		}
		s.Port = n
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	q := u.Query()
	for k := range q {
		if k != "tls" {
			return nil, fmt.Errorf("unknown option %q (only tls=none is understood)", k)
		}
	}
	if v, ok := q["tls"]; ok {
		if len(v) != 1 || v[0] != "none" || u.Scheme != "smtp" {
			return nil, errors.New("the only tls option is smtp://…?tls=none")
		}
		if !loopback(s.Host) {
			return nil, fmt.Errorf("tls=none sends mail unencrypted and is allowed only to a loopback host (127.0.0.1, ::1, localhost), not %q; use smtp:// with STARTTLS or smtps://", s.Host)
		}
		s.Security = SMTPPlain
	}
	return s, nil
}

func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// printMail adds the mail settings to Print.
func (c Config) printMail(w io.Writer) {
	smtp := "(not set: e-mail is off)"
	if c.SMTP != nil {
		smtp = c.SMTP.Redacted()
	}
	fmt.Fprintf(w, "  MEND_SMTP_URL=%s\n  MEND_MAIL_FROM=%s\n", smtp, c.MailFrom)
}
