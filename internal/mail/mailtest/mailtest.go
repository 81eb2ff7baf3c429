// Package mailtest runs a real SMTP server (github.com/emersion/go-smtp) on 127.0.0.1 for tests, with
// STARTTLS or implicit TLS over a certificate generated at start, and keeps every message it accepts.
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/mendhq/mend/internal/config"
)

// Received is one message the server accepted.
type Received struct {
	From string
	To   []string
	Data string
	// TLS reports whether the message came over an encrypted connection.
	TLS bool
	// User is the name the client authenticated as, if it did.
	User string
}

// Parsed returns the message's headers and its body decoded (quoted-printable or base64), failing
// the test when it is not a well-formed message.
func (r Received) Parsed(t testing.TB) (mail.Header, string) {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(r.Data))
	if err != nil {
		t.Fatalf("mailtest: parse: %v\n%s", err, r.Data)
	}
	var body io.Reader = m.Body
	switch strings.ToLower(m.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(m.Body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, m.Body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("mailtest: body: %v", err)
	}
	return m.Header, string(b)
}

// Text is the decoded body (see Parsed).
func (r Received) Text(t testing.TB) string {
	t.Helper()
	_, body := r.Parsed(t)
	return body
}

// Options choose how the server talks.
type Options struct {
	// Security is config.SMTPStartTLS (the default), config.SMTPImplicitTLS or config.SMTPPlain.
	Security string
	// Username and Password, when set, are the only credentials AUTH PLAIN accepts.
	Username, Password string
}

// Server is a running test SMTP server.
type Server struct {
	Host string
	Port int
	// Pool trusts the server's certificate; CertPEM is that certificate.
	Pool    *x509.CertPool
	CertPEM []byte

	opts     Options
	srv      *smtp.Server
	mu       sync.Mutex
	messages []Received
	arrived  chan struct{}
	hold     chan struct{}
	holding  chan struct{}
}

// Start runs a server until the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Security == "" {
		opts.Security = config.SMTPStartTLS
	}
	cert, certPEM, pool := testCertificate(t)
	s := &Server{Pool: pool, CertPEM: certPEM, opts: opts, arrived: make(chan struct{}, 1000)}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{s: s, c: c}, nil }))
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	s.srv.AllowInsecureAuth = opts.Security == config.SMTPPlain
	tlsConf := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	var ln net.Listener
	var err error
	switch opts.Security {
	case config.SMTPStartTLS:
		s.srv.TLSConfig = tlsConf
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	case config.SMTPImplicitTLS:
		ln, err = tls.Listen("tcp", "127.0.0.1:0", tlsConf)
	default:
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	s.Host = host
	s.Port, _ = strconv.Atoi(port)
	go func() { _ = s.srv.Serve(ln) }()
	t.Cleanup(func() {
		s.Release()
		_ = s.srv.Close()
	})
	return s
}

// Config returns the configuration that reaches this server, as MEND_SMTP_URL would give it.
func (s *Server) Config() config.SMTP {
	return config.SMTP{Host: s.Host, Port: s.Port, Security: s.opts.Security, Username: s.opts.Username, Password: s.opts.Password}
}

// URL returns the MEND_SMTP_URL of this server.
func (s *Server) URL() string {
	c := s.Config()
	return c.Redacted()
}

// TLSConfig trusts the server's certificate.
func (s *Server) TLSConfig() *tls.Config {
	return &tls.Config{RootCAs: s.Pool, MinVersion: tls.VersionTLS12}
}

// Messages returns every message accepted so far.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.messages...)
}

// Wait blocks until n messages in all have been accepted, failing the test after timeout.
func (s *Server) Wait(t testing.TB, n int, timeout time.Duration) []Received {
	t.Helper()
	deadline := time.After(timeout)
	for len(s.Messages()) < n {
		select {
		case <-s.arrived:
		case <-deadline:
			t.Fatalf("mailtest: %d messages after %v, want %d", len(s.Messages()), timeout, n)
		}
	}
	return s.Messages()
}

// HoldData makes every DATA command wait, unaccepted, until the test ends; the returned channel
// receives once for each DATA that is being held, so a test can act while a message is mid-send.
func (s *Server) HoldData() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hold, s.holding = make(chan struct{}), make(chan struct{}, 100)
	return s.holding
}

// Release ends HoldData: held messages are refused, and later ones are accepted again.
func (s *Server) Release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hold != nil {
		close(s.hold)
		s.hold = nil
	}
}

type session struct {
	s    *Server
	c    *smtp.Conn
	from string
	to   []string
	user string
}

func (se *session) AuthMechanisms() []string {
	if se.s.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (se *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != se.s.opts.Username || password != se.s.opts.Password {
			return errors.New("invalid credentials")
		}
		se.user = username
		return nil
	}), nil
}

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	if se.s.opts.Username != "" && se.user == "" {
		return smtp.ErrAuthRequired
	}
	se.from = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	se.to = append(se.to, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	se.s.mu.Lock()
	hold, holding := se.s.hold, se.s.holding
	se.s.mu.Unlock()
	if hold != nil {
		holding <- struct{}{}
		<-hold
		return errors.New("held")
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := se.c.TLSConnectionState()
	se.s.mu.Lock()
	se.s.messages = append(se.s.messages, Received{From: se.from, To: append([]string(nil), se.to...), Data: string(b), TLS: isTLS, User: se.user})
	se.s.mu.Unlock()
	se.s.arrived <- struct{}{}
	return nil
}

func (se *session) Reset()        { se.from, se.to = "", nil }
func (se *session) Logout() error { return nil }

// testCertificate makes a self-signed certificate for 127.0.0.1 and localhost, valid for an hour.
func testCertificate(t testing.TB) (tls.Certificate, []byte, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("mailtest: key: %v", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "mailtest"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.IPv6loopback}, DNSNames: []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatalf("mailtest: certificate: %v", err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, certPEM, pool
}
