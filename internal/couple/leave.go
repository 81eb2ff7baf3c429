package couple

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
)

// ErrNotInCouple is returned when the user has no current couple.
var ErrNotInCouple = apperr.New(apperr.NotFound, "You are not part of a couple right now.")

// LeaveHook runs inside the leaving transaction, after the couple has ended, for the user who left.
type LeaveHook func(ctx context.Context, tx *gorm.DB, userID string) error

// Leave ends the user's current couple for both members at once (DESIGN §2.2): the couple gets ended_at,
// every current member gets left_at, and open invites are cancelled; then each hook runs in the same
// transaction (the server signs out the leaver's other sessions, SECURITY B5). No consent is needed.
// The partner's access ends because every couple-scoped request loads the membership afresh (SECURITY C6).
func (s *Service) Leave(ctx context.Context, userID string, hooks ...LeaveHook) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.endFor(ctx, tx, userID); err != nil {
			return err
		}
		for _, h := range hooks {
			if err := h(ctx, tx, userID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		if apperr.As(err) != nil {
			return err
		}
		return fmt.Errorf("couple: leave: %w", err)
	}
	return nil
}

// endFor ends the user's current couple inside tx; ErrNotInCouple when there is none.
func (s *Service) endFor(ctx context.Context, tx *gorm.DB, userID string) error {
	var m Member
	err := tx.WithContext(ctx).Where("user_id = ? AND left_at IS NULL", userID).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotInCouple
	}
	if err != nil {
		return err
	}
	now := s.nowUTC()
	if err := tx.WithContext(ctx).Model(&Couple{}).Where("id = ? AND ended_at IS NULL", m.CoupleID).Update("ended_at", now).Error; err != nil {
		return err
	}
	if err := tx.WithContext(ctx).Model(&Member{}).Where("couple_id = ? AND left_at IS NULL", m.CoupleID).Update("left_at", now).Error; err != nil {
		return err
	}
	return tx.WithContext(ctx).Model(&Invite{}).Where("couple_id = ? AND used_at IS NULL AND cancelled_at IS NULL", m.CoupleID).
		Update("cancelled_at", now).Error
}

// Past is one of the user's ended couples, as their read-only archive shows it.
type Past struct {
	Couple Couple
	// JoinedAt and LeftAt are the user's own membership dates.
	JoinedAt time.Time
	LeftAt   time.Time
	// Partner is the former partner's display name at the time of reading; empty when they never joined
	// or have since deleted their account.
	Partner string
}

// History returns the user's ended couples, most recently ended first.
func (s *Service) History(ctx context.Context, userID string) ([]Past, error) {
	var mine []Member
	err := s.db.WithContext(ctx).Where("user_id = ? AND left_at IS NOT NULL", userID).Order("left_at DESC").Find(&mine).Error
	if err != nil {
		return nil, fmt.Errorf("couple: history: %w", err)
	}
	out := make([]Past, 0, len(mine))
	for _, m := range mine {
		var c Couple
		if err := s.db.WithContext(ctx).Where("id = ?", m.CoupleID).Take(&c).Error; err != nil {
			return nil, fmt.Errorf("couple: history: %w", err)
		}
		var partners []struct{ ID, DisplayName string }
		err := s.db.WithContext(ctx).Table("couple_members").Select("users.id, users.display_name").
			Joins("JOIN users ON users.id = couple_members.user_id").
			Where("couple_members.couple_id = ? AND couple_members.user_id <> ?", m.CoupleID, userID).
			Order("couple_members.joined_at").Limit(1).Scan(&partners).Error
		if err != nil {
			return nil, fmt.Errorf("couple: history: %w", err)
		}
		p := Past{Couple: c, JoinedAt: m.JoinedAt, LeftAt: *m.LeftAt}
		if len(partners) > 0 {
			if p.Partner, err = s.openName(ctx, partners[0].ID, partners[0].DisplayName); err != nil {
				return nil, fmt.Errorf("couple: history: %w", err)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// PastCouple returns one of the user's ended couples, or apperr.NotFound when it is not theirs or not ended.
func (s *Service) PastCouple(ctx context.Context, userID, coupleID string) (*Past, error) {
	all, err := s.History(ctx, userID)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].Couple.ID == coupleID {
			return &all[i], nil
		}
	}
	return nil, apperr.NotFoundf("That couple")
}
