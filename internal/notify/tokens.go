package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/mail"
	"github.com/mendhq/mend/internal/token"
)

// Token purposes.
const (
	PurposeConfirm  = "email_confirm"
	PurposeCalendar = "calendar"
)

// ConfirmValidity is how long a confirmation link works.
const ConfirmValidity = 24 * time.Hour

// ConfirmEvery is how often a person can ask for a new confirmation message.
const ConfirmEvery = 10 * time.Minute

// Token is a confirmation link's or a calendar feed's secret, kept only as its SHA-256 (SECURITY L4,
// made and hashed by internal/token like invite and reset links).
type Token struct {
	Hash      string `gorm:"primaryKey"`
	UserID    string
	Purpose   string
	Email     string
	CreatedAt time.Time
	ExpiresAt *time.Time
	UsedAt    *time.Time
}

// TableName names the tokens table.
func (Token) TableName() string { return "notify_tokens" }

// Errors of the token routes; unknown, used, expired and revoked all look the same.
var (
	ErrConfirmInvalid = apperr.New(apperr.NotFound, "This confirmation link has expired or was already used. Ask for a new one in your notification settings.")
	ErrFeedNotFound   = apperr.New(apperr.NotFound, "There is no calendar here.")
	ErrMailOff        = apperr.New(apperr.Conflict, "E-mail is not set up on this server, so it can't send messages.")
)

// RequestConfirm queues a message with a confirmation link for userID's address (email). Asking again
// within ConfirmEvery adds nothing; an address already confirmed gets no message.
func (s *Service) RequestConfirm(ctx context.Context, userID, email string) error {
	if !s.mail {
		return ErrMailOff
	}
	st, err := s.load(ctx, s.db, userID)
	if err != nil || confirmed(st, email) {
		return err
	}
	now := s.nowUTC()
	var recent int64
	err = s.db.WithContext(ctx).Model(&Message{}).Where("user_id = ? AND kind = ? AND created_at > ?", userID, mail.ConfirmEmail, now.Add(-ConfirmEvery)).
		Count(&recent).Error
	if err != nil {
		return fmt.Errorf("notify: confirm: %w", err)
	}
	if recent > 0 {
		return nil
	}
	return s.enqueue(ctx, s.db, userID, mail.ConfirmEmail, token.ID(), now)
}

// mintConfirm makes the confirmation link's secret at the moment it is sent, so no usable secret waits
// in the outbox; older unused links of the person stop working.
func (s *Service) mintConfirm(ctx context.Context, userID, email string) (string, error) {
	plain, hash := token.New()
	now := s.nowUTC()
	exp := now.Add(ConfirmValidity)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("user_id = ? AND purpose = ? AND used_at IS NULL", userID, PurposeConfirm).Delete(&Token{}).Error; err != nil {
			return err
		}
		return tx.Create(&Token{Hash: hash, UserID: userID, Purpose: PurposeConfirm, Email: email, CreatedAt: now, ExpiresAt: &exp}).Error
	})
	if err != nil {
		return "", fmt.Errorf("notify: confirm link: %w", err)
	}
	return s.baseURL + "/confirm-email/" + plain, nil
}

func (s *Service) liveConfirm(ctx context.Context, db *gorm.DB, plain string) (*Token, error) {
	if plain == "" || len(plain) > 200 {
		return nil, ErrConfirmInvalid
	}
	var t Token
	err := db.WithContext(ctx).Where("hash = ? AND purpose = ?", token.Hash(plain), PurposeConfirm).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrConfirmInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("notify: confirm: %w", err)
	}
	if t.UsedAt != nil || t.ExpiresAt == nil || !s.nowUTC().Before(*t.ExpiresAt) {
		return nil, ErrConfirmInvalid
	}
	var current []string
	if err := db.WithContext(ctx).Table("users").Where("id = ?", t.UserID).Pluck("email", &current).Error; err != nil {
		return nil, fmt.Errorf("notify: confirm: %w", err)
	}
	if len(current) != 1 || current[0] != t.Email {
		return nil, ErrConfirmInvalid
	}
	return &t, nil
}

// CheckConfirm reports whether a confirmation secret can still be used (ErrConfirmInvalid if not).
func (s *Service) CheckConfirm(ctx context.Context, plain string) error {
	_, err := s.liveConfirm(ctx, s.db, plain)
	return err
}

// Confirm uses a confirmation secret once: the address it was sent to counts as confirmed while it is
// the account's address.
func (s *Service) Confirm(ctx context.Context, plain string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := s.liveConfirm(ctx, tx, plain)
		if err != nil {
			return err
		}
		now := s.nowUTC()
		res := tx.Model(&Token{}).Where("hash = ? AND used_at IS NULL", t.Hash).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrConfirmInvalid
		}
		st, err := s.load(ctx, tx, t.UserID)
		if err != nil {
			return err
		}
		st.ConfirmedEmail, st.ConfirmedAt, st.UpdatedAt = &t.Email, &now, now
		return s.save(ctx, tx, &st)
	})
	if err != nil && apperr.As(err) == nil {
		return fmt.Errorf("notify: confirm: %w", err)
	}
	return err
}

// CreateFeed makes a new secret calendar feed link for userID, revoking any earlier one, and returns
// its URL.
func (s *Service) CreateFeed(ctx context.Context, userID string) (string, error) {
	plain, err := s.NewFeed(ctx, userID)
	if err != nil {
		return "", err
	}
	return s.FeedURL(plain), nil
}

// NewFeed is CreateFeed returning the feed's secret instead of its URL.
func (s *Service) NewFeed(ctx context.Context, userID string) (string, error) {
	plain, hash := token.New()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("user_id = ? AND purpose = ?", userID, PurposeCalendar).Delete(&Token{}).Error; err != nil {
			return err
		}
		return tx.Create(&Token{Hash: hash, UserID: userID, Purpose: PurposeCalendar, CreatedAt: s.nowUTC()}).Error
	})
	if err != nil {
		return "", fmt.Errorf("notify: calendar: %w", err)
	}
	return plain, nil
}

// FeedIsLive reports whether plain is userID's live feed secret.
func (s *Service) FeedIsLive(ctx context.Context, userID, plain string) bool {
	owner, err := s.feedOwner(ctx, plain)
	return err == nil && owner == userID
}

// FeedURL is the address of the feed with secret plain.
func (s *Service) FeedURL(plain string) string { return s.baseURL + "/calendar/" + plain + ".ics" }

// RevokeFeed ends userID's calendar feed: its link answers 404 from now on.
func (s *Service) RevokeFeed(ctx context.Context, userID string) error {
	if err := s.db.WithContext(ctx).Where("user_id = ? AND purpose = ?", userID, PurposeCalendar).Delete(&Token{}).Error; err != nil {
		return fmt.Errorf("notify: calendar: %w", err)
	}
	return nil
}

// feedOwner returns the user whose live feed has secret plain, or ErrFeedNotFound.
func (s *Service) feedOwner(ctx context.Context, plain string) (string, error) {
	if plain == "" || len(plain) > 200 {
		return "", ErrFeedNotFound
	}
	var ids []string
	err := s.db.WithContext(ctx).Model(&Token{}).Where("hash = ? AND purpose = ?", token.Hash(plain), PurposeCalendar).Pluck("user_id", &ids).Error
	if err != nil {
		return "", fmt.Errorf("notify: calendar: %w", err)
	}
	if len(ids) != 1 {
		return "", ErrFeedNotFound
	}
	return ids[0], nil
}
