// Package token makes opaque identifiers and single-use secrets.
package token

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"strings"
)

var enc = base32.StdEncoding.WithPadding(base32.NoPadding)

func random(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("token: crypto/rand failed: " + err.Error())
	}
	return strings.ToLower(enc.EncodeToString(b))
}

// ID returns a new opaque 128-bit identifier.
func ID() string { return random(16) }

// New returns a new 256-bit secret and the SHA-256 hash that is stored in its place (SECURITY A7).
func New() (plain, hash string) {
	plain = random(32)
	return plain, Hash(plain)
}

// Hash returns the hex SHA-256 of a secret.
func Hash(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}
