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

// ChangeItem applies the user's change to their own marks on an item and records it in the item's
// history. The item is done once both partners have marked it done, and stops being done when either
// takes theirs back (DESIGN §2.6).
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
		doneChanged, err := s.changeMarks(ctx, tx, sc, it.ID, ch, now, event)
		if err != nil || !doneChanged {
			return err
		}
		return settleDone(ctx, tx, it, now)
	})
	if err != nil {
		if apperr.As(err) != nil {
			return nil, err
		}
		return nil, fmt.Errorf("plan: change item: %w", err)
	}
	return s.Item(ctx, sc, id)
}

// settleDone sets the item done when two people have marked it so, and not done otherwise.
func settleDone(ctx context.Context, tx *gorm.DB, it *Item, now time.Time) error {
	var marked int64
	err := tx.WithContext(ctx).Model(&Mark{}).Where("couple_id = ? AND item_id = ? AND done_at IS NOT NULL", it.CoupleID, it.ID).
		Count(&marked).Error
	if err != nil {
		return err
	}
	both := marked >= 2
	if both == (it.DoneAt != nil) {
		return nil
	}
	var at *time.Time
	if both {
		at = &now
	}
	return tx.Model(&Item{}).Where("couple_id = ? AND id = ?", it.CoupleID, it.ID).Update("done_at", at).Error
}

// changeMarks writes the user's own marks and their history; it reports whether their "done" changed.
func (s *Service) changeMarks(ctx context.Context, tx *gorm.DB, sc Scope, itemID string, ch ItemChange, now time.Time, event func(string) error) (bool, error) {
	m := Mark{CoupleID: sc.CoupleID, ItemID: itemID, UserID: sc.UserID}
	err := tx.WithContext(ctx).Where("couple_id = ? AND item_id = ? AND user_id = ?", sc.CoupleID, itemID, sc.UserID).Take(&m).Error
	isNew := errors.Is(err, gorm.ErrRecordNotFound)
	if err != nil && !isNew {
		return false, err
	}
	before := m
	if ch.DidMyPart != nil {
		m.DidMyPart = *ch.DidMyPart
	}
	if ch.Noticed != nil {
		m.Noticed = *ch.Noticed
	}
	doneChanged := ch.Done != nil && *ch.Done != (m.DoneAt != nil)
	if doneChanged {
		m.DoneAt = nil
		if *ch.Done {
			m.DoneAt = &now
		}
	}
	if m.DidMyPart == before.DidMyPart && m.Noticed == before.Noticed && !doneChanged {
		return false, nil
	}
	m.UpdatedAt = now
	if isNew {
		err = tx.Create(&m).Error
	} else {
		err = tx.Model(&Mark{}).Where("couple_id = ? AND item_id = ? AND user_id = ?", sc.CoupleID, itemID, sc.UserID).
			Updates(map[string]any{"did_my_part": m.DidMyPart, "noticed": m.Noticed, "done_at": m.DoneAt, "updated_at": now}).Error
	}
	if err != nil {
		return false, err
	}
	if doneChanged {
		if err := event(map[bool]string{true: "done", false: "undone"}[m.DoneAt != nil]); err != nil {
			return false, err
		}
	}
	if m.DidMyPart != before.DidMyPart {
		if err := event(map[bool]string{true: "did_my_part", false: "undid_my_part"}[m.DidMyPart]); err != nil {
			return false, err
		}
	}
	if m.Noticed != before.Noticed {
		if err := event(map[bool]string{true: "noticed", false: "unnoticed"}[m.Noticed]); err != nil {
			return false, err
		}
	}
	return doneChanged, nil
}
