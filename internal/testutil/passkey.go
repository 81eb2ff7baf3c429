package testutil

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"testing"

	"github.com/go-webauthn/webauthn/protocol/webauthncbor"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"
)

// Authenticator is a software passkey authenticator for tests: it answers the options Mend's begin
// endpoints give as a platform authenticator would (ES256 keys, "none" attestation, discoverable
// credentials), signing for Origin. Tests change its answers to play an attacker.
type Authenticator struct {
	Origin string
	// UserVerified sets the UV flag; false plays an authenticator that skipped the PIN or biometric.
	UserVerified bool
	creds        []*SoftCredential
}

// SoftCredential is one key the authenticator holds.
type SoftCredential struct {
	ID         []byte
	RPID       string
	UserHandle []byte
	Key        *ecdsa.PrivateKey
	// Count is the signature counter; each assertion adds one first.
	Count uint32
}

// NewAuthenticator returns an authenticator signing for origin, verifying its user.
func NewAuthenticator(origin string) *Authenticator {
	return &Authenticator{Origin: origin, UserVerified: true}
}

// Credentials returns the keys the authenticator holds, oldest first.
func (a *Authenticator) Credentials() []*SoftCredential { return a.creds }

type b64 []byte

func (b *b64) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	out, err := base64.RawURLEncoding.DecodeString(s)
	*b = out
	return err
}

func enc(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// Create answers navigator.credentials.create options (the JSON a begin endpoint returns, with or
// without its publicKey wrapper) and returns the credential JSON a finish endpoint takes.
func (a *Authenticator) Create(t testing.TB, options []byte) []byte {
	t.Helper()
	var o struct {
		PublicKey struct {
			Challenge b64 `json:"challenge"`
			RP        struct {
				ID string `json:"id"`
			} `json:"rp"`
			User struct {
				ID b64 `json:"id"`
			} `json:"user"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal(options, &o); err != nil {
		t.Fatalf("creation options %s: %v", options, err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	cred := &SoftCredential{ID: id, RPID: o.PublicKey.RP.ID, UserHandle: o.PublicKey.User.ID, Key: key}
	a.creds = append(a.creds, cred)

	pub, err := webauthncbor.Marshal(map[int64]any{
		1: int64(webauthncose.EllipticKey), 3: int64(webauthncose.AlgES256), -1: int64(webauthncose.P256),
		-2: key.X.FillBytes(make([]byte, 32)), -3: key.Y.FillBytes(make([]byte, 32)),
	})
	if err != nil {
		t.Fatal(err)
	}
	attested := make([]byte, 16) // AAGUID: none
	attested = binary.BigEndian.AppendUint16(attested, uint16(len(id)))
	attested = append(attested, id...)
	attested = append(attested, pub...)
	authData := a.authData(cred.RPID, 0x40, 0, attested)
	attObj, err := webauthncbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": authData})
	if err != nil {
		t.Fatal(err)
	}
	client := a.clientData(t, "webauthn.create", o.PublicKey.Challenge)
	out, _ := json.Marshal(map[string]any{
		"id": enc(id), "rawId": enc(id), "type": "public-key",
		"response": map[string]any{"attestationObject": enc(attObj), "clientDataJSON": enc(client)},
	})
	return out
}

// Get answers navigator.credentials.get options with the newest key for their relying party that the
// allow list names (any, for a discoverable sign-in), or with use when it is not nil.
func (a *Authenticator) Get(t testing.TB, options []byte, use *SoftCredential) []byte {
	t.Helper()
	var o struct {
		PublicKey struct {
			Challenge b64    `json:"challenge"`
			RPID      string `json:"rpId"`
			Allow     []struct {
				ID b64 `json:"id"`
			} `json:"allowCredentials"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal(options, &o); err != nil {
		t.Fatalf("request options %s: %v", options, err)
	}
	cred := use
	for i := len(a.creds) - 1; cred == nil && i >= 0; i-- {
		c := a.creds[i]
		if c.RPID != o.PublicKey.RPID {
			continue
		}
		ok := len(o.PublicKey.Allow) == 0
		for _, al := range o.PublicKey.Allow {
			ok = ok || string(al.ID) == string(c.ID)
		}
		if ok {
			cred = c
		}
	}
	if cred == nil {
		t.Fatalf("the authenticator holds no key for %s", options)
	}
	return a.Assert(t, cred, o.PublicKey.Challenge)
}

// Assert signs challenge with cred as an assertion answer, moving its counter on first.
func (a *Authenticator) Assert(t testing.TB, cred *SoftCredential, challenge []byte) []byte {
	t.Helper()
	cred.Count++
	authData := a.authData(cred.RPID, 0, cred.Count, nil)
	client := a.clientData(t, "webauthn.get", challenge)
	hash := sha256.Sum256(client)
	digest := sha256.Sum256(append(append([]byte{}, authData...), hash[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, cred.Key, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(map[string]any{
		"id": enc(cred.ID), "rawId": enc(cred.ID), "type": "public-key",
		"response": map[string]any{"authenticatorData": enc(authData), "clientDataJSON": enc(client),
			"signature": enc(sig), "userHandle": enc(cred.UserHandle)},
	})
	return out
}

func (a *Authenticator) authData(rpID string, extra byte, count uint32, attested []byte) []byte {
	h := sha256.Sum256([]byte(rpID))
	flags := byte(0x01) | extra // user present
	if a.UserVerified {
		flags |= 0x04
	}
	d := append([]byte{}, h[:]...)
	d = append(d, flags)
	d = binary.BigEndian.AppendUint32(d, count)
	return append(d, attested...)
}

func (a *Authenticator) clientData(t testing.TB, typ string, challenge []byte) []byte {
	t.Helper()
	out, err := json.Marshal(map[string]any{"type": typ, "challenge": enc(challenge), "origin": a.Origin, "crossOrigin": false})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
