package vault

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"golang.org/x/crypto/chacha20poly1305"
	"gorm.io/gorm"
)

// Store is the key store: the data keys, wrapped by the master key, in a database of their own.
type Store struct {
	db      *gorm.DB
	kek     cipher.AEAD
	version int
	source  string
}

// dataKey is one wrapped data key.
type dataKey struct {
	ID         string
	OwnerKind  string
	OwnerID    string
	KEKVersion int `gorm:"column:kek_version"`
	Wrapped    []byte
	CreatedAt  time.Time
}

func (dataKey) TableName() string { return "data_keys" }

// masterKey is the check value of one master key version: a known text sealed with it.
type masterKey struct {
	Version    int `gorm:"primaryKey;autoIncrement:false"`
	CheckValue []byte
	CreatedAt  time.Time
}

func (masterKey) TableName() string { return "master_keys" }

// checkText is what a master key version's check value seals.
const checkText = "mend master key check"

// NewStore checks master against the migrated key store db and returns the Store. source names where
// master came from (MEND_MASTER_KEY, or the key file), for the error when it is not the key the data
// keys were wrapped with. A new key store takes master as its version 1.
func NewStore(ctx context.Context, db *gorm.DB, master []byte, source string) (*Store, error) {
	kek, err := chacha20poly1305.NewX(master)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	s := &Store{db: db, kek: kek, source: source}
	var current masterKey
	err = db.WithContext(ctx).Order("version DESC").Take(&current).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return s, s.start(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("key store: read: %w", err)
	}
	if _, err := s.unseal(current.CheckValue, checkAD(current.Version)); err != nil {
		return nil, fmt.Errorf("%s: this master key does not open the key store (it is not the key the data keys "+
			"were wrapped with, version %d); start Mend with the master key it had, or restore the key store that "+
			"belongs with this key (after an interrupted mend keys rotate, the new key is in master.key.new)", source, current.Version)
	}
	s.version = current.Version
	return s, nil
}

// start records master as version 1 of a new key store. A key store with data keys and no master key
// version is refused: it was not made by Mend.
func (s *Store) start(ctx context.Context) error {
	var n int64
	if err := s.db.WithContext(ctx).Model(&dataKey{}).Count(&n).Error; err != nil {
		return fmt.Errorf("key store: read: %w", err)
	}
	if n > 0 {
		return errors.New("key store: holds data keys but no master key check; refusing to guess which key wraps them")
	}
	check, err := s.seal([]byte(checkText), checkAD(1))
	if err != nil {
		return err
	}
	if err := s.db.WithContext(ctx).Create(&masterKey{Version: 1, CheckValue: check, CreatedAt: time.Now().UTC()}).Error; err != nil {
		return fmt.Errorf("key store: start: %w", err)
	}
	s.version = 1
	return nil
}

// DB returns the key store's database.
func (s *Store) DB() *gorm.DB { return s.db }

// Version returns the version of the master key in use.
func (s *Store) Version() int { return s.version }

func checkAD(version int) []byte { return []byte("mend/master/v1\x00" + strconv.Itoa(version)) }

func wrapAD(k *dataKey) []byte {
	return []byte("mend/key/v1\x00" + k.ID + "\x00" + k.OwnerKind + "\x00" + k.OwnerID + "\x00" + strconv.Itoa(k.KEKVersion))
}

func (s *Store) seal(plain, ad []byte) ([]byte, error) { return sealWith(s.kek, plain, ad) }

func sealWith(kek cipher.AEAD, plain, ad []byte) ([]byte, error) {
	out := make([]byte, chacha20poly1305.NonceSizeX, chacha20poly1305.NonceSizeX+len(plain)+chacha20poly1305.Overhead)
	if _, err := rand.Read(out); err != nil {
		return nil, fmt.Errorf("key store: %w", err)
	}
	return kek.Seal(out, out, plain, ad), nil
}

func (s *Store) unseal(b, ad []byte) ([]byte, error) { return unsealWith(s.kek, b, ad) }

func unsealWith(kek cipher.AEAD, b, ad []byte) ([]byte, error) {
	if len(b) < chacha20poly1305.NonceSizeX+chacha20poly1305.Overhead {
		return nil, errors.New("key store: wrapped value too short")
	}
	return kek.Open(nil, b[:chacha20poly1305.NonceSizeX], b[chacha20poly1305.NonceSizeX:], ad)
}

// unwrap returns the AEAD of a stored data key.
func (s *Store) unwrap(k *dataKey) (cipher.AEAD, error) {
	if k.KEKVersion != s.version {
		return nil, fmt.Errorf("key store: data key %s is wrapped by master key version %d, not %d", k.ID, k.KEKVersion, s.version)
	}
	raw, err := s.unseal(k.Wrapped, wrapAD(k))
	if err != nil {
		return nil, fmt.Errorf("key store: data key %s does not unwrap (%s): %w", k.ID, s.source, ErrTampered)
	}
	return chacha20poly1305.NewX(raw)
}

// byOwner returns owner's key, nil when there is none.
func (s *Store) byOwner(ctx context.Context, o Owner) (*dataKey, error) {
	var k dataKey
	err := s.db.WithContext(ctx).Where("owner_kind = ? AND owner_id = ?", o.Kind, o.ID).Take(&k).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("key store: read: %w", err)
	}
	return &k, nil
}

// create makes and stores a new data key for o. When another process made one at the same moment,
// that one is returned.
func (s *Store) create(ctx context.Context, o Owner) (*dataKey, error) {
	raw := make([]byte, chacha20poly1305.KeySize)
	id := make([]byte, keyIDSize)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("key store: %w", err)
	}
	if _, err := rand.Read(id); err != nil {
		return nil, fmt.Errorf("key store: %w", err)
	}
	k := &dataKey{ID: hex.EncodeToString(id), OwnerKind: o.Kind, OwnerID: o.ID, KEKVersion: s.version, CreatedAt: time.Now().UTC()}
	var err error
	if k.Wrapped, err = s.seal(raw, wrapAD(k)); err != nil {
		return nil, err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// A key wrapped by a master key the store has rotated away from would not open after the
		// restart: refuse, so a process still running on the old key cannot add one.
		var current int
		if err := tx.Model(&masterKey{}).Select("COALESCE(MAX(version), 0)").Scan(&current).Error; err != nil {
			return err
		}
		if current != s.version {
			return fmt.Errorf("the master key was rotated (version %d, this process has %d): restart Mend with the new key", current, s.version)
		}
		return tx.Create(k).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return s.byOwner(ctx, o)
	}
	if err != nil {
		return nil, fmt.Errorf("key store: create: %w", err)
	}
	return k, nil
}

// deleteKeys removes the data keys of owners.
func (s *Store) deleteKeys(ctx context.Context, owners []Owner) error {
	for _, o := range owners {
		if err := s.db.WithContext(ctx).Where("owner_kind = ? AND owner_id = ?", o.Kind, o.ID).Delete(&dataKey{}).Error; err != nil {
			return fmt.Errorf("key store: shred: %w", err)
		}
	}
	return nil
}

// keyFor returns owner's data key (id and AEAD), making it on first use.
func (v *Vault) keyFor(ctx context.Context, o Owner) (string, cipher.AEAD, error) {
	if id, aead, ok := v.cache.owned(o); ok {
		return id, aead, nil
	}
	k, err := v.store.byOwner(ctx, o)
	if err == nil && k == nil {
		k, err = v.store.create(ctx, o)
	}
	if err != nil {
		return "", nil, err
	}
	aead, err := v.store.unwrap(k)
	if err != nil {
		return "", nil, err
	}
	v.cache.put(k.ID, o, aead)
	return k.ID, aead, nil
}

// keyByID returns the AEAD of data key id, or ErrShredded when it is gone.
func (v *Vault) keyByID(ctx context.Context, id string) (cipher.AEAD, error) {
	if aead, ok := v.cache.get(id); ok {
		return aead, nil
	}
	var k dataKey
	err := v.store.db.WithContext(ctx).Where("id = ?", id).Take(&k).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrShredded
	}
	if err != nil {
		return nil, fmt.Errorf("key store: read: %w", err)
	}
	aead, err := v.store.unwrap(&k)
	if err != nil {
		return nil, err
	}
	v.cache.put(k.ID, Owner{Kind: k.OwnerKind, ID: k.OwnerID}, aead)
	return aead, nil
}
