package account

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/text"
	"github.com/mendhq/mend/internal/token"
	"github.com/mendhq/mend/internal/vault"
)

// passkeyRow is one WebAuthn credential of a user (SECURITY K3). Credential is the record the library
// keeps (public key, flags, signature counter) as JSON; SignCount repeats the counter so that two uses
// at once cannot both move it.
type passkeyRow struct {
	ID           string
	UserID       string
	CredentialID string
	Name         string
	Credential   string
	SignCount    int64
	CreatedAt    time.Time
	LastUsedAt   *time.Time
}

func (passkeyRow) TableName() string { return "passkeys" }

// passkeyNameField is where passkey id's sealed name (the one its owner gave it) lives.
func passkeyNameField(id string) vault.Field {
	return vault.Field{Table: "passkeys", Column: "name", Row: id}
}

// ceremony is the server's half of a WebAuthn ceremony between its begin and its finish: the library's
// session data, kept under the hash of a secret the client holds, single use, for CeremonyValidity.
// ChallengeHash ties a second-factor ceremony to the password step (challenge) it completes.
type ceremony struct {
	Hash          string
	UserID        *string
	Purpose       string
	Kind          string
	ChallengeHash *string
	Data          string
	CreatedAt     time.Time
	ExpiresAt     time.Time
	UsedAt        *time.Time
}

func (ceremony) TableName() string { return "passkey_ceremonies" }

// Ceremony purposes.
const (
	ceremonyRegister     = "register"
	ceremonySignIn       = "sign_in"
	ceremonySecondFactor = "second_factor"
	ceremonyConfirm      = "confirm"
)

// CeremonyValidity is how long a passkey ceremony can be finished.
const CeremonyValidity = 5 * time.Minute

// Passkey is what a person sees of one of their passkeys.
type Passkey struct {
	ID         string
	Name       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

var (
	// ErrPasskeyBad answers a passkey that did not prove anything: an unknown, foreign, cloned or
	// wrongly signed credential, or a ceremony that is unknown, used, expired or of another kind.
	ErrPasskeyBad     = apperr.New(apperr.Unauthorized, "That passkey didn't work. Try again, or sign in with your password.")
	errNoPasskeys     = apperr.New(apperr.NotFound, "This account has no passkey.")
	errPasskeysOff    = apperr.New(apperr.NotFound, "Passkeys are not set up on this Mend.")
	errPasskeyTaken   = apperr.New(apperr.Conflict, "This passkey is already added.")
	errTooManyPasskey = apperr.New(apperr.Conflict, "You have added as many passkeys as Mend keeps (10). Remove one first.")
)

// maxPasskeys bounds how many passkeys one account holds.
const maxPasskeys = 10

// newWebAuthn builds the relying party from the public base URL: its host is the relying party id and
// the base URL the only allowed origin; user verification is required in every ceremony (SECURITY K3).
func newWebAuthn(baseURL, name string) (*webauthn.WebAuthn, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("account: passkeys need a base URL with a host, got %q", baseURL)
	}
	if name == "" {
		name = "Mend"
	}
	return webauthn.New(&webauthn.Config{
		RPID:          u.Hostname(),
		RPDisplayName: name,
		RPOrigins:     []string{u.Scheme + "://" + u.Host},
		AuthenticatorSelection: protocol.AuthenticatorSelection{
			ResidentKey:      protocol.ResidentKeyRequirementRequired,
			UserVerification: protocol.VerificationRequired,
		},
		AttestationPreference: protocol.PreferNoAttestation,
	})
}

// RelyingPartyID returns the passkeys' relying party id ("" when passkeys are off).
func (s *Service) RelyingPartyID() string {
	if s.wa == nil {
		return ""
	}
	return s.wa.Config.RPID
}

// waUser is a user as the WebAuthn library sees them: the account id is the user handle.
type waUser struct {
	u     *User
	creds []webauthn.Credential
}

func (w *waUser) WebAuthnID() []byte                         { return []byte(w.u.ID) }
func (w *waUser) WebAuthnName() string                       { return w.u.Email }
func (w *waUser) WebAuthnDisplayName() string                { return w.u.DisplayName }
func (w *waUser) WebAuthnCredentials() []webauthn.Credential { return w.creds }

func (s *Service) passkeyRows(ctx context.Context, db *gorm.DB, userID string) ([]passkeyRow, error) {
	var rows []passkeyRow
	if err := db.WithContext(ctx).Where("user_id = ?", userID).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("account: passkeys: %w", err)
	}
	return rows, nil
}

func (s *Service) waUserOf(ctx context.Context, db *gorm.DB, u *User) (*waUser, []passkeyRow, error) {
	rows, err := s.passkeyRows(ctx, db, u.ID)
	if err != nil {
		return nil, nil, err
	}
	w := &waUser{u: u}
	for _, r := range rows {
		var c webauthn.Credential
		if err := json.Unmarshal([]byte(r.Credential), &c); err != nil {
			return nil, nil, fmt.Errorf("account: passkey %s: %w", r.ID, err)
		}
		w.creds = append(w.creds, c)
	}
	return w, rows, nil
}

// Passkeys lists userID's passkeys, oldest first.
func (s *Service) Passkeys(ctx context.Context, userID string) ([]Passkey, error) {
	rows, err := s.passkeyRows(ctx, s.db, userID)
	if err != nil {
		return nil, err
	}
	out := make([]Passkey, 0, len(rows))
	for _, r := range rows {
		name, err := s.vault.Open(ctx, passkeyNameField(r.ID), r.Name)
		if err != nil {
			return nil, fmt.Errorf("account: passkeys: %w", err)
		}
		out = append(out, Passkey{ID: r.ID, Name: name, CreatedAt: r.CreatedAt, LastUsedAt: r.LastUsedAt})
	}
	return out, nil
}

// newCeremony keeps sd for a ceremony of purpose and returns the secret that finishes it.
func (s *Service) newCeremony(ctx context.Context, userID, purpose, kind, challengeHash string, sd *webauthn.SessionData) (string, error) {
	data, err := json.Marshal(sd)
	if err != nil {
		return "", fmt.Errorf("account: ceremony: %w", err)
	}
	plain, hash := token.New()
	now := s.Now()
	c := ceremony{Hash: hash, Purpose: purpose, Kind: kind, Data: string(data), CreatedAt: now, ExpiresAt: now.Add(CeremonyValidity)}
	if userID != "" {
		c.UserID = &userID
	}
	if challengeHash != "" {
		c.ChallengeHash = &challengeHash
	}
	db := s.db.WithContext(ctx)
	if err := db.Where("expires_at < ?", now).Delete(&ceremony{}).Error; err != nil {
		return "", fmt.Errorf("account: ceremony: %w", err)
	}
	if err := db.Create(&c).Error; err != nil {
		return "", fmt.Errorf("account: ceremony: %w", err)
	}
	return plain, nil
}

// takeCeremony uses up the live ceremony plain of purpose and kind and returns it with its session
// data. It is used up whatever the finish then decides, so each ceremony is one attempt.
func (s *Service) takeCeremony(ctx context.Context, plain, purpose, kind string) (*ceremony, *webauthn.SessionData, error) {
	if plain == "" {
		return nil, nil, ErrPasskeyBad
	}
	db := s.db.WithContext(ctx)
	now := s.Now()
	hash := token.Hash(plain)
	res := db.Model(&ceremony{}).Where("hash = ? AND purpose = ? AND kind = ? AND used_at IS NULL AND expires_at > ?", hash, purpose, kind, now).
		Update("used_at", now)
	if res.Error != nil {
		return nil, nil, fmt.Errorf("account: ceremony: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, nil, ErrPasskeyBad
	}
	var c ceremony
	if err := db.Where("hash = ?", hash).Take(&c).Error; err != nil {
		return nil, nil, fmt.Errorf("account: ceremony: %w", err)
	}
	var sd webauthn.SessionData
	if err := json.Unmarshal([]byte(c.Data), &sd); err != nil {
		return nil, nil, fmt.Errorf("account: ceremony: %w", err)
	}
	return &c, &sd, nil
}

// BeginPasskeyRegistration starts adding a passkey to u's account from a session of kind: the options
// for navigator.credentials.create and the ceremony secret that FinishPasskeyRegistration needs.
func (s *Service) BeginPasskeyRegistration(ctx context.Context, u *User, kind string) (*protocol.CredentialCreation, string, error) {
	if s.wa == nil {
		return nil, "", errPasskeysOff
	}
	w, rows, err := s.waUserOf(ctx, s.db, u)
	if err != nil {
		return nil, "", err
	}
	if len(rows) >= maxPasskeys {
		return nil, "", errTooManyPasskey
	}
	exclude := webauthn.Credentials(w.creds).CredentialDescriptors()
	opts, sd, err := s.wa.BeginRegistration(w, webauthn.WithExclusions(exclude),
		webauthn.WithResidentKeyRequirement(protocol.ResidentKeyRequirementRequired),
		webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
			ResidentKey: protocol.ResidentKeyRequirementRequired, UserVerification: protocol.VerificationRequired}))
	if err != nil {
		return nil, "", fmt.Errorf("account: begin passkey: %w", err)
	}
	plain, err := s.newCeremony(ctx, u.ID, ceremonyRegister, kind, "", sd)
	if err != nil {
		return nil, "", err
	}
	return opts, plain, nil
}

// FinishPasskeyRegistration checks the authenticator's answer to a registration ceremony of u and kind
// and keeps the new passkey under name. When it is the account's first second factor it also returns
// ten new recovery codes, shown once, so losing the passkey never locks its owner out.
func (s *Service) FinishPasskeyRegistration(ctx context.Context, u *User, kind, plain, name string, response []byte) (*Passkey, []string, error) {
	if s.wa == nil {
		return nil, nil, errPasskeysOff
	}
	f := apperr.Form{}
	name = text.Clean(f, "name", name, text.Rule{Max: 60})
	if err := f.Err(); err != nil {
		return nil, nil, err
	}
	if name == "" {
		name = "Passkey"
	}
	c, sd, err := s.takeCeremony(ctx, plain, ceremonyRegister, kind)
	if err != nil {
		return nil, nil, err
	}
	if c.UserID == nil || *c.UserID != u.ID {
		return nil, nil, ErrPasskeyBad
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		return nil, nil, ErrPasskeyBad
	}
	w, _, err := s.waUserOf(ctx, s.db, u)
	if err != nil {
		return nil, nil, err
	}
	cred, err := s.wa.CreateCredential(w, *sd, parsed)
	if err != nil {
		return nil, nil, ErrPasskeyBad
	}
	data, err := json.Marshal(cred)
	if err != nil {
		return nil, nil, fmt.Errorf("account: passkey: %w", err)
	}
	now := s.Now()
	row := passkeyRow{ID: token.ID(), UserID: u.ID, CredentialID: base64.RawURLEncoding.EncodeToString(cred.ID), Name: name,
		Credential: string(data), SignCount: int64(cred.Authenticator.SignCount), CreatedAt: now}
	var codes []string
	stored := row
	if stored.Name, err = s.vault.Seal(ctx, vault.Person(u.ID), passkeyNameField(row.ID), name); err != nil {
		return nil, nil, fmt.Errorf("account: add passkey: %w", err)
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		had, err := s.hasSecondFactorIn(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		if err := tx.Create(&stored).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return errPasskeyTaken
			}
			return err
		}
		if !had {
			codes, err = s.newRecoveryCodes(tx, u.ID)
		}
		return err
	})
	if err != nil {
		if apperr.As(err) != nil {
			return nil, nil, err
		}
		return nil, nil, fmt.Errorf("account: add passkey: %w", err)
	}
	return &Passkey{ID: row.ID, Name: row.Name, CreatedAt: row.CreatedAt}, codes, nil
}

// BeginPasskeySignIn starts a passkey sign-in into a session of kind. Without a challenge it is a sign-in
// without a password: any passkey of this Mend may answer, and the passkey names its account. With the
// challenge of a right password it is that account's second factor: only its own passkeys may answer.
func (s *Service) BeginPasskeySignIn(ctx context.Context, kind, challengePlain string) (*protocol.CredentialAssertion, string, error) {
	if s.wa == nil {
		return nil, "", errPasskeysOff
	}
	uv := webauthn.WithUserVerification(protocol.VerificationRequired)
	if challengePlain == "" {
		opts, sd, err := s.wa.BeginDiscoverableLogin(uv)
		if err != nil {
			return nil, "", fmt.Errorf("account: begin passkey sign-in: %w", err)
		}
		plain, err := s.newCeremony(ctx, "", ceremonySignIn, kind, "", sd)
		return opts, plain, err
	}
	ch, err := s.liveChallenge(ctx, s.db, challengePlain, kind)
	if err != nil {
		return nil, "", err
	}
	u, err := s.User(ctx, ch.UserID)
	if err != nil {
		return nil, "", err
	}
	w, _, err := s.waUserOf(ctx, s.db, u)
	if err != nil {
		return nil, "", err
	}
	if len(w.creds) == 0 {
		return nil, "", errNoPasskeys
	}
	opts, sd, err := s.wa.BeginLogin(w, uv)
	if err != nil {
		return nil, "", fmt.Errorf("account: begin passkey: %w", err)
	}
	plain, err := s.newCeremony(ctx, u.ID, ceremonySecondFactor, kind, ch.Hash, sd)
	return opts, plain, err
}

// FinishPasskeySignIn checks the authenticator's answer to a sign-in ceremony and returns the account
// it signs in. With challengePlain it completes that password step, once, and only with a passkey of
// the same account. A passkey always names its own account: its user handle must be its owner's id, so
// one person's passkey never signs in anyone else (SECURITY K3). Every failure is ErrPasskeyBad, except
// an unusable password step, which is ErrChallengeInvalid.
func (s *Service) FinishPasskeySignIn(ctx context.Context, kind, plain, challengePlain string, response []byte) (*User, error) {
	if s.wa == nil {
		return nil, errPasskeysOff
	}
	purpose := ceremonySignIn
	if challengePlain != "" {
		purpose = ceremonySecondFactor
	}
	c, sd, err := s.takeCeremony(ctx, plain, purpose, kind)
	if err != nil {
		return nil, err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
	if err != nil {
		return nil, ErrPasskeyBad
	}
	var ch *challenge
	if challengePlain != "" {
		if ch, err = s.liveChallenge(ctx, s.db, challengePlain, kind); err != nil {
			return nil, err
		}
		if c.ChallengeHash == nil || *c.ChallengeHash != ch.Hash || c.UserID == nil || *c.UserID != ch.UserID {
			return nil, ErrPasskeyBad
		}
	}
	var (
		owner *User
		rows  []passkeyRow
		cred  *webauthn.Credential
	)
	if ch != nil {
		if owner, err = s.User(ctx, ch.UserID); err != nil {
			return nil, err
		}
		var w *waUser
		if w, rows, err = s.waUserOf(ctx, s.db, owner); err != nil {
			return nil, err
		}
		if cred, err = s.wa.ValidateLogin(w, *sd, parsed); err != nil {
			return nil, ErrPasskeyBad
		}
	} else {
		var lookupErr error
		handler := func(rawID, userHandle []byte) (webauthn.User, error) {
			var r passkeyRow
			err := s.db.WithContext(ctx).Where("credential_id = ?", base64.RawURLEncoding.EncodeToString(rawID)).Take(&r).Error
			if err != nil {
				lookupErr = err
				return nil, ErrPasskeyBad
			}
			if !bytes.Equal(userHandle, []byte(r.UserID)) {
				return nil, ErrPasskeyBad
			}
			if owner, err = s.User(ctx, r.UserID); err != nil {
				lookupErr = err
				return nil, ErrPasskeyBad
			}
			w, rs, err := s.waUserOf(ctx, s.db, owner)
			if err != nil {
				lookupErr = err
				return nil, ErrPasskeyBad
			}
			rows = rs
			return w, nil
		}
		_, cred, err = s.wa.ValidatePasskeyLogin(handler, *sd, parsed)
		if lookupErr != nil && !errors.Is(lookupErr, gorm.ErrRecordNotFound) && !apperr.Is(lookupErr, apperr.NotFound) {
			return nil, fmt.Errorf("account: passkey sign-in: %w", lookupErr)
		}
		if err != nil {
			return nil, ErrPasskeyBad
		}
	}
	if cred.Authenticator.CloneWarning {
		// The counter went back: two copies of this key may exist. Refuse, and keep the old counter.
		return nil, ErrPasskeyBad
	}
	var row *passkeyRow
	for i := range rows {
		if rows[i].CredentialID == base64.RawURLEncoding.EncodeToString(cred.ID) {
			row = &rows[i]
		}
	}
	if row == nil {
		return nil, ErrPasskeyBad
	}
	data, err := json.Marshal(cred)
	if err != nil {
		return nil, fmt.Errorf("account: passkey: %w", err)
	}
	now := s.Now()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Only one use can move the counter from the value it was checked against.
		res := tx.Model(&passkeyRow{}).Where("id = ? AND sign_count = ?", row.ID, row.SignCount).
			Updates(map[string]any{"credential": string(data), "sign_count": int64(cred.Authenticator.SignCount), "last_used_at": now})
		if res.Error != nil {
			return fmt.Errorf("account: passkey: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrPasskeyBad
		}
		if ch == nil {
			return nil
		}
		res = tx.Model(&challenge{}).Where("hash = ? AND used_at IS NULL", ch.Hash).Update("used_at", now)
		if res.Error != nil {
			return fmt.Errorf("account: challenge: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrChallengeInvalid
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return owner, nil
}

// BeginPasskeyConfirm starts a ceremony in which passkey id of u proves it is at hand, to remove it.
func (s *Service) BeginPasskeyConfirm(ctx context.Context, u *User, kind, id string) (*protocol.CredentialAssertion, string, error) {
	if s.wa == nil {
		return nil, "", errPasskeysOff
	}
	w, rows, err := s.waUserOf(ctx, s.db, u)
	if err != nil {
		return nil, "", err
	}
	for i, r := range rows {
		if r.ID != id {
			continue
		}
		opts, sd, err := s.wa.BeginLogin(w, webauthn.WithUserVerification(protocol.VerificationRequired),
			webauthn.WithAllowedCredentials([]protocol.CredentialDescriptor{w.creds[i].Descriptor()}))
		if err != nil {
			return nil, "", fmt.Errorf("account: begin passkey: %w", err)
		}
		plain, err := s.newCeremony(ctx, u.ID, ceremonyConfirm, kind, "", sd)
		return opts, plain, err
	}
	return nil, "", apperr.NotFoundf("The passkey")
}

// PasskeyProof is what removing a passkey needs besides recent authentication: that passkey's own
// answer to a confirm ceremony, a code from the authenticator app, or a recovery code.
type PasskeyProof struct {
	Ceremony     string
	Assertion    []byte
	Code         string
	RecoveryCode string
}

// RemovePasskey removes passkey id of u after checking proof. When it was the account's last second
// factor, the recovery codes and open sign-in steps go with it.
func (s *Service) RemovePasskey(ctx context.Context, u *User, kind, id string, proof PasskeyProof) error {
	var r passkeyRow
	err := s.db.WithContext(ctx).Where("id = ? AND user_id = ?", id, u.ID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return apperr.NotFoundf("The passkey")
	}
	if err != nil {
		return fmt.Errorf("account: passkey: %w", err)
	}
	if proof.Ceremony != "" {
		if err := s.checkConfirm(ctx, u, kind, r, proof); err != nil {
			return err
		}
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if proof.Ceremony == "" {
			if _, err := s.checkSecondFactorIn(ctx, tx, u.ID, proof.Code, proof.RecoveryCode); err != nil {
				return err
			}
		}
		if err := tx.Where("id = ? AND user_id = ?", id, u.ID).Delete(&passkeyRow{}).Error; err != nil {
			return fmt.Errorf("account: remove passkey: %w", err)
		}
		on, err := s.hasSecondFactorIn(ctx, tx, u.ID)
		if err != nil || on {
			return err
		}
		if err := tx.Where("user_id = ?", u.ID).Delete(&recoveryCode{}).Error; err != nil {
			return fmt.Errorf("account: remove passkey: %w", err)
		}
		return tx.Where("user_id = ?", u.ID).Delete(&challenge{}).Error
	})
}

// checkConfirm checks that passkey r answered the confirm ceremony of proof.
func (s *Service) checkConfirm(ctx context.Context, u *User, kind string, r passkeyRow, proof PasskeyProof) error {
	c, sd, err := s.takeCeremony(ctx, proof.Ceremony, ceremonyConfirm, kind)
	if err != nil {
		return err
	}
	if c.UserID == nil || *c.UserID != u.ID {
		return ErrPasskeyBad
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(proof.Assertion)
	if err != nil {
		return ErrPasskeyBad
	}
	w, _, err := s.waUserOf(ctx, s.db, u)
	if err != nil {
		return err
	}
	cred, err := s.wa.ValidateLogin(w, *sd, parsed)
	if err != nil || cred.Authenticator.CloneWarning || base64.RawURLEncoding.EncodeToString(cred.ID) != r.CredentialID {
		return ErrPasskeyBad
	}
	return nil
}

// hasSecondFactorIn reports whether userID has a confirmed authenticator app or a passkey.
func (s *Service) hasSecondFactorIn(ctx context.Context, db *gorm.DB, userID string) (bool, error) {
	var n int64
	if err := db.WithContext(ctx).Model(&totpFactor{}).Where("user_id = ? AND confirmed_at IS NOT NULL", userID).Count(&n).Error; err != nil {
		return false, fmt.Errorf("account: second factors: %w", err)
	}
	if n > 0 {
		return true, nil
	}
	if err := db.WithContext(ctx).Model(&passkeyRow{}).Where("user_id = ?", userID).Count(&n).Error; err != nil {
		return false, fmt.Errorf("account: second factors: %w", err)
	}
	return n > 0, nil
}
