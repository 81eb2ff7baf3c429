package account

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"fmt"
	neturl "net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/token"
	"github.com/mendhq/mend/internal/vault"
)

// totpFactor is a user's authenticator app (RFC 6238). It is pending until a first code confirms it.
// LastStep is the time step of the last code accepted: a code is never accepted twice (SECURITY K1).
type totpFactor struct {
	UserID      string
	Secret      string
	CreatedAt   time.Time
	ConfirmedAt *time.Time
	LastStep    int64
}

func (totpFactor) TableName() string { return "totp_factors" }

// totpField is where userID's sealed authenticator secret lives: a copy of the database alone must not
// be enough to make their codes.
func totpField(userID string) vault.Field {
	return vault.Field{Table: "totp_factors", Column: "secret", Row: userID}
}

// openTOTP opens f's secret in place.
func (s *Service) openTOTP(ctx context.Context, f *totpFactor) error {
	secret, err := s.vault.Open(ctx, totpField(f.UserID), f.Secret)
	if err != nil {
		return err
	}
	f.Secret = secret
	return nil
}

type recoveryCode struct {
	UserID    string
	Hash      string
	CreatedAt time.Time
	UsedAt    *time.Time
}

func (recoveryCode) TableName() string { return "recovery_codes" }

// totpPeriod is the length of one TOTP time step; a code from the step before or after is accepted too,
// for clocks a little apart.
const (
	totpPeriod = 30
	totpSkew   = 1
)

// RecoveryCodeCount is how many recovery codes turning on two-step sign-in gives.
const RecoveryCodeCount = 10

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

var (
	// ErrSecondFactorBad answers a wrong, reused or expired code or recovery code.
	ErrSecondFactorBad = &apperr.Error{Kind: apperr.Invalid, Message: "That code didn't work. Codes work once; wait for the next one, or use a recovery code.",
		Fields: map[string]string{"code": "That code didn't work."}}
	errTOTPOn      = apperr.New(apperr.Conflict, "Two-step sign-in is already on.")
	errTOTPPending = apperr.New(apperr.Conflict, "Start turning on two-step sign-in first, then enter a code from your app.")
	errTOTPOff     = apperr.New(apperr.NotFound, "Two-step sign-in is not on.")
)

// TwoStep describes a user's second factors.
type TwoStep struct {
	On bool
	// Since is when two-step sign-in was turned on (zero while off).
	Since         time.Time
	RecoveryLeft  int
	PendingSecret bool
	// Passkeys is how many passkeys the account has; each is a second factor too.
	Passkeys int
}

// Any reports whether signing in needs a second factor: the authenticator app or a passkey.
func (t TwoStep) Any() bool { return t.On || t.Passkeys > 0 }

// SecondFactors returns what second factors userID has.
func (s *Service) SecondFactors(ctx context.Context, userID string) (TwoStep, error) {
	var out TwoStep
	var n int64
	if err := s.db.WithContext(ctx).Model(&passkeyRow{}).Where("user_id = ?", userID).Count(&n).Error; err != nil {
		return out, fmt.Errorf("account: passkeys: %w", err)
	}
	out.Passkeys = int(n)
	var f totpFactor
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Take(&f).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return out, fmt.Errorf("account: second factors: %w", err)
	}
	if err == nil {
		out.On, out.PendingSecret = f.ConfirmedAt != nil, f.ConfirmedAt == nil
		if f.ConfirmedAt != nil {
			out.Since = *f.ConfirmedAt
		}
	}
	if err := s.db.WithContext(ctx).Model(&recoveryCode{}).Where("user_id = ? AND used_at IS NULL", userID).Count(&n).Error; err != nil {
		return out, fmt.Errorf("account: recovery codes: %w", err)
	}
	out.RecoveryLeft = int(n)
	return out, nil
}

// HasSecondFactor reports whether signing in as userID needs a second factor (an authenticator app or
// a passkey).
func (s *Service) HasSecondFactor(ctx context.Context, userID string) (bool, error) {
	return s.hasSecondFactorIn(ctx, s.db, userID)
}

// totpOn reports whether userID's authenticator app is confirmed.
func (s *Service) totpOn(ctx context.Context, userID string) (bool, error) {
	f, err := s.SecondFactors(ctx, userID)
	return f.On, err
}

// StartTOTP makes a new pending authenticator secret for the user (replacing a pending one) and returns
// it with its otpauth:// URL, naming issuer (the app's neutral name). With two-step sign-in already on
// it is apperr.Conflict.
func (s *Service) StartTOTP(ctx context.Context, u *User, issuer string) (secret, url string, err error) {
	if on, err := s.totpOn(ctx, u.ID); err != nil || on {
		if on {
			return "", "", errTOTPOn
		}
		return "", "", err
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: u.Email, Period: totpPeriod, SecretSize: 20})
	if err != nil {
		return "", "", fmt.Errorf("account: totp secret: %w", err)
	}
	f := totpFactor{UserID: u.ID, Secret: key.Secret(), CreatedAt: s.Now()}
	sealed := f
	if sealed.Secret, err = s.vault.Seal(ctx, vault.Person(u.ID), totpField(u.ID), f.Secret); err != nil {
		return "", "", fmt.Errorf("account: start totp: %w", err)
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("user_id = ? AND confirmed_at IS NULL", u.ID).Delete(&totpFactor{}).Error; err != nil {
			return err
		}
		return tx.Create(&sealed).Error
	})
	if err != nil {
		return "", "", fmt.Errorf("account: start totp: %w", err)
	}
	return f.Secret, totpURL(issuer, u.Email, f.Secret), nil
}

// PendingTOTP returns the secret waiting for its first code and its URL, or empty strings when none
// is pending.
func (s *Service) PendingTOTP(ctx context.Context, u *User, issuer string) (secret, url string, err error) {
	var f totpFactor
	err = s.db.WithContext(ctx).Where("user_id = ? AND confirmed_at IS NULL", u.ID).Take(&f).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", "", nil
	}
	if err == nil {
		err = s.openTOTP(ctx, &f)
	}
	if err != nil {
		return "", "", fmt.Errorf("account: pending totp: %w", err)
	}
	return f.Secret, totpURL(issuer, u.Email, f.Secret), nil
}

// totpURL is the otpauth:// URL an authenticator app reads from the QR code.
func totpURL(issuer, email, secret string) string {
	v := neturl.Values{}
	v.Set("secret", secret)
	v.Set("issuer", issuer)
	v.Set("algorithm", "SHA1")
	v.Set("digits", "6")
	v.Set("period", "30")
	return "otpauth://totp/" + neturl.PathEscape(issuer+":"+email) + "?" + v.Encode()
}

// ConfirmTOTP turns two-step sign-in on with a first code from the pending secret and returns ten new
// recovery codes, which are stored only as hashes and never shown again.
func (s *Service) ConfirmTOTP(ctx context.Context, userID, code string) ([]string, error) {
	var codes []string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var f totpFactor
		err := tx.Where("user_id = ?", userID).Take(&f).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return errTOTPPending
		}
		if err != nil {
			return err
		}
		if f.ConfirmedAt != nil {
			return errTOTPOn
		}
		if err := s.openTOTP(ctx, &f); err != nil {
			return err
		}
		step, ok := s.matchStep(f.Secret, code, f.LastStep)
		if !ok {
			return ErrSecondFactorBad
		}
		now := s.Now()
		if err := tx.Model(&totpFactor{}).Where("user_id = ?", userID).
			Updates(map[string]any{"confirmed_at": now, "last_step": step}).Error; err != nil {
			return err
		}
		codes, err = s.newRecoveryCodes(tx, userID)
		return err
	})
	if err != nil {
		if apperr.As(err) != nil {
			return nil, err
		}
		return nil, fmt.Errorf("account: confirm totp: %w", err)
	}
	return codes, nil
}

func (s *Service) newRecoveryCodes(tx *gorm.DB, userID string) ([]string, error) {
	if err := tx.Where("user_id = ?", userID).Delete(&recoveryCode{}).Error; err != nil {
		return nil, err
	}
	codes := make([]string, RecoveryCodeCount)
	rows := make([]recoveryCode, RecoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
		rows[i] = recoveryCode{UserID: userID, Hash: token.Hash(normalizeRecovery(codes[i])), CreatedAt: s.Now()}
	}
	if err := tx.Create(&rows).Error; err != nil {
		return nil, err
	}
	return codes, nil
}

// newRecoveryCode returns 80 random bits as four groups of four letters and digits ("k3mq-…").
func newRecoveryCode() string {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic("account: crypto/rand failed: " + err.Error())
	}
	s := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
}

// normalizeRecovery lets a recovery code be typed with or without its dashes, spaces and capitals.
func normalizeRecovery(code string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(code)))
}

// matchStep returns the time step whose code is code, among the steps around now that come after
// lastStep; a code of lastStep or before was used already (SECURITY K1).
func (s *Service) matchStep(secret, code string, lastStep int64) (int64, bool) {
	code = strings.TrimSpace(strings.ReplaceAll(code, " ", ""))
	if len(code) != 6 {
		return 0, false
	}
	now := s.Now().Unix() / totpPeriod
	for step := now - totpSkew; step <= now+totpSkew; step++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0).UTC(), totpOpts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, step > lastStep
		}
	}
	return 0, false
}

// CheckSecondFactor checks a code from the user's app or one of their recovery codes, and uses it up:
// the same code is refused afterwards (SECURITY K1). It reports whether a recovery code was used. A wrong
// or used code is ErrSecondFactorBad.
func (s *Service) CheckSecondFactor(ctx context.Context, userID, code, recovery string) (usedRecovery bool, err error) {
	return s.checkSecondFactorIn(ctx, s.db, userID, code, recovery)
}

func (s *Service) checkSecondFactorIn(ctx context.Context, db *gorm.DB, userID, code, recovery string) (bool, error) {
	db = db.WithContext(ctx)
	if strings.TrimSpace(recovery) != "" {
		res := db.Model(&recoveryCode{}).Where("user_id = ? AND hash = ? AND used_at IS NULL", userID, token.Hash(normalizeRecovery(recovery))).
			Update("used_at", s.Now())
		if res.Error != nil {
			return false, fmt.Errorf("account: recovery code: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return false, ErrSecondFactorBad
		}
		return true, nil
	}
	var f totpFactor
	err := db.Where("user_id = ? AND confirmed_at IS NOT NULL", userID).Take(&f).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return false, ErrSecondFactorBad
	}
	if err == nil {
		err = s.openTOTP(ctx, &f)
	}
	if err != nil {
		return false, fmt.Errorf("account: totp: %w", err)
	}
	step, ok := s.matchStep(f.Secret, code, f.LastStep)
	if !ok {
		return false, ErrSecondFactorBad
	}
	// Only one request can move last_step past step: a code sent twice at once works once.
	res := db.Model(&totpFactor{}).Where("user_id = ? AND last_step < ?", userID, step).Update("last_step", step)
	if res.Error != nil {
		return false, fmt.Errorf("account: totp: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return false, ErrSecondFactorBad
	}
	return false, nil
}

// DisableTOTP turns two-step sign-in off after checking a current code or a recovery code, and removes
// the recovery codes.
func (s *Service) DisableTOTP(ctx context.Context, userID, code, recovery string) error {
	if on, err := s.totpOn(ctx, userID); err != nil || !on {
		if err == nil {
			return errTOTPOff
		}
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := s.checkSecondFactorIn(ctx, tx, userID, code, recovery); err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", userID).Delete(&totpFactor{}).Error; err != nil {
			return fmt.Errorf("account: totp off: %w", err)
		}
		if on, err := s.hasSecondFactorIn(ctx, tx, userID); err != nil || on {
			return err // passkeys remain: they still need the recovery codes and the second step
		}
		if err := tx.Where("user_id = ?", userID).Delete(&recoveryCode{}).Error; err != nil {
			return fmt.Errorf("account: totp off: %w", err)
		}
		return tx.Where("user_id = ?", userID).Delete(&challenge{}).Error
	})
}
