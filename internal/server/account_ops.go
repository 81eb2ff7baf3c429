package server

import (
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/auth"
)

// The operations behind both the /account pages and the /api/v1/me endpoints. Each checks the
// throttles where a password is guessed and writes its security record (SECURITY A4, A6, B5, B9, B10, G3).

// passwordGuess applies the sign-in throttles to a password entered by a signed-in user.
func (h *accountHandlers) passwordGuess(c *fiber.Ctx, action string) error {
	u := auth.CurrentUser(c)
	if client := "login|" + c.IP(); !h.limiter.AllowClient(client) {
		h.securityEvent(c, slog.LevelWarn, "rate_limited", "", "scope", "client", "action", action)
		return tooMany(c, errTooManyClient, h.limiter.ClientWait(client))
	}
	if h.limiter.AccountLocked(u.Email) {
		h.securityEvent(c, slog.LevelWarn, "lockout", "", "scope", "account", "action", action)
		return tooMany(c, errTooManyAccount, h.limiter.AccountWait(u.Email))
	}
	return nil
}

// updateName changes the signed-in user's display name.
func (h *accountHandlers) updateName(c *fiber.Ctx, name string) (*account.User, error) {
	u, err := h.svc.UpdateDisplayName(c.UserContext(), auth.CurrentUser(c).ID, name)
	if err != nil {
		return nil, err
	}
	h.securityEvent(c, slog.LevelInfo, "profile_updated", u.ID)
	return u, nil
}

// reauth checks the password again and marks this session as recently authenticated.
func (h *accountHandlers) reauth(c *fiber.Ctx, password string) error {
	if err := h.passwordGuess(c, "reauth"); err != nil {
		return err
	}
	err := h.svc.Reauthenticate(c.UserContext(), auth.CurrentSession(c), password)
	switch {
	case apperr.Is(err, apperr.Invalid):
		h.limiter.Fail(auth.CurrentUser(c).Email)
		h.securityEvent(c, slog.LevelWarn, "reauth_failed", "")
	case err == nil:
		h.securityEvent(c, slog.LevelInfo, "reauth_ok", "")
	}
	return err
}

// changePassword sets a new password after checking the current one, and signs out every other session.
func (h *accountHandlers) changePassword(c *fiber.Ctx, current, next string) error {
	if err := h.passwordGuess(c, "password_change"); err != nil {
		return err
	}
	u, sess := auth.CurrentUser(c), auth.CurrentSession(c)
	err := h.svc.ChangePassword(c.UserContext(), u.ID, current, next, sess.ID)
	if e := apperr.As(err); e != nil && e.Fields["current_password"] != "" {
		h.limiter.Fail(u.Email)
		h.securityEvent(c, slog.LevelWarn, "password_change_failed", "", "reason", "current_password")
		return err
	}
	if err != nil {
		return err
	}
	h.securityEvent(c, slog.LevelInfo, "password_changed", "", "other_sessions", "revoked")
	h.remember(c, u.ID, account.EventPasswordChanged)
	return nil
}

// revokeSession ends one of the user's own sessions; another user's is not found (SECURITY B9).
// Ending the current session signs this browser out.
func (h *accountHandlers) revokeSession(c *fiber.Ctx, id string) (current bool, err error) {
	u, sess := auth.CurrentUser(c), auth.CurrentSession(c)
	if err := h.svc.Revoke(c.UserContext(), u.ID, id); err != nil {
		return false, err
	}
	h.securityEvent(c, slog.LevelInfo, "session_revoked", "", "scope", "one")
	h.remember(c, u.ID, account.EventSessionRevoked)
	if id == sess.ID {
		h.clearBrowser(c)
		return true, nil
	}
	return false, nil
}

// revokeOthers ends every session of the user but this one ("sign out everywhere else").
func (h *accountHandlers) revokeOthers(c *fiber.Ctx) error {
	u, sess := auth.CurrentUser(c), auth.CurrentSession(c)
	if err := h.svc.RevokeOthers(c.UserContext(), u.ID, sess.ID); err != nil {
		return err
	}
	h.securityEvent(c, slog.LevelInfo, "session_revoked", "", "scope", "others")
	h.remember(c, u.ID, account.EventSessionsRevoked)
	return nil
}

// resetPassword uses a reset link once: it sets the new password and signs out every session.
func (h *accountHandlers) resetPassword(c *fiber.Ctx, plain, next string) error {
	if client := "reset|" + c.IP(); !h.limiter.AllowClient(client) {
		h.securityEvent(c, slog.LevelWarn, "rate_limited", "", "scope", "client", "action", "reset")
		return tooMany(c, errTooManyClient, h.limiter.ClientWait(client))
	}
	userID, err := h.svc.ResetPassword(c.UserContext(), plain, next)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			h.securityEvent(c, slog.LevelWarn, "password_reset_failed", "", "reason", "link")
		}
		return err
	}
	h.securityEvent(c, slog.LevelInfo, "password_reset", userID, "sessions", "revoked")
	h.remember(c, userID, account.EventPasswordReset)
	if err := h.pulse.EnqueuePasswordNotice(c.UserContext(), userID); err != nil {
		h.log.Error("password notice", "request_id", requestID(c), "err", err)
	}
	h.clearBrowser(c)
	return nil
}
