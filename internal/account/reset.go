package account

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/token"
)

// ResetValidity is how long a password-reset link works (DESIGN §2.1).
const ResetValidity = 30 * time.Minute

type userToken struct {
	Hash      string
	UserID    string
	Purpose   string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

func (userToken) TableName() string { return "user_tokens" }

// ErrResetInvalid is the answer to an unknown, used or expired reset link.
var ErrResetInvalid = apperr.New(apperr.NotFound, "This reset link has expired or was already used. Ask whoever runs Mend for a new one.")

// CreateResetToken returns a single-use password-reset secret for the account with email, or
// apperr.NotFound when there is no such account.
func (s *Service) CreateResetToken(ctx context.Context, email string) (string, error) {
	u, err := s.UserByEmail(ctx, email)
	if err != nil {
		return "", err
	}
	plain, hash := token.New()
	now := s.Now()
	t := userToken{Hash: hash, UserID: u.ID, Purpose: "password_reset", CreatedAt: now, ExpiresAt: now.Add(ResetValidity)}
	if err := s.db.WithContext(ctx).Create(&t).Error; err != nil {
		return "", fmt.Errorf("account: reset token: %w", err)
	}
	return plain, nil
}

// CheckResetToken reports whether a reset secret can still be used.
func (s *Service) CheckResetToken(ctx context.Context, plain string) error {
	_, err := s.liveReset(ctx, s.db, plain)
	return err
}

func (s *Service) liveReset(ctx context.Context, db *gorm.DB, plain string) (*userToken, error) {
	var t userToken
	err := db.WithContext(ctx).Where("hash = ? AND purpose = ?", token.Hash(plain), "password_reset").Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrResetInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("account: reset: %w", err)
	}
	if t.UsedAt != nil || !s.Now().Before(t.ExpiresAt) {
		return nil, ErrResetInvalid
	}
	return &t, nil
}

// ResetPassword uses the secret once to set a new password and signs out every session. The link is
// consumed in the same transaction that changes the password, so a failure leaves it usable.
func (s *Service) ResetPassword(ctx context.Context, plain, next string) (userID string, err error) {
	if _, err := s.liveReset(ctx, s.db, plain); err != nil {
		return "", err
	}
	hash, err := s.hashNew(ctx, next)
	if err != nil {
		return "", err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := s.liveReset(ctx, tx, plain)
		if err != nil {
			return err
		}
		res := tx.Model(&userToken{}).Where("hash = ? AND used_at IS NULL", t.Hash).Update("used_at", s.Now())
		if res.Error != nil {
			return fmt.Errorf("account: reset: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrResetInvalid
		}
		userID = t.UserID
		return s.storePassword(tx, t.UserID, hash, "")
	})
	if err != nil {
		return "", err
	}
	return userID, nil
}
