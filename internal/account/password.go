package account

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters of DESIGN §2.1.
const (
	argonMemory  = 19456
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16

	// MinPasswordLen and MaxPasswordLen bound a password, counted in characters.
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

//go:embed common_passwords.txt
var commonPasswordsText string

func loadCommon() map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsText))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			m[strings.ToLower(w)] = true
		}
	}
	return m
}

// HashWait is how long a password check waits for a free hashing slot before answering busy.
const HashWait = 10 * time.Second

// Hasher hashes and verifies passwords with argon2id under a concurrency cap (SECURITY A1, A5).
type Hasher struct {
	sem    chan struct{}
	common map[string]bool
	dummy  string
	wait   time.Duration
	// busy and peak count hashes running now and at most at once (read by tests).
	busy, peak atomic.Int32
}

// NewHasher returns a Hasher that runs at most limit hashes at once.
func NewHasher(limit int) *Hasher {
	if limit < 1 {
		limit = 1
	}
	h := &Hasher{sem: make(chan struct{}, limit), common: loadCommon(), wait: HashWait}
	h.dummy = encodeHash(randomSalt(), make([]byte, argonKeyLen))
	return h
}

// ErrBusy is returned when the hashing queue stays full for HashWait or until the request is cancelled.
var ErrBusy = errors.New("account: password hashing is busy")

func (h *Hasher) acquire(ctx context.Context) error {
	timer := time.NewTimer(h.wait)
	defer timer.Stop()
	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		return ErrBusy
	case <-timer.C:
		return ErrBusy
	}
	n := h.busy.Add(1)
	for {
		p := h.peak.Load()
		if n <= p || h.peak.CompareAndSwap(p, n) {
			break
		}
	}
	return nil
}

func (h *Hasher) release() {
	h.busy.Add(-1)
	<-h.sem
}

// CheckPolicy returns a user-facing message when pw breaks the password rules, else "".
func (h *Hasher) CheckPolicy(pw string) string {
	if !utf8.ValidString(pw) {
		return "Use valid text characters."
	}
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLen {
		return fmt.Sprintf("Use at least %d characters; a few words together work well.", MinPasswordLen)
	}
	if n > MaxPasswordLen {
		return fmt.Sprintf("Use at most %d characters.", MaxPasswordLen)
	}
	if h.common[strings.ToLower(pw)] {
		return "This password is very common and easy to guess; choose another."
	}
	return ""
}

// Hash returns the PHC string of pw.
func (h *Hasher) Hash(ctx context.Context, pw string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	salt := randomSalt()
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return encodeHash(salt, key), nil
}

// Verify reports whether pw matches the PHC string. An empty phc verifies against a dummy
// hash so a missing user costs the same time as a wrong password (SECURITY A3).
func (h *Hasher) Verify(ctx context.Context, phc, pw string) (bool, error) {
	real := phc != ""
	if !real {
		phc = h.dummy
	}
	salt, key, err := decodeHash(phc)
	if err != nil {
		return false, err
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	got := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, uint32(len(key)))
	return real && subtle.ConstantTimeCompare(got, key) == 1, nil
}

func randomSalt() []byte {
	s := make([]byte, saltLen)
	if _, err := rand.Read(s); err != nil {
		panic("account: crypto/rand failed: " + err.Error())
	}
	return s
}

var b64 = base64.RawStdEncoding

func encodeHash(salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

func decodeHash(phc string) (salt, key []byte, err error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return nil, nil, errors.New("account: unknown password hash format")
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m != argonMemory || t != argonTime || p != argonThreads {
		return nil, nil, errors.New("account: unexpected password hash parameters")
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil {
		return nil, nil, err
	}
	if key, err = b64.DecodeString(parts[5]); err != nil {
		return nil, nil, err
	}
	return salt, key, nil
}
