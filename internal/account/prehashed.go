package account

import (
	"context"
	"errors"
	"fmt"
	"net/mail"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/token"
)

// RegisterWithHash creates a user whose password is already hashed: phc must be a PHC string made by
// Hasher.Hash with Mend's parameters. Only the benchmark's seeding uses it, so thousands of seeded
// users can share one argon2id hash instead of paying ~50 ms each. Field problems are apperr.Invalid;
// a taken email is apperr.Conflict.
func (s *Service) RegisterWithHash(ctx context.Context, email, phc, name string) (*User, error) {
	f := apperr.Form{}
	email = NormalizeEmail(email)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
		f.Add("email", "Enter an email address like name@example.org.")
	}
	name = validName(f, name)
	if _, _, err := decodeHash(phc); err != nil {
		f.Add("password", "The password hash is not one Mend made.")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	now := s.Now()
	u := &User{ID: token.ID(), Email: email, DisplayName: name, PasswordHash: phc, CreatedAt: now, UpdatedAt: now}
	if err := s.db.WithContext(ctx).Create(u).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, apperr.Fields(map[string]string{"email": "An account with this email already exists."})
		}
		return nil, fmt.Errorf("account: register: %w", err)
	}
	return u, nil
}
