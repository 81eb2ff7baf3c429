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
func (s *Server) passwordGuess(c *fiber.Ctx, action string) error {
	u := auth.CurrentUser(c)
	if client := "login|" + c.IP(); !s.limiter.AllowClient(client) {
		s.securityEvent(c, slog.LevelWarn, "rate_limited", "", "scope", "client", "action", action)
		return tooMany(c, errTooManyClient, s.limiter.ClientWait(client))
	}
	if s.limiter.AccountLocked(u.Email) {
		s.securityEvent(c, slog.LevelWarn, "lockout", "", "scope", "account", "action", action)
		return tooMany(c, errTooManyAccount, s.limiter.AccountWait(u.Email))
	}
	return nil
}

// reauth checks the password again and marks this session as recently authenticated.
func (s *Server) reauth(c *fiber.Ctx, password string) error {
	if err := s.passwordGuess(c, "reauth"); err != nil {
		return err
	}
	err := s.accounts.Reauthenticate(c.UserContext(), auth.CurrentSession(c), password)
	switch {
	case apperr.Is(err, apperr.Invalid):
		s.limiter.Fail(auth.CurrentUser(c).Email)
		s.securityEvent(c, slog.LevelWarn, "reauth_failed", "")
	case err == nil:
		s.securityEvent(c, slog.LevelInfo, "reauth_ok", "")
	}
	return err
}

// changePassword sets a new password after checking the current one, and signs out every other session.
func (s *Server) changePassword(c *fiber.Ctx, current, next string) error {
	if err := s.passwordGuess(c, "password_change"); err != nil {
		return err
	}
	u, sess := auth.CurrentUser(c), auth.CurrentSession(c)
	err := s.accounts.ChangePassword(c.UserContext(), u.ID, current, next, sess.ID)
	if e := apperr.As(err); e != nil && e.Fields["current_password"] != "" {
		s.limiter.Fail(u.Email)
		s.securityEvent(c, slog.LevelWarn, "password_change_failed", "", "reason", "current_password")
		return err
	}
	if err != nil {
		return err
	}
	s.securityEvent(c, slog.LevelInfo, "password_changed", "", "other_sessions", "revoked")
	s.remember(c, u.ID, account.EventPasswordChanged)
	return nil
}

// revokeSession ends one of the user's own sessions; another user's is not found (SECURITY B9).
// Ending the current session signs this browser out.
func (s *Server) revokeSession(c *fiber.Ctx, id string) (current bool, err error) {
	u, sess := auth.CurrentUser(c), auth.CurrentSession(c)
	if err := s.accounts.Revoke(c.UserContext(), u.ID, id); err != nil {
		return false, err
	}
	s.securityEvent(c, slog.LevelInfo, "session_revoked", "", "scope", "one")
	s.remember(c, u.ID, account.EventSessionRevoked)
	if id == sess.ID {
		s.clearBrowser(c)
		return true, nil
	}
	return false, nil
}

// revokeOthers ends every session of the user but this one ("sign out everywhere else").
func (s *Server) revokeOthers(c *fiber.Ctx) error {
	u, sess := auth.CurrentUser(c), auth.CurrentSession(c)
	if err := s.accounts.RevokeOthers(c.UserContext(), u.ID, sess.ID); err != nil {
		return err
	}
	s.securityEvent(c, slog.LevelInfo, "session_revoked", "", "scope", "others")
	s.remember(c, u.ID, account.EventSessionsRevoked)
	return nil
}

// resetPassword uses a reset link once: it sets the new password and signs out every session.
func (s *Server) resetPassword(c *fiber.Ctx, plain, next string) error {
	if client := "reset|" + c.IP(); !s.limiter.AllowClient(client) {
		s.securityEvent(c, slog.LevelWarn, "rate_limited", "", "scope", "client", "action", "reset")
		return tooMany(c, errTooManyClient, s.limiter.ClientWait(client))
	}
	userID, err := s.accounts.ResetPassword(c.UserContext(), plain, next)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			s.securityEvent(c, slog.LevelWarn, "password_reset_failed", "", "reason", "link")
		}
		return err
	}
	s.securityEvent(c, slog.LevelInfo, "password_reset", userID, "sessions", "revoked")
	s.remember(c, userID, account.EventPasswordReset)
	s.clearBrowser(c)
	return nil
}
