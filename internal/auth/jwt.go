package auth

import (
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Token claims fixed by DESIGN §2.1.
const (
	Issuer   = "mend"
	Audience = "mend"
	TypeSess = "session"
	// MaxTokenLen bounds what is even parsed (SECURITY B4).
	MaxTokenLen = 2048
)

type claims struct {
	SID  string `json:"sid"`
	Type string `json:"typ"`
	jwt.RegisteredClaims
}

// Tokens signs and verifies session JWTs with HS256 only.
type Tokens struct {
	key []byte
	now func() time.Time
	// parser holds the verification rules; built once, it is safe for concurrent use.
	parser *jwt.Parser
	keyFn  jwt.Keyfunc
}

// NewTokens returns Tokens using key and the clock now.
func NewTokens(key []byte, now func() time.Time) *Tokens {
	if now == nil {
		now = time.Now
	}
	t := &Tokens{key: key, now: now}
	t.keyFn = func(*jwt.Token) (any, error) { return t.key, nil }
	t.parser = jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithIssuer(Issuer),
		jwt.WithAudience(Audience),
		jwt.WithLeeway(30*time.Second),
		jwt.WithTimeFunc(now),
	)
	return t
}

// Issue returns a signed token for the user's session, valid until exp.
func (t *Tokens) Issue(userID, sid string, exp time.Time) (string, error) {
	c := claims{SID: sid, Type: TypeSess, RegisteredClaims: jwt.RegisteredClaims{
		Subject:   userID,
		Issuer:    Issuer,
		Audience:  jwt.ClaimStrings{Audience},
		IssuedAt:  jwt.NewNumericDate(t.now()),
		ExpiresAt: jwt.NewNumericDate(exp),
	}}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.key)
}

// ErrInvalidToken is returned for any token that does not verify.
var ErrInvalidToken = errors.New("auth: invalid token")

// Parse verifies raw and returns its user and session ids (SECURITY B1, B3).
func (t *Tokens) Parse(raw string) (userID, sid string, err error) {
	if raw == "" || len(raw) > MaxTokenLen {
		return "", "", ErrInvalidToken
	}
	var c claims
	_, err = t.parser.ParseWithClaims(raw, &c, t.keyFn)
	if err != nil || c.Type != TypeSess || c.Subject == "" || c.SID == "" {
		return "", "", ErrInvalidToken
	}
	return c.Subject, c.SID, nil
}
