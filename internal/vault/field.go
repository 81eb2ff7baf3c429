package vault

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/chacha20poly1305"
)

// Prefix starts every sealed value: "v1." + base64url(key id ‖ nonce ‖ ciphertext and tag).
const Prefix = "v1."

const (
	keyIDSize = 16
	// minSealed is the shortest sealed value's decoded length: key id, nonce and tag.
	minSealed = keyIDSize + chacha20poly1305.NonceSizeX + chacha20poly1305.Overhead
)

// Field names where a sealed value lives: its table, its column and the id of its row.
type Field struct {
	Table, Column, Row string
}

// associated is the associated data that binds a ciphertext to its place and its key: the format
// version, table, column, row id and data key id. A value moved anywhere else does not open.
func (f Field) associated(keyID string) []byte {
	return []byte("mend/field/v1\x00" + f.Table + "\x00" + f.Column + "\x00" + f.Row + "\x00" + keyID)
}

// Seal encrypts plain for f under owner's data key (made on first use) and returns the text to store.
// Empty text stays empty. A nil Vault fails with ErrNoVault.
func (v *Vault) Seal(ctx context.Context, owner Owner, f Field, plain string) (string, error) {
	if plain == "" {
		return "", nil
	}
	if v == nil {
		return "", ErrNoVault
	}
	if v.unsealed {
		return plain, nil
	}
	if m := v.meter.Load(); m != nil {
		defer m.add(&m.seals, time.Now())
	}
	if owner.ID == "" || f.Row == "" {
		return "", fmt.Errorf("vault: seal %s.%s: owner and row id are required", f.Table, f.Column)
	}
	id, aead, err := v.keyFor(ctx, owner)
	if err != nil {
		return "", fmt.Errorf("vault: seal %s.%s: %w", f.Table, f.Column, err)
	}
	rawID, _ := hex.DecodeString(id)
	out := make([]byte, keyIDSize+chacha20poly1305.NonceSizeX, minSealed+len(plain))
	copy(out, rawID)
	if _, err := rand.Read(out[keyIDSize:]); err != nil {
		return "", fmt.Errorf("vault: seal: %w", err)
	}
	out = aead.Seal(out, out[keyIDSize:], []byte(plain), f.associated(id))
	return Prefix + base64.RawURLEncoding.EncodeToString(out), nil
}

// Open returns the text stored at f. A value without the "v1." prefix (written before encryption was
// on) is returned as it is; a sealed one whose owner was deleted is ErrShredded; one that fails to
// open, or has the prefix and not the form, is ErrTampered (so a damaged value is never shown as text).
func (v *Vault) Open(ctx context.Context, f Field, stored string) (string, error) {
	if !strings.HasPrefix(stored, Prefix) {
		return stored, nil
	}
	raw, ok := sealed(stored)
	if !ok {
		return "", fmt.Errorf("vault: open %s.%s row %s: %w", f.Table, f.Column, f.Row, ErrTampered)
	}
	if v == nil || v.unsealed {
		return "", ErrNoVault
	}
	if m := v.meter.Load(); m != nil {
		defer m.add(&m.opens, time.Now())
	}
	id := hex.EncodeToString(raw[:keyIDSize])
	aead, err := v.keyByID(ctx, id)
	if err != nil {
		return "", fmt.Errorf("vault: open %s.%s: %w", f.Table, f.Column, err)
	}
	nonce := raw[keyIDSize : keyIDSize+chacha20poly1305.NonceSizeX]
	plain, err := aead.Open(nil, nonce, raw[keyIDSize+chacha20poly1305.NonceSizeX:], f.associated(id))
	if err != nil {
		return "", fmt.Errorf("vault: open %s.%s row %s: %w", f.Table, f.Column, f.Row, ErrTampered)
	}
	return string(plain), nil
}

// IsSealed reports whether stored has the form of a sealed value.
func IsSealed(stored string) bool {
	_, ok := sealed(stored)
	return ok
}

func sealed(stored string) ([]byte, bool) {
	rest, ok := strings.CutPrefix(stored, Prefix)
	if !ok {
		return nil, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil || len(raw) < minSealed {
		return nil, false
	}
	return raw, true
}

// Col is one text column of a row, for SealRow and OpenRow: its name and the text, which they replace.
type Col struct {
	Name string
	Text *string
}

// SealRow seals each column of row id in table for owner, in place.
func (v *Vault) SealRow(ctx context.Context, owner Owner, table, id string, cols ...Col) error {
	for _, c := range cols {
		s, err := v.Seal(ctx, owner, Field{Table: table, Column: c.Name, Row: id}, *c.Text)
		if err != nil {
			return err
		}
		*c.Text = s
	}
	return nil
}

// OpenRow opens each column of row id in table, in place.
func (v *Vault) OpenRow(ctx context.Context, table, id string, cols ...Col) error {
	for _, c := range cols {
		s, err := v.Open(ctx, Field{Table: table, Column: c.Name, Row: id}, *c.Text)
		if err != nil {
			return err
		}
		*c.Text = s
	}
	return nil
}
