package vault

import (
	"context"
	"fmt"
	"io"
	"strings"

	"gorm.io/gorm"
)

// EncryptExisting seals, in place, every value of cols in db that is not sealed yet: the rows written
// before encryption was on. It goes through each column by id in batches of batch rows, one
// transaction each, and writes a progress line per batch to progress. It is resumable and idempotent:
// a value that already has the sealed form is left alone, so a run that stopped is simply run again.
// A row changed meanwhile (its value no longer the one read) is left for the next run. It returns how
// many values it sealed.
func (v *Vault) EncryptExisting(ctx context.Context, db *gorm.DB, cols []Column, batch int, progress io.Writer) (int, error) {
	if v == nil {
		return 0, ErrNoVault
	}
	if batch < 1 {
		batch = 500
	}
	sealed := 0
	for _, c := range cols {
		n, err := v.encryptColumn(ctx, db, c, batch, progress)
		sealed += n
		if err != nil {
			return sealed, fmt.Errorf("vault: encrypt %s.%s: %w", c.Table, c.Name, err)
		}
	}
	return sealed, nil
}

type plainRow struct {
	ID, Owner, Value string
}

func (v *Vault) encryptColumn(ctx context.Context, db *gorm.DB, c Column, batch int, progress io.Writer) (int, error) {
	db = db.WithContext(ctx)
	var total int64
	if err := db.Table(c.Table).Where(c.Name + " IS NOT NULL AND " + c.Name + " <> ''").Count(&total).Error; err != nil {
		return 0, err
	}
	seen, sealed, after := 0, 0, ""
	for {
		var rows []plainRow
		err := db.Table(c.Table).Select("id, "+c.OwnerColumn+" AS owner, "+c.Name+" AS value").
			Where("id > ? AND "+c.Name+" IS NOT NULL AND "+c.Name+" <> ''", after).Order("id").Limit(batch).Scan(&rows).Error
		if err != nil {
			return sealed, err
		}
		if len(rows) == 0 {
			break
		}
		n, err := v.sealBatch(ctx, db, c, rows)
		sealed += n
		if err != nil {
			return sealed, err
		}
		seen += len(rows)
		after = rows[len(rows)-1].ID
		fmt.Fprintf(progress, "%s.%s: %d/%d rows checked, %d sealed\n", c.Table, c.Name, seen, total, sealed)
	}
	if seen == 0 {
		fmt.Fprintf(progress, "%s.%s: no rows\n", c.Table, c.Name)
	}
	return sealed, nil
}

// sealBatch seals the rows of one batch that are not sealed yet, in one transaction.
func (v *Vault) sealBatch(ctx context.Context, db *gorm.DB, c Column, rows []plainRow) (int, error) {
	n := 0
	err := db.Transaction(func(tx *gorm.DB) error {
		n = 0
		for _, r := range rows {
			if strings.HasPrefix(r.Value, Prefix) {
				continue
			}
			s, err := v.Seal(ctx, Owner{Kind: c.Kind, ID: r.Owner}, Field{Table: c.Table, Column: c.Name, Row: r.ID}, r.Value)
			if err != nil {
				return err
			}
			res := tx.Table(c.Table).Where("id = ? AND "+c.Name+" = ?", r.ID, r.Value).Update(c.Name, s)
			if res.Error != nil {
				return res.Error
			}
			n += int(res.RowsAffected)
		}
		return nil
	})
	return n, err
}
