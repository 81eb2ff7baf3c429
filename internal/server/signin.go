package server

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/auth"
	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/couple"
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

// accountID returns the id of the account with email, or "" (for security records only).
func (h *accountHandlers) accountID(ctx context.Context, email string) string {
	u, err := h.svc.UserByEmail(ctx, email)
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
func (h *accountHandlers) signIn(c *fiber.Ctx, email, password, kind string) (*signedIn, error) {
	ctx := c.UserContext()
	if client := "login|" + c.IP(); !h.limiter.AllowClient(client) {
		h.securityEvent(c, slog.LevelWarn, "rate_limited", "", "scope", "client", "action", "login")
		return nil, tooMany(c, errTooManyClient, h.limiter.ClientWait(client))
	}
	key := account.NormalizeEmail(email)
	if h.limiter.AccountLocked(key) {
		h.securityEvent(c, slog.LevelWarn, "lockout", h.accountID(ctx, key), "scope", "account")
		return nil, tooMany(c, errTooManyAccount, h.limiter.AccountWait(key))
	}
	u, err := h.svc.Authenticate(ctx, email, password)
	if err != nil {
		if errors.Is(err, account.ErrBadCredentials) {
			h.limiter.Fail(key)
			h.securityEvent(c, slog.LevelWarn, "login_failed", h.accountID(ctx, key), "session_kind", kind)
			h.remember(c, h.accountID(ctx, key), account.EventSignInFailed)
		}
		return nil, err
	}
	if err := h.secondFactorGate(c, u, kind); err != nil {
		return nil, err // the throttle keeps its count until the second factor is through
	}
	h.limiter.Succeed(key)
	return h.startSession(c, u, kind)
}

// startSession always makes a new session; a browser's earlier session is ended, so a cookie planted
// before sign-in is never carried over (SECURITY B7).
func (h *accountHandlers) startSession(c *fiber.Ctx, u *account.User, kind string) (*signedIn, error) {
	ctx := c.UserContext()
	if old := auth.CurrentSession(c); old != nil && kind == account.KindBrowser && !auth.ViaBearer(c) {
		if err := h.svc.Revoke(ctx, old.UserID, old.ID); err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
	}
	sess, err := h.svc.CreateSession(ctx, u.ID, kind, c.Get(fiber.HeaderUserAgent))
	if err != nil {
		return nil, err
	}
	exp := h.svc.Expiry(sess)
	tok, err := h.tokens.Issue(u.ID, sess.ID, exp)
	if err != nil {
		return nil, err
	}
	h.securityEvent(c, slog.LevelInfo, "login_ok", u.ID, "session_kind", kind)
	fresh, err := h.svc.NewDevice(ctx, u.ID, c.Get(fiber.HeaderUserAgent))
	if err != nil {
		h.log.Error("sign-in alert", "request_id", requestID(c), "err", err)
	}
	h.remember(c, u.ID, account.EventSignIn)
	if fresh {
		// A device new to the account: its owner's home says so ("For you"), and an e-mail says it
		// neutrally if they asked for sign-in alerts (sent only to a confirmed address).
		if err := h.pulse.EnqueueSignInAlert(ctx, u.ID); err != nil {
			h.log.Error("sign-in alert", "request_id", requestID(c), "err", err)
		}
	}
	if kind == account.KindBrowser {
		h.auth.SetCookie(c, tok, exp)
	}
	return &signedIn{User: u, Session: sess, Token: tok, Expires: exp}, nil
}

// registered is the outcome of a registration: the new user and, when they came with an invite, the
// couple they joined in the same transaction.
type registered struct {
	User     *account.User
	CoupleID string
}

// register creates an account when the registration mode allows it. invite is the invite secret the
// visitor arrived with, if any (invite-only mode needs a valid one): the account joins that couple in the
// same transaction and uses the invite up, so one invite admits one new account.
func (h *accountHandlers) register(c *fiber.Ctx, email, password, name, invite string) (*registered, error) {
	switch {
	case h.cfg.Registration == config.RegistrationClosed:
		h.securityEvent(c, slog.LevelInfo, "registration_refused", "", "mode", h.cfg.Registration)
		return nil, errRegClosed
	case h.cfg.Registration == config.RegistrationInviteOnly && invite == "":
		h.securityEvent(c, slog.LevelInfo, "registration_refused", "", "mode", h.cfg.Registration)
		return nil, errRegInviteOnly
	case invite != "":
		// A quick answer before the password is hashed; the join below is what decides.
		if _, err := h.couples.CheckInvite(c.UserContext(), invite); err != nil {
			return nil, h.inviteRefused(c, err)
		}
	}
	if client := "register|" + c.IP(); !h.limiter.AllowClient(client) {
		h.securityEvent(c, slog.LevelWarn, "rate_limited", "", "scope", "client", "action", "register")
		return nil, tooMany(c, errTooManyClient, h.limiter.ClientWait(client))
	}
	out := &registered{}
	var hooks []account.RegisterHook
	if invite != "" {
		hooks = append(hooks, func(ctx context.Context, tx *gorm.DB, u *account.User) error {
			id, err := h.couples.JoinIn(ctx, tx, u.ID, invite)
			out.CoupleID = id
			return err
		})
	}
	u, err := h.svc.Register(c.UserContext(), email, password, name, hooks...)
	if errors.Is(err, couple.ErrInviteInvalid) || errors.Is(err, couple.ErrCoupleFull) {
		return nil, h.inviteRefused(c, err)
	}
	if err != nil {
		return nil, err
	}
	out.User = u
	h.securityEvent(c, slog.LevelInfo, "registered", u.ID)
	if out.CoupleID != "" {
		h.securityEvent(c, slog.LevelInfo, "couple_joined", u.ID, "via", "registration")
	}
	return out, nil
}

// inviteRefused records a registration refused for its invite and returns the clear 403. err is the
// invite's own error (unknown, used, expired, replaced or full); internal errors pass through.
func (h *accountHandlers) inviteRefused(c *fiber.Ctx, err error) error {
	if !errors.Is(err, couple.ErrInviteInvalid) && !errors.Is(err, couple.ErrCoupleFull) {
		return err
	}
	h.securityEvent(c, slog.LevelInfo, "registration_refused", "", "mode", h.cfg.Registration, "reason", "invite")
	return errRegInviteStale
}

// signOut revokes the current session and clears the browser's copy (SECURITY B5, E4).
func (h *accountHandlers) signOut(c *fiber.Ctx) error {
	if sess := auth.CurrentSession(c); sess != nil {
		if err := h.svc.Revoke(c.UserContext(), sess.UserID, sess.ID); err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		h.securityEvent(c, slog.LevelInfo, "logout", sess.UserID)
	}
	h.clearBrowser(c)
	return nil
}
