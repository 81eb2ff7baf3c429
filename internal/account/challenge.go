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

// challenge is a password that was right for an account with a second factor on: it lets its holder
// enter a code, once, within ChallengeValidity, for one kind of session. It is never a session
// (SECURITY K2), and only its hash is kept.
type challenge struct {
	Hash      string
	UserID    string
	Purpose   string
	Kind      string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

func (challenge) TableName() string { return "second_factor_challenges" }

// ChallengeValidity is how long a second-factor challenge can be completed.
const ChallengeValidity = 5 * time.Minute

const purposeSignIn = "sign_in"

// ErrChallengeInvalid answers an unknown, used, expired or mismatched challenge.
var ErrChallengeInvalid = apperr.New(apperr.Unauthorized, "This sign-in has expired. Please enter your email and password again.")

// CreateChallenge starts a second-factor step for userID's sign-in into a session of kind and returns
// its secret.
func (s *Service) CreateChallenge(ctx context.Context, userID, kind string) (string, error) {
	plain, hash := token.New()
	now := s.Now()
	ch := challenge{Hash: hash, UserID: userID, Purpose: purposeSignIn, Kind: kind, CreatedAt: now, ExpiresAt: now.Add(ChallengeValidity)}
	db := s.db.WithContext(ctx)
	if err := db.Where("user_id = ? AND expires_at < ?", userID, now).Delete(&challenge{}).Error; err != nil {
		return "", fmt.Errorf("account: challenge: %w", err)
	}
	if err := db.Create(&ch).Error; err != nil {
		return "", fmt.Errorf("account: challenge: %w", err)
	}
	return plain, nil
}

// ChallengeUser returns the user a live challenge for a session of kind belongs to, without using it,
// or ErrChallengeInvalid.
func (s *Service) ChallengeUser(ctx context.Context, plain, kind string) (*User, error) {
	ch, err := s.liveChallenge(ctx, s.db, plain, kind)
	if err != nil {
		return nil, err
	}
	return s.User(ctx, ch.UserID)
}

func (s *Service) liveChallenge(ctx context.Context, db *gorm.DB, plain, kind string) (*challenge, error) {
	if plain == "" {
		return nil, ErrChallengeInvalid
	}
	var ch challenge
	err := db.WithContext(ctx).Where("hash = ? AND purpose = ? AND kind = ?", token.Hash(plain), purposeSignIn, kind).Take(&ch).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrChallengeInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("account: challenge: %w", err)
	}
	if ch.UsedAt != nil || !s.Now().Before(ch.ExpiresAt) {
		return nil, ErrChallengeInvalid
	}
	return &ch, nil
}

// CompleteChallenge checks the second factor for a live challenge of kind and uses both up in one
// transaction. It returns the user, and whether a recovery code was used. An unusable challenge is
// ErrChallengeInvalid; a wrong code is ErrSecondFactorBad and leaves the challenge usable until it
// expires (the caller throttles the attempts).
func (s *Service) CompleteChallenge(ctx context.Context, plain, kind, code, recovery string) (*User, bool, error) {
	var userID string
	var usedRecovery bool
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ch, err := s.liveChallenge(ctx, tx, plain, kind)
		if err != nil {
			return err
		}
		if usedRecovery, err = s.checkSecondFactorIn(ctx, tx, ch.UserID, code, recovery); err != nil {
			return err
		}
		res := tx.Model(&challenge{}).Where("hash = ? AND used_at IS NULL", ch.Hash).Update("used_at", s.Now())
		if res.Error != nil {
			return fmt.Errorf("account: challenge: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrChallengeInvalid
		}
		userID = ch.UserID
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	u, err := s.User(ctx, userID)
	return u, usedRecovery, err
}
