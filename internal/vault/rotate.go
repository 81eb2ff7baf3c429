package vault

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/crypto/chacha20poly1305"
	"gorm.io/gorm"
)

// Rotate re-wraps every data key under next, in one transaction, as the next master key version, and
// forgets the current master key: from then on only next opens the key store. The data keys, and so
// the data, do not change. It returns how many data keys it re-wrapped.
func (s *Store) Rotate(ctx context.Context, next []byte) (int, error) {
	kek, err := chacha20poly1305.NewX(next)
	if err != nil {
		return 0, fmt.Errorf("key store: rotate: %w", err)
	}
	version := s.version + 1
	n := 0
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var keys []dataKey
		if err := tx.Order("id").Find(&keys).Error; err != nil {
			return err
		}
		for i := range keys {
			k := &keys[i]
			raw, err := s.unseal(k.Wrapped, wrapAD(k))
			if err != nil {
				return fmt.Errorf("data key %s does not unwrap: %w", k.ID, ErrTampered)
			}
			k.KEKVersion = version
			if k.Wrapped, err = sealWith(kek, raw, wrapAD(k)); err != nil {
				return err
			}
			if err := tx.Model(&dataKey{}).Where("id = ?", k.ID).
				Updates(map[string]any{"kek_version": version, "wrapped": k.Wrapped}).Error; err != nil {
				return err
			}
			n++
		}
		check, err := sealWith(kek, []byte(checkText), checkAD(version))
		if err != nil {
			return err
		}
		if err := tx.Create(&masterKey{Version: version, CheckValue: check, CreatedAt: time.Now().UTC()}).Error; err != nil {
			return err
		}
		return tx.Where("version < ?", version).Delete(&masterKey{}).Error
	})
	if err != nil {
		return 0, fmt.Errorf("key store: rotate: %w", err)
	}
	s.kek, s.version = kek, version
	return n, nil
}

// Rotated tells v that its store's master key changed: cached keys are dropped.
func (v *Vault) Rotated() { v.cache.clear() }
