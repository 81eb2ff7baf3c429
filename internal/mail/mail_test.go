package mail_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/config"
	mmail "github.com/mendhq/mend/internal/mail"
	"github.com/mendhq/mend/internal/mail/mailtest"
)

const base = "https://notes.example.org"

// revealing are words that would tell whoever sees an inbox what Mend is for (SECURITY L1).
var revealing = regexp.MustCompile(`(?i)\b(mend|partner|couple|trust|check-?in|relationship|betray\w*|affair|agreement|therap\w*|infidel\w*|cheat\w*|waiting for you to|streak|hurt|answers?)\b`)

// TestEveryMessageIsNeutral covers SECURITY L1 for the texts themselves: every kind has a neutral
// subject and body with no revealing word, no streak or urgency, and a link to the base URL that holds
// a secret only for the confirmation and reset kinds.
func TestEveryMessageIsNeutral(t *testing.T) {
	t.Parallel()
	for _, k := range mmail.Kinds {
		link := ""
		if k.NeedsLink() {
			link = base + "/confirm-email/secret123"
		}
		m, err := mmail.Compose(k, "person@example.org", base, link)
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		if w := revealing.FindString(m.Subject + "\n" + m.Text); w != "" {
			t.Errorf("%s says %q:\n%s\n%s", k, w, m.Subject, m.Text)
		}
		want := base + "/"
		if k.NeedsLink() {
			want = link
		}
		if !strings.Contains(m.Text, want) {
			t.Errorf("%s: no link %s in\n%s", k, want, m.Text)
		}
		if !k.NeedsLink() && strings.Contains(m.Text, base+"/c") {
			t.Errorf("%s: a path beyond the base URL: %s", k, m.Text)
		}
	}
	if m, _ := mmail.Compose(mmail.Reminder, "p@example.org", base, ""); m.Subject != "A reminder" {
		t.Errorf("reminder subject %q", m.Subject)
	}
	if m, _ := mmail.Compose(mmail.Updates, "p@example.org", base, ""); m.Subject != "Something new is waiting for you" {
		t.Errorf("updates subject %q", m.Subject)
	}
	if _, err := mmail.Compose(mmail.Reminder, "p@example.org", base, base+"/x/secret"); err == nil {
		t.Error("a reminder took a link with a secret")
	}
	if _, err := mmail.Compose(mmail.ConfirmEmail, "p@example.org", base, ""); err == nil {
		t.Error("a confirmation was written without its link")
	}
	if _, err := mmail.Compose(mmail.ConfirmEmail, "p@example.org", base, "https://elsewhere.example/confirm-email/x"); err == nil {
		t.Error("a confirmation link to another site was accepted")
	}
}

func send(t *testing.T, srv *mailtest.Server, cfg config.SMTP) error {
	t.Helper()
	m, err := mmail.Compose(mmail.Reminder, "person@example.org", base, "")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return mmail.NewSMTP(cfg, "Notes <notes@example.org>", srv.TLSConfig()).Send(ctx, m)
}

// TestSMTPDeliveryOverTLS covers SECURITY L2 against a real SMTP server: over STARTTLS (with a
// certificate made for the test, and SMTP AUTH) and over implicit TLS the message arrives encrypted,
// with the right envelope and headers; plain SMTP reaches a loopback server only when asked for.
func TestSMTPDeliveryOverTLS(t *testing.T) {
	t.Parallel()
	for _, sec := range []string{config.SMTPStartTLS, config.SMTPImplicitTLS, config.SMTPPlain} {
		t.Run(sec, func(t *testing.T) {
			t.Parallel()
			srv := mailtest.Start(t, mailtest.Options{Security: sec, Username: "mailer", Password: "s3cret-pass"})
			if err := send(t, srv, srv.Config()); err != nil {
				t.Fatalf("send: %v", err)
			}
			got := srv.Wait(t, 1, 10*time.Second)[0]
			if got.TLS != (sec != config.SMTPPlain) {
				t.Errorf("TLS = %v", got.TLS)
			}
			if got.From != "notes@example.org" || len(got.To) != 1 || got.To[0] != "person@example.org" || got.User != "mailer" {
				t.Errorf("envelope: from %q to %v user %q", got.From, got.To, got.User)
			}
			h, body := got.Parsed(t)
			if !strings.Contains(body, "This is the reminder you asked for.") || !regexp.MustCompile(regexp.QuoteMeta(base+"/")+`\r?\n`).MatchString(body) {
				t.Errorf("body:\n%s", body)
			}
			if h.Get("Subject") != "A reminder" || h.Get("To") != "<person@example.org>" || !strings.Contains(h.Get("From"), "notes@example.org") ||
				h.Get("Date") == "" || h.Get("Message-Id") == "" {
				t.Errorf("headers: %v", h)
			}
			for k := range h {
				if w := revealing.FindString(k + ": " + h.Get(k)); w != "" {
					t.Errorf("header %s says %q", k, w)
				}
			}
		})
	}
}

// TestSMTPRefusesToSendWithoutTLS covers SECURITY L2's other half: smtp:// to a server that offers no
// STARTTLS, or whose certificate is not trusted, sends nothing.
func TestSMTPRefusesToSendWithoutTLS(t *testing.T) {
	t.Parallel()
	plain := mailtest.Start(t, mailtest.Options{Security: config.SMTPPlain})
	cfg := plain.Config()
	cfg.Security = config.SMTPStartTLS
	if err := send(t, plain, cfg); err == nil {
		t.Error("smtp:// sent to a server without STARTTLS")
	}
	tlsSrv := mailtest.Start(t, mailtest.Options{})
	m, _ := mmail.Compose(mmail.Reminder, "person@example.org", base, "")
	if err := mmail.NewSMTP(tlsSrv.Config(), "notes@example.org", nil).Send(context.Background(), m); err == nil {
		t.Error("sent over STARTTLS to a server whose certificate nobody trusts")
	}
	if n := len(plain.Messages()) + len(tlsSrv.Messages()); n != 0 {
		t.Errorf("%d messages arrived", n)
	}
}

// TestSendErrorsNeverCarryTheAddress keeps recipients' addresses out of stored errors and logs.
func TestSendErrorsNeverCarryTheAddress(t *testing.T) {
	t.Parallel()
	if got := mmail.Redact("550 5.1.1 <person@example.org>: no such user", "person@example.org"); strings.Contains(got, "person@") {
		t.Errorf("Redact left the address: %q", got)
	}
	srv := mailtest.Start(t, mailtest.Options{Username: "mailer", Password: "right"})
	cfg := srv.Config()
	cfg.Password = "wrong"
	err := send(t, srv, cfg)
	if err == nil || strings.Contains(err.Error(), "person@example.org") || strings.Contains(err.Error(), "wrong") {
		t.Errorf("error %v", err)
	}
}
