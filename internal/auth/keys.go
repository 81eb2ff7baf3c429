// Package auth issues and verifies session tokens and carries the signed-in user through a request.
package auth

import (
	"crypto/hkdf"
	"crypto/sha256"
)

// Keys are the purpose-bound keys derived from the one secret (SECURITY B2).
type Keys struct {
	JWT  []byte
	CSRF []byte
}

// DeriveKeys derives separate keys for each purpose from secret with HKDF-SHA256.
func DeriveKeys(secret []byte) Keys {
	derive := func(info string) []byte {
		k, err := hkdf.Key(sha256.New, secret, []byte("mend-v1"), info, 32)
		if err != nil {
			panic("auth: hkdf: " + err.Error())
		}
		return k
	}
	return Keys{JWT: derive("jwt"), CSRF: derive("csrf")}
}
