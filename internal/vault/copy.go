package vault

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/database"
)

// DataKeys returns how many data keys the key store db holds.
func DataKeys(ctx context.Context, db *gorm.DB) (int64, error) {
	var n int64
	if err := db.WithContext(ctx).Model(&dataKey{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("key store: read: %w", err)
	}
	return n, nil
}

// CopyStore copies the key store src into the key store dst (migrating it first), as they are: wrapped
// keys stay wrapped, so dst opens with the same master key. dst must hold no data key; the master key
// check a mend migrate left in it is replaced by src's. It compares the counts before it commits and
// returns how many data keys it copied.
func CopyStore(ctx context.Context, src, dst *gorm.DB) (int, error) {
	if err := database.MigrateKeyStore(ctx, dst); err != nil {
		return 0, err
	}
	var masters []masterKey
	var keys []dataKey
	if err := src.WithContext(ctx).Order("version").Find(&masters).Error; err != nil {
		return 0, fmt.Errorf("key store: copy: %w", err)
	}
	if err := src.WithContext(ctx).Order("id").Find(&keys).Error; err != nil {
		return 0, fmt.Errorf("key store: copy: %w", err)
	}
	err := dst.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		held, err := DataKeys(ctx, tx)
		if err != nil {
			return err
		}
		if held > 0 {
			return errors.New("the target key store is not empty")
		}
		if err := tx.Where("version >= 1").Delete(&masterKey{}).Error; err != nil {
			return err
		}
		if len(masters) > 0 {
			if err := tx.Create(&masters).Error; err != nil {
				return err
			}
		}
		if len(keys) > 0 {
			if err := tx.CreateInBatches(&keys, 200).Error; err != nil {
				return err
			}
		}
		n, err := DataKeys(ctx, tx)
		if err == nil && n != int64(len(keys)) {
			err = fmt.Errorf("copied %d data keys, the target holds %d", len(keys), n)
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("key store: copy: %w", err)
	}
	return len(keys), nil
}
