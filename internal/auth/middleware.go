package auth

import (
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/apperr"
)

const (
	localUser    = "mend.user"
	localSession = "mend.session"
	localBearer  = "mend.bearer"
	localReject  = "mend.rejected"
	localRejUser = "mend.rejected_user"
)

// Auth reads the session from the cookie or bearer token of each request.
type Auth struct {
	tokens *Tokens
	check  Check
	secure bool
	log    *slog.Logger
}

// Check returns the live session sid of userID and its user for the request c, as
// account.Service.CheckSession does (an apperr.Unauthorized error for a session that is not live). It
// may read what the request needs with them in the same statement and keep it on c: Mend's server
// reads the user's current couple.
type Check func(c *fiber.Ctx, sid, userID string) (*account.Session, *account.User, error)

// New returns an Auth that asks check for the session of a signed token. secure selects the __Host-
// cookie with the Secure flag (HTTPS).
func New(tokens *Tokens, check Check, secure bool, log *slog.Logger) *Auth {
	return &Auth{tokens: tokens, check: check, secure: secure, log: log}
}

// CookieName is the name of the session cookie.
func (a *Auth) CookieName() string {
	if a.secure {
		return "__Host-mend_session"
	}
	return "mend_session"
}

// Load is global middleware: it attaches the user and session of a valid token, and nothing otherwise.
func (a *Auth) Load() fiber.Handler {
	return func(c *fiber.Ctx) error {
		raw, bearer := a.extract(c)
		if raw == "" {
			if bearer {
				c.Locals(localReject, "invalid_token")
			}
			return c.Next()
		}
		userID, sid, err := a.tokens.Parse(raw)
		if err != nil {
			c.Locals(localReject, "invalid_token")
			return c.Next()
		}
		sess, u, err := a.check(c, sid, userID)
		if err != nil {
			if !apperr.Is(err, apperr.Unauthorized) {
				return err
			}
			c.Locals(localReject, "session_ended")
			c.Locals(localRejUser, userID)
			return c.Next()
		}
		c.Locals(localUser, u)
		c.Locals(localSession, sess)
		c.Locals(localBearer, bearer)
		return c.Next()
	}
}

func (a *Auth) extract(c *fiber.Ctx) (raw string, bearer bool) {
	if h := c.Get(fiber.HeaderAuthorization); h != "" {
		if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
			return strings.TrimSpace(h[7:]), true
		}
		return "", true
	}
	return c.Cookies(a.CookieName()), false
}

// SetCookie stores the browser session token (SECURITY B8).
func (a *Auth) SetCookie(c *fiber.Ctx, tok string, exp time.Time) {
	c.Cookie(&fiber.Cookie{Name: a.CookieName(), Value: tok, Path: "/", Expires: exp, HTTPOnly: true, Secure: a.secure, SameSite: fiber.CookieSameSiteLaxMode})
}

// ClearCookie removes the browser session cookie.
func (a *Auth) ClearCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: a.CookieName(), Value: "", Path: "/", Expires: time.Unix(0, 0), MaxAge: -1, HTTPOnly: true, Secure: a.secure, SameSite: fiber.CookieSameSiteLaxMode})
}

// CurrentUser returns the signed-in user, or nil.
func CurrentUser(c *fiber.Ctx) *account.User {
	u, _ := c.Locals(localUser).(*account.User)
	return u
}

// CurrentSession returns the current session, or nil.
func CurrentSession(c *fiber.Ctx) *account.Session {
	s, _ := c.Locals(localSession).(*account.Session)
	return s
}

// ViaBearer reports whether the request authenticated with a bearer token rather than the cookie.
func ViaBearer(c *fiber.Ctx) bool {
	b, _ := c.Locals(localBearer).(bool)
	return b
}

// Rejected returns why credentials sent with the request were refused ("invalid_token" or
// "session_ended"), or "" when none were sent or they were accepted.
func Rejected(c *fiber.Ctx) string {
	r, _ := c.Locals(localReject).(string)
	return r
}

// RejectedUserID returns the user of a correctly signed token whose session has ended, or "".
func RejectedUserID(c *fiber.Ctx) string {
	id, _ := c.Locals(localRejUser).(string)
	return id
}

// HasBearerHeader reports whether the request carries an Authorization header at all.
func HasBearerHeader(c *fiber.Ctx) bool { return c.Get(fiber.HeaderAuthorization) != "" }
