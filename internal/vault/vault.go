// Package vault encrypts personal text at rest (DESIGN §5.5): envelope encryption with
// XChaCha20-Poly1305 (golang.org/x/crypto/chacha20poly1305), no cryptography of Mend's own.
//
// Keys. Every person has a data key for what they wrote, and every couple one for its joint texts:
// 32 random bytes, made the first time something is sealed for that owner. Data keys are stored wrapped
// (encrypted) by the master key (MEND_MASTER_KEY, else the key file keys/master.key in MEND_DATA_DIR)
// in the key store, a database of its own (keys/keys.db with SQLite, MEND_KEYSTORE_URL with
// PostgreSQL), so a copy of the data database (mend backup, pg_dump, a replica, a stolen disk) holds
// ciphertext and never the keys that open it. Deleting an account shreds its data key (Shred): every
// copy of that person's text, past backups included, can no longer be opened.
//
// The rule for features. A feature that stores personal text:
//   - seals each text column with Seal (or SealRow) before it writes it, with the owner whose key it
//     is (Person of the author, Couple for a joint text) and the row's own table, column and id, and
//     writes the returned string;
//   - opens every such column it reads with Open (or OpenRow), with the same table, column and id;
//   - lists the column in its Columns, so mend keys encrypt-existing reaches rows written before
//     encryption was on.
//
// Why explicit calls rather than GORM callbacks driven by struct tags: the hottest reads of sealed text
// are raw SQL scanned by hand (the session's user, the couple's members) or Pluck, and updates are
// often maps without the row's id; a callback would pass those by silently, in the clear. An explicit
// call is plain to read at the place the text is written or shown; a missing Open shows ciphertext
// (the features' tests compare text), a missing Seal is what the canary tests in internal/proof and
// testutil.RequireSealed catch, and a database without a vault refuses to seal (ErrNoVault), as
// server.New refuses to serve one.
//
// The ciphertext is bound to its table, column and row id (associated data), so a value copied to
// another row or column does not open. Empty text stays empty: that a field is empty is visible, its
// words are not. Ratings, dates and ids stay plain so queries and aggregates keep working; nothing
// sealed may be searched, sorted or compared in SQL. Length rules apply to the plaintext, in Go.
//
// Open returns text without the "v1." prefix as it is: rows written before encryption read as they
// did until mend keys encrypt-existing seals them.
package vault

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"gorm.io/gorm"
)

// Owner kinds: whose data key seals a text.
const (
	KindPerson = "person"
	KindCouple = "couple"
)

// Owner is the person or couple whose data key seals a text.
type Owner struct {
	Kind string
	ID   string
}

// Person is the owner of what user userID wrote.
func Person(userID string) Owner { return Owner{Kind: KindPerson, ID: userID} }

// Couple is the owner of a couple's joint texts.
func Couple(coupleID string) Owner { return Owner{Kind: KindCouple, ID: coupleID} }

// Errors Open and the key store return.
var (
	// ErrShredded is Open's answer for a text whose data key is gone: its owner was deleted.
	ErrShredded = errors.New("vault: the data key of this text was deleted with its owner (crypto-shredded)")
	// ErrTampered is Open's answer for a ciphertext that does not open: altered, or moved from
	// another row or column.
	ErrTampered = errors.New("vault: a ciphertext does not open (altered, or moved from another row or column)")
	// ErrNoVault is the answer of a Vault that was never set up (a *gorm.DB without Attach).
	ErrNoVault = errors.New("vault: the database has no key store attached (vault.Attach); refusing to store personal text unencrypted")
)

// Vault seals and opens personal text with data keys from its key store. It is safe for concurrent
// use. A nil *Vault seals nothing (ErrNoVault) and opens only plaintext.
type Vault struct {
	store *Store
	cache *cache
	meter atomic.Pointer[Meter]
	// unsealed marks the Vault of Unsealed, which stores text as it is.
	unsealed bool
}

// New returns a Vault over store.
func New(store *Store) *Vault { return &Vault{store: store, cache: newCache(maxCached)} }

// Unsealed returns a Vault that stores text as it is given, the way Mend stored it before encryption:
// for building a database that EncryptExisting then seals in place (the benchmark seeds couples
// through the services this way, then copies and renames them, which a value bound to its row id
// would not survive). It opens plaintext only. A server refuses a database with it (IsUnsealed).
func Unsealed() *Vault { return &Vault{unsealed: true} }

// IsUnsealed reports whether v is the Vault of Unsealed.
func (v *Vault) IsUnsealed() bool { return v != nil && v.unsealed }

// Store returns the key store behind v.
func (v *Vault) Store() *Store { return v.store }

// pluginName is the name under which Attach registers the vault on a *gorm.DB.
const pluginName = "mend:vault"

// plugin carries a Vault on a *gorm.DB, so every service built over the one database reaches the same
// vault without a global or a new constructor argument.
type plugin struct{ v *Vault }

func (plugin) Name() string              { return pluginName }
func (plugin) Initialize(*gorm.DB) error { return nil }

// Attach makes v the vault of db's services (From). It fails when db already has one.
func Attach(db *gorm.DB, v *Vault) error {
	if err := db.Use(plugin{v: v}); err != nil {
		return fmt.Errorf("vault: attach: %w", err)
	}
	return nil
}

// From returns the vault attached to db, or nil (whose Seal fails with ErrNoVault), also for a nil db.
func From(db *gorm.DB) *Vault {
	if db == nil || db.Config == nil {
		return nil
	}
	if p, ok := db.Config.Plugins[pluginName].(plugin); ok {
		return p.v
	}
	return nil
}

// Shred deletes the data keys of owners from the key store and from this process's cache: whatever
// was sealed with them, in the live database and in every copy of it, can no longer be opened.
// A nil Vault has sealed nothing, so it has nothing to shred.
func (v *Vault) Shred(ctx context.Context, owners ...Owner) error {
	if v == nil || v.unsealed {
		return nil
	}
	for _, o := range owners {
		v.cache.forgetOwner(o)
	}
	return v.store.deleteKeys(ctx, owners)
}

// Column is one sealed column, for mend keys encrypt-existing: the table, the column, and the column of
// the same row that holds the owner's id (a person's or a couple's, by Kind).
//
// Key lists the columns of the row's primary key, nil meaning a text primary key named id; the row id
// a composite key's values are sealed under is those values joined by "/" (RowID). OwnerColumn and
// KindColumn may be SQL expressions over the row (a sub-select, a CASE): KindColumn, when set, gives
// each row's owner kind (KindPerson or KindCouple) in place of Kind, for a table whose rows belong
// to a person or to the couple, as its own columns say.
type Column struct {
	Table, Name, OwnerColumn, Kind string
	Key                            []string
	KindColumn                     string
}

// RowID is the row id a value of a table with a composite primary key is sealed under: the key's
// values in order, joined by "/".
func RowID(parts ...string) string { return strings.Join(parts, "/") }

func (c Column) key() []string {
	if len(c.Key) == 0 {
		return []string{"id"}
	}
	return c.Key
}
