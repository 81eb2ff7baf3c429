package couple

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/token"
)

// InviteValidity is how long an invite link works (DESIGN §2.2).
const InviteValidity = 7 * 24 * time.Hour

// Invite is a single-use invitation to join a couple; only the hash of its secret is stored.
type Invite struct {
	ID          string
	CoupleID    string
	TokenHash   string
	CreatedBy   *string
	CreatedAt   time.Time
	ExpiresAt   time.Time
	UsedAt      *time.Time
	UsedBy      *string
	CancelledAt *time.Time
}

// Errors a join can meet; each is shown as a clear page.
var (
	ErrInviteInvalid = apperr.New(apperr.NotFound, "This invite link isn't valid any more. It may have expired, been used, or been replaced by a newer one. Ask your partner to send a new link.")
	ErrCoupleFull    = apperr.New(apperr.Conflict, "This couple already has two members, so the link can't be used.")
	ErrAlreadyInOne  = apperr.New(apperr.Conflict, "You are already part of a couple. Leave it first if you want to join this one.")
)

// CreateInvite cancels any open invite of the couple and returns a new secret and its expiry.
func (s *Service) CreateInvite(ctx context.Context, coupleID, userID string) (string, time.Time, error) {
	plain, hash := token.New()
	now := s.nowUTC()
	inv := Invite{ID: token.ID(), CoupleID: coupleID, TokenHash: hash, CreatedBy: &userID, CreatedAt: now, ExpiresAt: now.Add(InviteValidity)}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var members int64
		if err := tx.Model(&Member{}).Where("couple_id = ? AND left_at IS NULL", coupleID).Count(&members).Error; err != nil {
			return err
		}
		if members >= 2 {
			return ErrCoupleFull
		}
		if err := tx.Model(&Invite{}).Where("couple_id = ? AND used_at IS NULL AND cancelled_at IS NULL", coupleID).
			Update("cancelled_at", now).Error; err != nil {
			return err
		}
		return tx.Create(&inv).Error
	})
	if err != nil {
		if apperr.As(err) != nil {
			return "", time.Time{}, err
		}
		return "", time.Time{}, fmt.Errorf("couple: invite: %w", err)
	}
	return plain, inv.ExpiresAt, nil
}

// PendingInvite returns the couple's open invite, or nil.
func (s *Service) PendingInvite(ctx context.Context, coupleID string) (*Invite, error) {
	var inv Invite
	err := s.db.WithContext(ctx).Where("couple_id = ? AND used_at IS NULL AND cancelled_at IS NULL AND expires_at > ?", coupleID, s.nowUTC()).
		Order("created_at DESC").Take(&inv).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("couple: pending invite: %w", err)
	}
	return &inv, nil
}

// CheckInvite returns the open invite for a secret, or ErrInviteInvalid / ErrCoupleFull.
func (s *Service) CheckInvite(ctx context.Context, plain string) (*Invite, error) {
	return s.liveInvite(ctx, s.db, plain)
}

func (s *Service) liveInvite(ctx context.Context, db *gorm.DB, plain string) (*Invite, error) {
	var inv Invite
	err := db.WithContext(ctx).Where("token_hash = ?", token.Hash(plain)).Take(&inv).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrInviteInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("couple: invite: %w", err)
	}
	if inv.UsedAt != nil || inv.CancelledAt != nil || !s.nowUTC().Before(inv.ExpiresAt) {
		return nil, ErrInviteInvalid
	}
	var c Couple
	if err := db.WithContext(ctx).Where("id = ?", inv.CoupleID).Take(&c).Error; err != nil {
		return nil, fmt.Errorf("couple: invite: %w", err)
	}
	if c.EndedAt != nil {
		return nil, ErrInviteInvalid
	}
	return &inv, nil
}

// Join uses an invite secret once to add the user to its couple.
func (s *Service) Join(ctx context.Context, userID, plain string) (string, error) {
	var coupleID string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		coupleID, err = s.JoinIn(ctx, tx, userID, plain)
		return err
	})
	if err != nil {
		return "", err
	}
	return coupleID, nil
}

// JoinIn is Join inside the caller's transaction tx (registering through an invite joins in the
// registration's transaction). It uses the invite up, once: of two transactions racing for one invite,
// the second finds it used and gets ErrInviteInvalid.
func (s *Service) JoinIn(ctx context.Context, tx *gorm.DB, userID, plain string) (string, error) {
	coupleID, err := s.join(ctx, tx, userID, plain)
	if err != nil {
		if apperr.As(err) != nil {
			return "", err
		}
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return "", ErrAlreadyInOne
		}
		return "", fmt.Errorf("couple: join: %w", err)
	}
	return coupleID, nil
}

func (s *Service) join(ctx context.Context, tx *gorm.DB, userID, plain string) (string, error) {
	inv, err := s.liveInvite(ctx, tx, plain)
	if err != nil {
		return "", err
	}
	var members []Member
	if err := tx.WithContext(ctx).Where("couple_id = ? AND left_at IS NULL", inv.CoupleID).Find(&members).Error; err != nil {
		return "", err
	}
	for _, m := range members {
		if m.UserID == userID {
			return inv.CoupleID, nil
		}
	}
	if len(members) >= 2 {
		return "", ErrCoupleFull
	}
	var mine int64
	if err := tx.WithContext(ctx).Model(&Member{}).Where("user_id = ? AND left_at IS NULL", userID).Count(&mine).Error; err != nil {
		return "", err
	}
	if mine > 0 {
		return "", ErrAlreadyInOne
	}
	now := s.nowUTC()
	// Marked used only if still unused, so the invite admits one person whatever the isolation level.
	res := tx.WithContext(ctx).Model(&Invite{}).Where("id = ? AND used_at IS NULL AND cancelled_at IS NULL", inv.ID).
		Updates(map[string]any{"used_at": now, "used_by": userID})
	if res.Error != nil {
		return "", res.Error
	}
	if res.RowsAffected != 1 {
		return "", ErrInviteInvalid
	}
	if err := tx.WithContext(ctx).Create(&Member{CoupleID: inv.CoupleID, UserID: userID, JoinedAt: now}).Error; err != nil {
		return "", err
	}
	return inv.CoupleID, nil
}
