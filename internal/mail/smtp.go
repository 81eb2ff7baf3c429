package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/mendhq/mend/internal/config"
)

// Sender delivers one message; an error means the server did not accept it.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// SMTP sends through the server of MEND_SMTP_URL (SECURITY L2): STARTTLS required for smtp://,
// implicit TLS for smtps://, and plain only for the loopback hosts config.ParseSMTPURL allows.
type SMTP struct {
	cfg  config.SMTP
	from string
	tls  *tls.Config
}

// Timeout bounds one connection to the SMTP server, from dial to the end of the message.
const Timeout = 30 * time.Second

// NewSMTP returns a Sender over cfg, sending from from. tlsConfig, when not nil, replaces the TLS
// settings (tests use it to trust a test certificate); its ServerName defaults to the SMTP host.
func NewSMTP(cfg config.SMTP, from string, tlsConfig *tls.Config) *SMTP {
	t := &tls.Config{MinVersion: tls.VersionTLS12}
	if tlsConfig != nil {
		t = tlsConfig.Clone()
	}
	if t.ServerName == "" {
		t.ServerName = cfg.Host
	}
	return &SMTP{cfg: cfg, from: from, tls: t}
}

func (s *SMTP) client() (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(Timeout), gomail.WithTLSConfig(s.tls)}
	switch s.cfg.Security {
	case config.SMTPImplicitTLS:
		opts = append(opts, gomail.WithSSL())
	case config.SMTPPlain:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.Username != "" {
		auth := gomail.SMTPAuthAutoDiscover
		if s.cfg.Security == config.SMTPPlain {
			// Only to a loopback host (config.ParseSMTPURL), where the password never crosses a network.
			auth = gomail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	return gomail.NewClient(s.cfg.Host, opts...)
}

// Send delivers m. The error never carries the recipient's address (it is replaced by "<recipient>"),
// so it can be stored and logged.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("mail: from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("mail: the recipient's address was refused")
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	c, err := s.client()
	if err != nil {
		return fmt.Errorf("mail: client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: send: %s", Redact(err.Error(), m.To))
	}
	return nil
}

// Redact replaces every appearance of address in s by "<recipient>".
func Redact(s, address string) string {
	if address == "" {
		return s
	}
	return strings.ReplaceAll(s, address, "<recipient>")
}
