package config_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/config"
)

// TestSMTPURL covers SECURITY L2 at start-up: smtp:// requires STARTTLS, smtps:// is implicit TLS, and
// plain SMTP (tls=none) is accepted only to a loopback host; anything else is a start-up error naming
// the variable. Without MEND_SMTP_URL and MEND_MAIL_FROM e-mail is off and Mend starts as before.
func TestSMTPURL(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(nil))
	if err != nil || c.MailEnabled() || c.SMTP != nil {
		t.Fatalf("default: e-mail on (%+v) or error %v", c.SMTP, err)
	}
	good := []struct {
		url, security, host string
		port                int
	}{
		{"smtp://user:pa%3Ass@mail.example.org:587", config.SMTPStartTLS, "mail.example.org", 587},
		{"smtp://mail.example.org", config.SMTPStartTLS, "mail.example.org", 587},
		{"smtps://user:pass@mail.example.org", config.SMTPImplicitTLS, "mail.example.org", 465},
		{"smtp://127.0.0.1:1025?tls=none", config.SMTPPlain, "127.0.0.1", 1025},
		{"smtp://[::1]:25?tls=none", config.SMTPPlain, "::1", 25},
		{"smtp://localhost:25?tls=none", config.SMTPPlain, "localhost", 25},
	}
	for _, g := range good {
		c, err := config.Load(env(map[string]string{"MEND_SMTP_URL": g.url, "MEND_MAIL_FROM": "Notes <notes@example.org>"}))
		if err != nil {
			t.Errorf("%s: %v", g.url, err)
			continue
		}
		if !c.MailEnabled() || c.SMTP.Security != g.security || c.SMTP.Host != g.host || c.SMTP.Port != g.port {
			t.Errorf("%s: got %+v", g.url, c.SMTP)
		}
	}
	c, _ = config.Load(env(map[string]string{"MEND_SMTP_URL": "smtp://user:pa%3Ass@mail.example.org:587", "MEND_MAIL_FROM": "notes@example.org"}))
	if c.SMTP.Username != "user" || c.SMTP.Password != "pa:ss" {
		t.Errorf("credentials: %q %q", c.SMTP.Username, c.SMTP.Password)
	}
	var out bytes.Buffer
	c.Print(&out)
	if strings.Contains(out.String(), "pa:ss") || strings.Contains(out.String(), "pa%3Ass") || !strings.Contains(out.String(), "MEND_SMTP_URL=smtp://user:") {
		t.Errorf("the printed configuration shows the SMTP password or no SMTP line:\n%s", out.String())
	}

	bad := map[string]map[string]string{
		"plain to a remote host":     {"MEND_SMTP_URL": "smtp://mail.example.org:25?tls=none", "MEND_MAIL_FROM": "n@example.org"},
		"plain to a private address": {"MEND_SMTP_URL": "smtp://10.0.0.5:25?tls=none", "MEND_MAIL_FROM": "n@example.org"},
		"plain with smtps":           {"MEND_SMTP_URL": "smtps://127.0.0.1:465?tls=none", "MEND_MAIL_FROM": "n@example.org"},
		"unknown scheme":             {"MEND_SMTP_URL": "http://mail.example.org", "MEND_MAIL_FROM": "n@example.org"},
		"unknown option":             {"MEND_SMTP_URL": "smtp://mail.example.org?insecure=1", "MEND_MAIL_FROM": "n@example.org"},
		"bad port":                   {"MEND_SMTP_URL": "smtp://mail.example.org:99999", "MEND_MAIL_FROM": "n@example.org"},
		"no host":                    {"MEND_SMTP_URL": "smtp://", "MEND_MAIL_FROM": "n@example.org"},
		"from missing":               {"MEND_SMTP_URL": "smtp://mail.example.org"},
	}
	for name, kv := range bad {
		want := "MEND_SMTP_URL"
		if name == "from missing" {
			want = "MEND_MAIL_FROM"
		}
		if _, err := config.Load(env(kv)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one naming %s", name, err, want)
		}
	}
	for name, kv := range map[string]map[string]string{
		"url missing":  {"MEND_MAIL_FROM": "n@example.org"},
		"from invalid": {"MEND_SMTP_URL": "smtp://mail.example.org", "MEND_MAIL_FROM": "not an address"},
		"from header":  {"MEND_SMTP_URL": "smtp://mail.example.org", "MEND_MAIL_FROM": "n@example.org\r\nBcc: x@example.org"},
	} {
		want := "MEND_MAIL_FROM"
		if name == "url missing" {
			want = "MEND_SMTP_URL"
		}
		if _, err := config.Load(env(kv)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one naming %s", name, err, want)
		}
	}
}
