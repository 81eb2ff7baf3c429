package server

import (
	"encoding/json"
	"errors"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/auth"
)

// Passkeys (SECURITY K3): the operations behind the pages' script (web/static/js/passkey.js) and the
// API. A ceremony's options go to navigator.credentials with the secret that finishes it; the
// authenticator's answer comes back as credential, as the browser's PublicKeyCredential.toJSON() gives it.

// ceremonyJSON is a begun ceremony: the secret that finishes it and the options for the browser.
type ceremonyJSON struct {
	Ceremony string `json:"ceremony"`
	Options  any    `json:"options"`
}

// passkeyFinishReq finishes a ceremony; Challenge is the password step a second-factor ceremony completes.
type passkeyFinishReq struct {
	Ceremony     string          `json:"ceremony"`
	Credential   json.RawMessage `json:"credential"`
	Challenge    string          `json:"challenge"`
	Name         string          `json:"name"`
	Next         string          `json:"next"`
	Code         string          `json:"code"`
	RecoveryCode string          `json:"recovery_code"`
}

type passkeyJSON struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	CreatedAt  string  `json:"created_at"`
	LastUsedAt *string `json:"last_used_at"`
}

func toPasskeyJSON(p account.Passkey) passkeyJSON {
	return passkeyJSON{ID: p.ID, Name: p.Name, CreatedAt: rfc3339(p.CreatedAt), LastUsedAt: rfc3339OrNull(p.LastUsedAt)}
}

// sessionKind is the kind of the caller's session: a passkey added from the browser finishes there.
func sessionKind(c *fiber.Ctx) string {
	if s := auth.CurrentSession(c); s != nil {
		return s.Kind
	}
	return account.KindBrowser
}

// beginPasskeySignIn starts a passkey sign-in for a session of kind, throttled like a password; with a
// challenge it is that password step's second factor.
func (h *safetyHandlers) beginPasskeySignIn(c *fiber.Ctx, kind, challenge string) (*ceremonyJSON, error) {
	if client := "login|" + c.IP(); !h.limiter.AllowClient(client) {
		h.securityEvent(c, slog.LevelWarn, "rate_limited", "", "scope", "client", "action", "passkey")
		return nil, tooMany(c, errTooManyClient, h.limiter.ClientWait(client))
	}
	opts, cer, err := h.accounts.BeginPasskeySignIn(c.UserContext(), kind, challenge)
	if err != nil {
		return nil, err
	}
	return &ceremonyJSON{Ceremony: cer, Options: opts}, nil
}

// finishPasskeySignIn checks the passkey and starts the session. A failed passkey after a right
// password counts as a failed second factor, for the throttle and the owner's history.
func (h *safetyHandlers) finishPasskeySignIn(c *fiber.Ctx, kind string, req passkeyFinishReq) (*signedIn, error) {
	ctx := c.UserContext()
	if client := "login|" + c.IP(); !h.limiter.AllowClient(client) {
		h.securityEvent(c, slog.LevelWarn, "rate_limited", "", "scope", "client", "action", "passkey")
		return nil, tooMany(c, errTooManyClient, h.limiter.ClientWait(client))
	}
	var owner *account.User
	if req.Challenge != "" {
		u, err := h.accounts.ChallengeUser(ctx, req.Challenge, kind)
		if err != nil {
			return nil, err
		}
		if h.limiter.AccountLocked(u.Email) {
			h.securityEvent(c, slog.LevelWarn, "lockout", u.ID, "scope", "account", "action", "passkey")
			return nil, tooMany(c, errTooManyAccount, h.limiter.AccountWait(u.Email))
		}
		owner = u
	}
	u, err := h.accounts.FinishPasskeySignIn(ctx, kind, req.Ceremony, req.Challenge, req.Credential)
	if errors.Is(err, account.ErrPasskeyBad) {
		h.securityEvent(c, slog.LevelWarn, "passkey_failed", "", "session_kind", kind)
		if owner != nil {
			h.limiter.Fail(owner.Email)
			h.remember(c, owner.ID, account.EventSecondFactorFailed)
		}
	}
	if err != nil {
		return nil, err
	}
	h.limiter.Succeed(u.Email)
	h.securityEvent(c, slog.LevelInfo, "passkey_ok", u.ID, "session_kind", kind)
	return h.startSession(c, u, kind)
}

// addPasskey finishes a registration for the signed-in user (recent authentication is checked by the
// route) and returns the passkey and, for a first second factor, the recovery codes.
func (h *safetyHandlers) addPasskey(c *fiber.Ctx, req passkeyFinishReq) (*account.Passkey, []string, error) {
	u := auth.CurrentUser(c)
	pk, codes, err := h.accounts.FinishPasskeyRegistration(c.UserContext(), u, sessionKind(c), req.Ceremony, req.Name, req.Credential)
	if err != nil {
		return nil, nil, err
	}
	h.securityEvent(c, slog.LevelInfo, "second_factor_on", "", "factor", "passkey")
	h.remember(c, u.ID, account.EventPasskeyAdded)
	return pk, codes, nil
}

// removePasskey removes one of the signed-in user's passkeys with its own answer, a code or a recovery
// code, throttled like a password (recent authentication is checked by the route).
func (h *safetyHandlers) removePasskey(c *fiber.Ctx, id string, proof account.PasskeyProof) error {
	u := auth.CurrentUser(c)
	err := h.factorGuess(c, func() error {
		err := h.accounts.RemovePasskey(c.UserContext(), u, sessionKind(c), id, proof)
		if errors.Is(err, account.ErrPasskeyBad) {
			h.limiter.Fail(u.Email)
			h.remember(c, u.ID, account.EventSecondFactorFailed)
		}
		return err
	})
	if err != nil {
		return err
	}
	h.securityEvent(c, slog.LevelInfo, "second_factor_off", "", "factor", "passkey")
	h.remember(c, u.ID, account.EventPasskeyRemoved)
	return nil
}
