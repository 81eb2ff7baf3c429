package server

import (
	"errors"
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
)

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
	if !s.limiter.AllowClient("login|" + c.IP()) {
		s.log.Warn("security", "event", "rate_limited", "scope", "client", "request_id", requestID(c))
		return nil, errTooManyClient
	}
	key := account.NormalizeEmail(email)
	if s.limiter.AccountLocked(key) {
		s.log.Warn("security", "event", "lockout", "request_id", requestID(c))
		return nil, errTooManyAccount
	}
	u, err := s.accounts.Authenticate(ctx, email, password)
	if err != nil {
		if errors.Is(err, account.ErrBadCredentials) {
			s.limiter.Fail(key)
			s.log.Warn("security", "event", "login_failed", "request_id", requestID(c))
		}
		return nil, err
	}
	s.limiter.Succeed(key)
	return s.startSession(c, u, kind)
}

func (s *Server) startSession(c *fiber.Ctx, u *account.User, kind string) (*signedIn, error) {
	sess, err := s.accounts.CreateSession(c.UserContext(), u.ID, kind, c.Get(fiber.HeaderUserAgent))
	if err != nil {
		return nil, err
	}
	exp := s.accounts.Expiry(sess)
	tok, err := s.tokens.Issue(u.ID, sess.ID, exp)
	if err != nil {
		return nil, err
	}
	s.log.Info("security", "event", "login_ok", "user_id", u.ID, "session_kind", kind, "request_id", requestID(c))
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
		return nil, errRegClosed
	case config.RegistrationInviteOnly:
		if invite == "" {
			return nil, errRegInviteOnly
		}
		if _, err := s.couples.CheckInvite(c.UserContext(), invite); err != nil {
			return nil, errRegInviteOnly
		}
	}
	if !s.limiter.AllowClient("register|" + c.IP()) {
		s.log.Warn("security", "event", "rate_limited", "scope", "register", "request_id", requestID(c))
		return nil, errTooManyClient
	}
	u, err := s.accounts.Register(c.UserContext(), email, password, name)
	if err != nil {
		return nil, err
	}
	s.log.Info("security", "event", "registered", "user_id", u.ID, "request_id", requestID(c))
	return u, nil
}

// signOut revokes the current session and clears the browser's copy (SECURITY B5, E4).
func (s *Server) signOut(c *fiber.Ctx) error {
	sess := auth.CurrentSession(c)
	if sess != nil {
		if err := s.accounts.Revoke(c.UserContext(), sess.UserID, sess.ID); err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		s.log.Info("security", "event", "logout", "user_id", sess.UserID, "request_id", requestID(c))
	}
	s.auth.ClearCookie(c)
	c.Set("Clear-Site-Data", `"cache", "cookies", "storage"`)
	return nil
}
