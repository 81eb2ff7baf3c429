package plan

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/token"
)

// ChangeItem applies the user's change to an item and records it in the item's history.
func (s *Service) ChangeItem(ctx context.Context, sc Scope, id string, ch ItemChange) (*ItemView, error) {
	if ch.Done == nil && ch.DidMyPart == nil && ch.Noticed == nil {
		return nil, apperr.Fields(map[string]string{"body": "Send done, did_my_part or noticed."})
	}
	now := s.nowUTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		it, err := s.ensureItem(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		event := func(what string) error {
			return tx.Create(&Event{ID: token.ID(), CoupleID: sc.CoupleID, ItemID: it.ID, UserID: sc.UserID, What: what, CreatedAt: now}).Error
		}
		if ch.Done != nil && *ch.Done != (it.DoneAt != nil) {
			var at *time.Time
			what := "undone"
			if *ch.Done {
				at, what = &now, "done"
			}
			if err := tx.Model(&Item{}).Where("couple_id = ? AND id = ?", sc.CoupleID, it.ID).Update("done_at", at).Error; err != nil {
				return err
			}
			if err := event(what); err != nil {
				return err
			}
		}
		return s.changeMarks(ctx, tx, sc, it.ID, ch, now, event)
	})
	if err != nil {
		if apperr.As(err) != nil {
			return nil, err
		}
		return nil, fmt.Errorf("plan: change item: %w", err)
	}
	return s.Item(ctx, sc, id)
}

func (s *Service) changeMarks(ctx context.Context, tx *gorm.DB, sc Scope, itemID string, ch ItemChange, now time.Time, event func(string) error) error {
	if ch.DidMyPart == nil && ch.Noticed == nil {
		return nil
	}
	m := Mark{CoupleID: sc.CoupleID, ItemID: itemID, UserID: sc.UserID}
	err := tx.WithContext(ctx).Where("couple_id = ? AND item_id = ? AND user_id = ?", sc.CoupleID, itemID, sc.UserID).Take(&m).Error
	isNew := errors.Is(err, gorm.ErrRecordNotFound)
	if err != nil && !isNew {
		return err
	}
	before := m
	if ch.DidMyPart != nil {
		m.DidMyPart = *ch.DidMyPart
	}
	if ch.Noticed != nil {
		m.Noticed = *ch.Noticed
	}
	m.UpdatedAt = now
	if isNew {
		err = tx.Create(&m).Error
	} else {
		err = tx.Model(&Mark{}).Where("couple_id = ? AND item_id = ? AND user_id = ?", sc.CoupleID, itemID, sc.UserID).
			Updates(map[string]any{"did_my_part": m.DidMyPart, "noticed": m.Noticed, "updated_at": now}).Error
	}
	if err != nil {
		return err
	}
	if m.DidMyPart != before.DidMyPart {
		if err := event(map[bool]string{true: "did_my_part", false: "undid_my_part"}[m.DidMyPart]); err != nil {
			return err
		}
	}
	if m.Noticed != before.Noticed {
		return event(map[bool]string{true: "noticed", false: "unnoticed"}[m.Noticed])
	}
	return nil
}
