// Package account holds users, their passwords and their sessions.
package account

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-webauthn/webauthn/webauthn"
	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/text"
	"github.com/mendhq/mend/internal/token"
	"github.com/mendhq/mend/internal/vault"
)

// User is a person with a login.
type User struct {
	ID           string
	Email        string
	DisplayName  string
	PasswordHash string
	// AutoLockMinutes signs a browser out after that many minutes without use (0: off).
	AutoLockMinutes int
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Session is one signed-in device or API client.
type Session struct {
	ID         string
	UserID     string
	Kind       string
	UserAgent  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ReauthAt   *time.Time
	RevokedAt  *time.Time
}

// Session kinds.
const (
	KindBrowser = "browser"
	KindAPI     = "api"
)

// RecentAuthWindow is how long a password re-entry counts as recent (DESIGN §2.1).
const RecentAuthWindow = 10 * time.Minute

// Service manages users and sessions.
type Service struct {
	db      *gorm.DB
	hasher  *Hasher
	now     func() time.Time
	idle    time.Duration
	maxLife time.Duration
	// wa is the passkeys' relying party; nil when the base URL has no host (passkeys off).
	wa *webauthn.WebAuthn
	// vault seals display names (db's, vault.From).
	vault *vault.Vault
}

// Options configure a Service.
type Options struct {
	Now             func() time.Time
	IdleTimeout     time.Duration
	AbsoluteTimeout time.Duration
	HashConcurrency int
	// BaseURL is Mend's public origin: its host is the passkeys' relying party id. AppName names the
	// relying party to the authenticator.
	BaseURL, AppName string
}

// NewService returns a Service over db.
func NewService(db *gorm.DB, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.IdleTimeout == 0 {
		opt.IdleTimeout = 30 * time.Minute
	}
	if opt.AbsoluteTimeout == 0 {
		opt.AbsoluteTimeout = 7 * 24 * time.Hour
	}
	if opt.HashConcurrency == 0 {
		opt.HashConcurrency = 4
	}
	s := &Service{db: db, hasher: NewHasher(opt.HashConcurrency), now: opt.Now, idle: opt.IdleTimeout, maxLife: opt.AbsoluteTimeout,
		vault: vault.From(db)}
	if opt.BaseURL != "" {
		if wa, err := newWebAuthn(opt.BaseURL, opt.AppName); err == nil {
			s.wa = wa
		}
	}
	return s
}

// Now returns the service clock's time in UTC.
func (s *Service) Now() time.Time { return s.now().UTC() }

// Hasher returns the password hasher.
func (s *Service) Hasher() *Hasher { return s.hasher }

// NormalizeEmail trims an email address, applies NFKC (so fullwidth "ａ１" is "a1") and lower-cases it.
// Registration and sign-in both go through it, so look-alike spellings are one account.
func NormalizeEmail(e string) string {
	return strings.TrimSpace(norm.NFKC.String(strings.ToLower(norm.NFKC.String(strings.TrimSpace(e)))))
}

// invisible reports whether r is a character that shows nothing or changes how text around it shows:
// controls, format characters (zero-width spaces and joiners, bidi controls, soft hyphens), variation
// selectors, other default-ignorable code points, separators, private-use and noncharacters.
func invisible(r rune) bool {
	return r == utf8.RuneError || unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs, unicode.Z,
		unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point, unicode.Noncharacter_Code_Point)
}

// validEmail normalises email and records a field error when it is not a plain address.
func validEmail(f apperr.Form, email string) string {
	email = NormalizeEmail(email)
	if strings.IndexFunc(email, invisible) >= 0 {
		f.Add("email", "Use an email address without invisible or formatting characters.")
		return email
	}
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
		f.Add("email", "Enter an email address like name@example.org.")
	}
	return email
}

// errBusy answers when the hashing queue stays full (SECURITY A5).
var errBusy = apperr.New(apperr.RateLimited, "Mend is busy right now; please try again in a moment.")

// ErrBadCredentials is the one answer to a failed sign-in, whatever the cause.
var ErrBadCredentials = apperr.New(apperr.Unauthorized, "That email and password don't match an account.")

func validName(f apperr.Form, name string) string {
	return text.Clean(f, "display_name", name, text.Rule{Max: 60, Missing: "Tell us what to call you."})
}

// RegisterHook runs inside the registration transaction, right after the user's row is created; an
// error from it undoes the registration.
type RegisterHook func(ctx context.Context, tx *gorm.DB, u *User) error

// errEmailTaken answers a registration with an email that already has an account.
var errEmailTaken = &apperr.Error{Kind: apperr.Conflict, Message: "An account with this email already exists. Sign in instead.",
	Fields: map[string]string{"email": "An account with this email already exists."}}

// Register creates a user and runs each hook in the same transaction (joining a couple through an invite).
// Field problems are apperr.Invalid; a taken email is apperr.Conflict; a hook's *apperr.Error is returned
// as it is.
func (s *Service) Register(ctx context.Context, email, password, name string, hooks ...RegisterHook) (*User, error) {
	f := apperr.Form{}
	email = validEmail(f, email)
	name = validName(f, name)
	if msg := s.hasher.CheckPolicy(password); msg != "" {
		f.Add("password", msg)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return nil, errBusy
	}
	now := s.Now()
	u := &User{ID: token.ID(), Email: email, DisplayName: name, PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
	stored := *u
	if stored.DisplayName, err = s.sealName(ctx, u.ID, name); err != nil {
		return nil, fmt.Errorf("account: register: %w", err)
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&stored).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return errEmailTaken
			}
			return err
		}
		for _, h := range hooks {
			if err := h(ctx, tx, u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		// The data key made for the name belongs to no one now (an orphan left by a failure here holds
		// nothing but a name no row has).
		if serr := s.vault.Shred(ctx, vault.Person(u.ID)); serr != nil && apperr.As(err) == nil {
			err = errors.Join(err, serr)
		}
		if apperr.As(err) != nil {
			return nil, err
		}
		return nil, fmt.Errorf("account: register: %w", err)
	}
	return u, nil
}

// Authenticate checks an email and password. Any failure is ErrBadCredentials, with the same cost.
func (s *Service) Authenticate(ctx context.Context, email, password string) (*User, error) {
	var u User
	err := s.db.WithContext(ctx).Where("email = ?", NormalizeEmail(email)).Take(&u).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("account: authenticate: %w", err)
	}
	ok, verr := s.hasher.Verify(ctx, u.PasswordHash, password)
	if errors.Is(verr, ErrBusy) {
		return nil, errBusy
	}
	if verr != nil || !ok {
		return nil, ErrBadCredentials
	}
	if err := s.openUser(ctx, &u); err != nil {
		return nil, fmt.Errorf("account: authenticate: %w", err)
	}
	return &u, nil
}

// User returns the user with id, or apperr.NotFound.
func (s *Service) User(ctx context.Context, id string) (*User, error) {
	var u User
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&u).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, apperr.NotFoundf("The account")
		}
		return nil, fmt.Errorf("account: user: %w", err)
	}
	if err := s.openUser(ctx, &u); err != nil {
		return nil, fmt.Errorf("account: user: %w", err)
	}
	return &u, nil
}

// UserByEmail returns the user with the email, or apperr.NotFound.
func (s *Service) UserByEmail(ctx context.Context, email string) (*User, error) {
	var u User
	if err := s.db.WithContext(ctx).Where("email = ?", NormalizeEmail(email)).Take(&u).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, apperr.NotFoundf("The account")
		}
		return nil, fmt.Errorf("account: user: %w", err)
	}
	if err := s.openUser(ctx, &u); err != nil {
		return nil, fmt.Errorf("account: user: %w", err)
	}
	return &u, nil
}

// UpdateDisplayName changes the user's display name.
func (s *Service) UpdateDisplayName(ctx context.Context, userID, name string) (*User, error) {
	f := apperr.Form{}
	name = validName(f, name)
	if err := f.Err(); err != nil {
		return nil, err
	}
	sealed, err := s.sealName(ctx, userID, name)
	if err != nil {
		return nil, fmt.Errorf("account: update name: %w", err)
	}
	res := s.db.WithContext(ctx).Model(&User{}).Where("id = ?", userID).
		Updates(map[string]any{"display_name": sealed, "updated_at": s.Now()})
	if res.Error != nil {
		return nil, fmt.Errorf("account: update name: %w", res.Error)
	}
	return s.User(ctx, userID)
}

// ChangePassword checks the current password, sets the new one and revokes every session but keepSID (SECURITY A6).
func (s *Service) ChangePassword(ctx context.Context, userID, current, next, keepSID string) error {
	u, err := s.User(ctx, userID)
	if err != nil {
		return err
	}
	ok, err := s.hasher.Verify(ctx, u.PasswordHash, current)
	if errors.Is(err, ErrBusy) {
		return errBusy
	}
	if err != nil || !ok {
		return apperr.Fields(map[string]string{"current_password": "That is not your current password."})
	}
	return s.setPassword(ctx, userID, next, keepSID)
}

// hashNew checks the password rules and hashes next; rule failures name the new_password field.
func (s *Service) hashNew(ctx context.Context, next string) (string, error) {
	if msg := s.hasher.CheckPolicy(next); msg != "" {
		return "", apperr.Fields(map[string]string{"new_password": msg})
	}
	hash, err := s.hasher.Hash(ctx, next)
	if err != nil {
		return "", errBusy
	}
	return hash, nil
}

func (s *Service) setPassword(ctx context.Context, userID, next, keepSID string) error {
	hash, err := s.hashNew(ctx, next)
	if err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return s.storePassword(tx, userID, hash, keepSID)
	})
}

// storePassword writes the new hash, revokes every session but keepSID and cancels unused reset links
// and second-factor challenges.
func (s *Service) storePassword(tx *gorm.DB, userID, hash, keepSID string) error {
	now := s.Now()
	if err := tx.Model(&User{}).Where("id = ?", userID).
		Updates(map[string]any{"password_hash": hash, "updated_at": now}).Error; err != nil {
		return fmt.Errorf("account: set password: %w", err)
	}
	if err := tx.Model(&Session{}).Where("user_id = ? AND id <> ? AND revoked_at IS NULL", userID, keepSID).
		Update("revoked_at", now).Error; err != nil {
		return fmt.Errorf("account: set password: revoke sessions: %w", err)
	}
	if err := tx.Model(&userToken{}).Where("user_id = ? AND used_at IS NULL", userID).Update("used_at", now).Error; err != nil {
		return fmt.Errorf("account: set password: cancel reset links: %w", err)
	}
	if err := tx.Model(&challenge{}).Where("user_id = ? AND used_at IS NULL", userID).Update("used_at", now).Error; err != nil {
		return fmt.Errorf("account: set password: cancel second-factor challenges: %w", err)
	}
	return nil
}

// VerifyPassword reports, as apperr.Invalid on the password field, whether pw is the user's password.
func (s *Service) VerifyPassword(ctx context.Context, userID, pw string) error {
	u, err := s.User(ctx, userID)
	if err != nil {
		return err
	}
	ok, err := s.hasher.Verify(ctx, u.PasswordHash, pw)
	if errors.Is(err, ErrBusy) {
		return errBusy
	}
	if err != nil || !ok {
		return apperr.Fields(map[string]string{"password": "That is not your password."})
	}
	return nil
}
