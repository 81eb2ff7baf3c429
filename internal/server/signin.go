package server

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/auth"
	"github.com/mendhq/mend/internal/config"
)

var (
	errTooManyClient  = apperr.New(apperr.RateLimited, "Too many attempts from this device. Please wait a minute and try again.")
	errTooManyAccount = apperr.New(apperr.RateLimited, "Too many failed sign-ins for this account. Please wait 15 minutes and try again.")
	errRegClosed      = apperr.New(apperr.Forbidden, "New accounts can't be created on this Mend right now. Ask whoever runs it.")
	errRegInviteOnly  = apperr.New(apperr.Forbidden, "New accounts need an invite link on this Mend. Ask your partner to send you one.")
	errRegInviteStale = apperr.New(apperr.Forbidden, "That invite link has expired or was already used. Ask your partner for a new one.")
)

// tooMany answers a throttled attempt with err and a Retry-After header: the whole seconds until the
// throttle's window lets the next attempt through (RFC 9110 §10.2.3).
func tooMany(c *fiber.Ctx, err error, wait time.Duration) error {
	secs := int((wait + time.Second - 1) / time.Second)
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(max(secs, 1)))
	return err
}

// retryAfterFallback gives a 429 that no throttle answered (the password hasher's queue was full) a
// Retry-After of one second, so every 429 says when to try again.
func retryAfterFallback(c *fiber.Ctx, status int) {
	if status == fiber.StatusTooManyRequests && len(c.Response().Header.Peek(fiber.HeaderRetryAfter)) == 0 {
		c.Set(fiber.HeaderRetryAfter, "1")
	}
}

// securityEvent writes one structured security record with the request id and the user id when known
// (SECURITY G3). Callers pass ids and fixed words only: never a password, token, cookie, email or text (G2).
func (s *Server) securityEvent(c *fiber.Ctx, level slog.Level, event, userID string, attrs ...any) {
	if userID == "" {
		if u := auth.CurrentUser(c); u != nil {
			userID = u.ID
		} else {
			userID = auth.RejectedUserID(c)
		}
	}
	all := append([]any{"event", event, "request_id", requestID(c)}, attrs...)
	if userID != "" {
		all = append(all, "user_id", userID)
	}
	s.log.Log(c.UserContext(), level, "security", all...)
}

// accountID returns the id of the account with email, or "" (for security records only).
func (s *Server) accountID(ctx context.Context, email string) string {
	u, err := s.accounts.UserByEmail(ctx, email)
	if err != nil {
		return ""
	}
	return u.ID
}

// signedIn is the outcome of a successful sign-in.
type signedIn struct {
	User    *account.User
	Session *account.Session
	Token   string
	Expires time.Time
}

// signIn checks the throttles and credentials and starts a new session (SECURITY A3, A4, B7).
func (s *Server) signIn(c *fiber.Ctx, email, password, kind string) (*signedIn, error) {
	ctx := c.UserContext()
	if client := "login|" + c.IP(); !s.limiter.AllowClient(client) {
		s.securityEvent(c, slog.LevelWarn, "rate_limited", "", "scope", "client", "action", "login")
		return nil, tooMany(c, errTooManyClient, s.limiter.ClientWait(client))
	}
	key := account.NormalizeEmail(email)
	if s.limiter.AccountLocked(key) {
		s.securityEvent(c, slog.LevelWarn, "lockout", s.accountID(ctx, key), "scope", "account")
		return nil, tooMany(c, errTooManyAccount, s.limiter.AccountWait(key))
	}
	u, err := s.accounts.Authenticate(ctx, email, password)
	if err != nil {
		if errors.Is(err, account.ErrBadCredentials) {
			s.limiter.Fail(key)
			s.securityEvent(c, slog.LevelWarn, "login_failed", s.accountID(ctx, key), "session_kind", kind)
		}
		return nil, err
	}
	s.limiter.Succeed(key)
	return s.startSession(c, u, kind)
}

// startSession always makes a new session; a browser's earlier session is ended, so a cookie planted
// before sign-in is never carried over (SECURITY B7).
func (s *Server) startSession(c *fiber.Ctx, u *account.User, kind string) (*signedIn, error) {
	ctx := c.UserContext()
	if old := auth.CurrentSession(c); old != nil && kind == account.KindBrowser && !auth.ViaBearer(c) {
		if err := s.accounts.Revoke(ctx, old.UserID, old.ID); err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
	}
	sess, err := s.accounts.CreateSession(ctx, u.ID, kind, c.Get(fiber.HeaderUserAgent))
	if err != nil {
		return nil, err
	}
	exp := s.accounts.Expiry(sess)
	tok, err := s.tokens.Issue(u.ID, sess.ID, exp)
	if err != nil {
		return nil, err
	}
	s.securityEvent(c, slog.LevelInfo, "login_ok", u.ID, "session_kind", kind)
	if kind == account.KindBrowser {
		s.auth.SetCookie(c, tok, exp)
	}
	return &signedIn{User: u, Session: sess, Token: tok, Expires: exp}, nil
}

// register creates an account when the registration mode allows it. invite is the invite secret the
// visitor arrived with, if any (invite-only mode needs a valid one).
func (s *Server) register(c *fiber.Ctx, email, password, name, invite string) (*account.User, error) {
	switch s.cfg.Registration {
	case config.RegistrationClosed:
		s.securityEvent(c, slog.LevelInfo, "registration_refused", "", "mode", s.cfg.Registration)
		return nil, errRegClosed
	case config.RegistrationInviteOnly:
		if invite == "" {
			s.securityEvent(c, slog.LevelInfo, "registration_refused", "", "mode", s.cfg.Registration)
			return nil, errRegInviteOnly
		}
		if _, err := s.couples.CheckInvite(c.UserContext(), invite); err != nil {
			s.securityEvent(c, slog.LevelInfo, "registration_refused", "", "mode", s.cfg.Registration, "reason", "invite")
			return nil, errRegInviteStale
		}
	}
	if client := "register|" + c.IP(); !s.limiter.AllowClient(client) {
		s.securityEvent(c, slog.LevelWarn, "rate_limited", "", "scope", "client", "action", "register")
		return nil, tooMany(c, errTooManyClient, s.limiter.ClientWait(client))
	}
	u, err := s.accounts.Register(c.UserContext(), email, password, name)
	if err != nil {
		return nil, err
	}
	s.securityEvent(c, slog.LevelInfo, "registered", u.ID)
	return u, nil
}

// signOut revokes the current session and clears the browser's copy (SECURITY B5, E4).
func (s *Server) signOut(c *fiber.Ctx) error {
	if sess := auth.CurrentSession(c); sess != nil {
		if err := s.accounts.Revoke(c.UserContext(), sess.UserID, sess.ID); err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		s.securityEvent(c, slog.LevelInfo, "logout", sess.UserID)
	}
	s.clearBrowser(c)
	return nil
}

// clearBrowser removes the session cookie and asks the browser to forget what it kept (SECURITY E4).
func (s *Server) clearBrowser(c *fiber.Ctx) {
	s.auth.ClearCookie(c)
	c.Set("Clear-Site-Data", `"cache", "cookies", "storage"`)
}
