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
	if v == nil || v.unsealed {
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
	ID, Owner, Kind, Value string
}

// rowIDSQL is the SQL expression of c's row id (RowID) and its order.
func (c Column) rowIDSQL() string {
	return strings.Join(c.key(), " || '/' || ")
}

func (v *Vault) encryptColumn(ctx context.Context, db *gorm.DB, c Column, batch int, progress io.Writer) (int, error) {
	db = db.WithContext(ctx)
	var total int64
	if err := db.Table(c.Table).Where(c.Name + " IS NOT NULL AND " + c.Name + " <> ''").Count(&total).Error; err != nil {
		return 0, err
	}
	kind := "'" + c.Kind + "'"
	if c.KindColumn != "" {
		kind = c.KindColumn
	}
	rowID := c.rowIDSQL()
	seen, sealed, after := 0, 0, ""
	for {
		var rows []plainRow
		err := db.Table(c.Table).Select(rowID+" AS id, "+c.OwnerColumn+" AS owner, "+kind+" AS kind, "+c.Name+" AS value").
			Where(rowID+" > ? AND "+c.Name+" IS NOT NULL AND "+c.Name+" <> ''", after).Order(rowID).Limit(batch).Scan(&rows).Error
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
	key := c.key()
	where := strings.Join(key, " = ? AND ") + " = ? AND " + c.Name + " = ?"
	err := db.Transaction(func(tx *gorm.DB) error {
		n = 0
		for _, r := range rows {
			if strings.HasPrefix(r.Value, Prefix) {
				continue
			}
			parts := strings.Split(r.ID, "/")
			if len(parts) != len(key) {
				return fmt.Errorf("row id %q does not split into the key %v", r.ID, key)
			}
			if r.Kind != KindPerson && r.Kind != KindCouple {
				return fmt.Errorf("row %s: owner kind %q", r.ID, r.Kind)
			}
			s, err := v.Seal(ctx, Owner{Kind: r.Kind, ID: r.Owner}, Field{Table: c.Table, Column: c.Name, Row: r.ID}, r.Value)
			if err != nil {
				return err
			}
			args := make([]any, 0, len(parts)+1)
			for _, p := range parts {
				args = append(args, p)
			}
			res := tx.Table(c.Table).Where(where, append(args, r.Value)...).Update(c.Name, s)
			if res.Error != nil {
				return res.Error
			}
			n += int(res.RowsAffected)
		}
		return nil
	})
	return n, err
}
