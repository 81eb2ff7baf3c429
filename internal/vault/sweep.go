package vault

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// sweepBatch is how many data keys Sweep checks against the data database at a time.
const sweepBatch = 500

// Sweep shreds the data keys whose owner is no longer in db, the data database: a person or a couple
// deleted while the key store could not be reached (an account deletion shreds after its commit, and
// that step can fail), or deleted by hand. Keys made at or after before are left alone: a key is made
// at the first seal, before the row of its owner commits, so a young key's owner may be on its way.
// It returns how many keys it shredded. Sweep is safe to run at any time and from several instances.
func (v *Vault) Sweep(ctx context.Context, db *gorm.DB, before time.Time) (int, error) {
	if v == nil || v.unsealed {
		return 0, nil
	}
	shredded, after := 0, ""
	for {
		var keys []dataKey
		err := v.store.db.WithContext(ctx).Select("id, owner_kind, owner_id").
			Where("id > ? AND created_at < ?", after, before.UTC()).Order("id").Limit(sweepBatch).Find(&keys).Error
		if err != nil {
			return shredded, fmt.Errorf("vault: sweep: %w", err)
		}
		if len(keys) == 0 {
			return shredded, nil
		}
		after = keys[len(keys)-1].ID
		gone, err := ownersGone(ctx, db, keys)
		if err != nil {
			return shredded, fmt.Errorf("vault: sweep: %w", err)
		}
		if err := v.Shred(ctx, gone...); err != nil {
			return shredded, fmt.Errorf("vault: sweep: %w", err)
		}
		shredded += len(gone)
	}
}

// ownersGone returns the owners of keys that have no row in db: a person in users, a couple in couples.
func ownersGone(ctx context.Context, db *gorm.DB, keys []dataKey) ([]Owner, error) {
	ids := map[string][]string{}
	for _, k := range keys {
		ids[k.OwnerKind] = append(ids[k.OwnerKind], k.OwnerID)
	}
	present := map[Owner]bool{}
	for kind, table := range map[string]string{KindPerson: "users", KindCouple: "couples"} {
		if len(ids[kind]) == 0 {
			continue
		}
		var found []string
		if err := db.WithContext(ctx).Table(table).Where("id IN ?", ids[kind]).Pluck("id", &found).Error; err != nil {
			return nil, err
		}
		for _, id := range found {
			present[Owner{Kind: kind, ID: id}] = true
		}
	}
	var gone []Owner
	for _, k := range keys {
		if o := (Owner{Kind: k.OwnerKind, ID: k.OwnerID}); !present[o] {
			gone = append(gone, o)
		}
	}
	return gone, nil
}
