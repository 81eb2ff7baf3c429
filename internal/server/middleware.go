package server

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/auth"
	"github.com/mendhq/mend/internal/couple"
)

const (
	localRequestID  = "mend.rid"
	localCSRFSeed   = "mend.csrfseed"
	localMembership = "mend.membership"
	csrfCookie      = "mend_csrf"
	csrfField       = "_csrf"
	csrfHeader      = "X-CSRF-Token"
)

// CSP is the base Content-Security-Policy (SECURITY E2); every response carries CSPFor(MEND_QUICK_EXIT_URL).
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// CSPFor returns the Content-Security-Policy of every response: CSP, with form-action also allowing the
// origin of the neutral site. The quick-exit form's answer redirects there, and browsers hold a form's
// redirects to form-action too; nothing else may post anywhere but Mend.
func CSPFor(quickExitURL string) string {
	u, err := url.Parse(quickExitURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		strings.IndexFunc(u.Host, func(r rune) bool { return !strings.ContainsRune(hostChars, r) }) >= 0 {
		return CSP
	}
	return strings.Replace(CSP, "form-action 'self'", "form-action 'self' "+u.Scheme+"://"+u.Host, 1)
}

// hostChars are the characters CSPFor lets into a source expression.
const hostChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]"

func randomString(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("server: crypto/rand: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// withRequestID gives every request a server-made id (SECURITY G4).
func withRequestID(c *fiber.Ctx) error {
	rid := randomString(9)
	c.Locals(localRequestID, rid)
	c.Set("X-Request-ID", rid)
	return c.Next()
}

func requestID(c *fiber.Ctx) string {
	rid, _ := c.Locals(localRequestID).(string)
	return rid
}

func routeOf(c *fiber.Ctx) string {
	if r := c.Route(); r != nil && r.Path != "" && r.Path != "/" {
		return r.Path
	}
	if c.Route() != nil && c.Route().Path == "/" && c.Path() == "/" {
		return "/"
	}
	return "(unmatched)"
}

// logRequests writes one structured line per request: no bodies, queries, cookies or raw paths
// (paths can carry invite and reset secrets), only the route pattern (SECURITY G2).
func (s *Server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		if herr := s.handleError(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	attrs := []any{"request_id", requestID(c), "method", c.Method(), "route", routeOf(c),
		"status", c.Response().StatusCode(), "ms", time.Since(start).Milliseconds()}
	if u := auth.CurrentUser(c); u != nil {
		attrs = append(attrs, "user_id", u.ID)
	}
	s.log.Info("request", attrs...)
	return nil
}

// securityHeaders sets the headers of SECURITY E2–E4 on every response.
func (s *Server) securityHeaders(c *fiber.Ctx) error {
	h := &c.Response().Header
	h.Set("Content-Security-Policy", s.views.csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if s.cfg.Secure() {
		h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
	if !strings.HasPrefix(c.Path(), "/static/") {
		h.Set("Cache-Control", "no-store")
	}
	return c.Next()
}

func isSafeMethod(m string) bool {
	return m == fiber.MethodGet || m == fiber.MethodHead || m == fiber.MethodOptions
}

// csrf rejects cross-site unsafe requests and checks the session-bound token on every
// cookie-borne unsafe request (SECURITY D2, D3). Bearer-token requests carry no ambient credential.
func (s *Server) csrf(c *fiber.Ctx) error {
	if strings.HasPrefix(c.Path(), "/static/") {
		return c.Next()
	}
	seed := c.Cookies(csrfCookie)
	if len(seed) < 16 || len(seed) > 64 {
		seed = ""
	}
	if isSafeMethod(c.Method()) {
		if seed == "" {
			seed = randomString(18)
			c.Cookie(&fiber.Cookie{Name: csrfCookie, Value: seed, Path: "/", HTTPOnly: true, Secure: s.cfg.Secure(), SameSite: fiber.CookieSameSiteLaxMode})
		}
		c.Locals(localCSRFSeed, seed)
		return c.Next()
	}
	if auth.HasBearerHeader(c) {
		return c.Next()
	}
	if !s.sameOrigin(c) {
		s.log.Warn("security", "event", "csrf_failed", "reason", "cross_site", "request_id", requestID(c))
		return apperr.New(apperr.Forbidden, "This form came from another site, so it was refused.")
	}
	if isAPI(c) && c.Cookies(s.auth.CookieName()) == "" {
		// An API call without the session cookie carries no ambient credential to abuse.
		return c.Next()
	}
	got := c.Get(csrfHeader)
	if got == "" {
		got = c.FormValue(csrfField)
	}
	if seed == "" || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(s.csrfFor(c, seed))) != 1 {
		if c.Path() == quickExitPath && auth.CurrentUser(c) == nil {
			// The page's session ended while it was open, so there is nothing to sign out: quick exit
			// still leaves at once, and the browser forgets what it kept.
			s.clearBrowser(c)
			return c.Redirect(s.cfg.QuickExitURL, fiber.StatusSeeOther)
		}
		if !isAPI(c) && auth.CurrentUser(c) == nil && c.Cookies(s.auth.CookieName()) != "" {
			// The session ended while a form was open (its token was bound to that session): sign in
			// again and return to the page, where app.js puts back the text kept in this browser.
			s.log.Info("security", "event", "csrf_failed", "reason", "session_ended", "request_id", requestID(c))
			next := ""
			if u, err := url.Parse(c.Get(fiber.HeaderReferer)); err == nil && u.Path != "" {
				next = u.RequestURI()
			}
			return c.Redirect("/login?next="+url.QueryEscape(localPath(next)), fiber.StatusSeeOther)
		}
		s.log.Warn("security", "event", "csrf_failed", "reason", "token", "request_id", requestID(c))
		return apperr.New(apperr.Forbidden, "This form has expired. Go back, reload the page and try again.")
	}
	c.Locals(localCSRFSeed, seed)
	return c.Next()
}

func (s *Server) sameOrigin(c *fiber.Ctx) bool {
	switch c.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return false
	}
	if o := c.Get(fiber.HeaderOrigin); o != "" && o != "null" {
		u, err := url.Parse(o)
		b, _ := url.Parse(s.cfg.BaseURL)
		if err != nil || b == nil || u.Scheme != b.Scheme || u.Host != b.Host {
			return false
		}
	} else if o == "null" {
		return false
	}
	return true
}

// csrfFor returns the token bound to the seed cookie and the current session.
func (s *Server) csrfFor(c *fiber.Ctx, seed string) string {
	sid := ""
	if sess := auth.CurrentSession(c); sess != nil {
		sid = sess.ID
	}
	m := hmac.New(sha256.New, s.keys.CSRF)
	fmt.Fprintf(m, "%s|%s", seed, sid)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// csrfToken returns the token pages embed in forms.
func (s *Server) csrfToken(c *fiber.Ctx) string {
	seed, _ := c.Locals(localCSRFSeed).(string)
	if seed == "" {
		return ""
	}
	return s.csrfFor(c, seed)
}

// requireUser answers 401 (API) or redirects to sign-in (pages) without a live session (SECURITY C1).
func (s *Server) requireUser(c *fiber.Ctx) error {
	if auth.CurrentUser(c) != nil {
		return c.Next()
	}
	if reason := auth.Rejected(c); reason != "" {
		s.securityEvent(c, slog.LevelWarn, "access_denied", "", "reason", reason)
	}
	if isAPI(c) {
		return apperr.New(apperr.Unauthorized, "Please sign in.")
	}
	return c.Redirect("/login?next="+url.QueryEscape(localPath(c.OriginalURL())), fiber.StatusSeeOther)
}

// localPath keeps only a same-site path for redirects after sign-in.
func localPath(p string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n") {
		return "/dashboard"
	}
	return p
}

// checkSession is the session lookup of every signed-in request (auth.Check): the session, its user
// and the user's current couple, read in one statement (couple.Service.SignedIn). The couple of a live
// session is kept for membership(c); a session that is not live brings none.
func (s *Server) checkSession(c *fiber.Ctx, sid, userID string) (*account.Session, *account.User, error) {
	sess, u, m, err := s.couples.SignedIn(c.UserContext(), s.accounts, sid, userID)
	if err != nil {
		return nil, nil, err
	}
	c.Locals(localMembership, m)
	return sess, u, nil
}

// membership returns the current couple of the request's user, or nil.
func membership(c *fiber.Ctx) *couple.Membership {
	m, _ := c.Locals(localMembership).(*couple.Membership)
	return m
}

// requireCouple is for couple-scoped routes: the couple always comes from the session, never the request
// (SECURITY C2). Without a couple, the API answers 404 and pages lead to starting one.
//
// It is part of the couple scope, the one mechanism every couple-scoped feature uses (SECURITY C2, C6):
//
//   - checkSession (the session lookup of the global auth middleware) reads the signed-in user's current
//     couple from the database on every request, with the session; nothing about the couple is cached in
//     the session or token, so leaving or deleting an account cuts the former partner's access on their
//     very next request.
//   - requireCouple guards every couple-scoped route: without a current couple the API answers 404 and
//     pages lead to /couple.
//   - A handler takes the couple only from membership(c): it scopes every service call, and m.Me is the
//     acting member. An id from the URL or body is only ever looked up *within* that couple, so another
//     couple's resource is apperr.NotFound, indistinguishable from a missing one.
//
// Register a feature's couple routes like this, inside its routes method:
//
//	api.Get("/things/:id", h.requireCouple, h.apiThing)
//	// handler: h.svc.Get(c.UserContext(), membership(c), c.Params("id"))
//
// and add a row for each route to the cross-couple table (internal/server/crosscouple_test.go).
func (s *Server) requireCouple(c *fiber.Ctx) error {
	if membership(c) != nil {
		return c.Next()
	}
	if isAPI(c) {
		return apperr.New(apperr.NotFound, "You are not part of a couple yet. Start one or join with an invite link.")
	}
	return c.Redirect("/couple", fiber.StatusSeeOther)
}

// requireRecentAuth guards sensitive actions (SECURITY B10).
func (s *Server) requireRecentAuth(c *fiber.Ctx) error {
	if s.accounts.RecentlyAuthenticated(auth.CurrentSession(c)) {
		return c.Next()
	}
	s.securityEvent(c, slog.LevelInfo, "access_denied", "", "reason", "reauth_required")
	if isAPI(c) {
		return apperr.New(apperr.ReauthRequired, "Please confirm your password first (POST /api/v1/auth/reauth).")
	}
	next := c.OriginalURL()
	if !isSafeMethod(c.Method()) {
		next = c.Get("X-Mend-Return", "")
		if next == "" {
			next = refererPath(c)
		}
	}
	return c.Redirect("/reauth?next="+url.QueryEscape(localPath(next)), fiber.StatusSeeOther)
}

func refererPath(c *fiber.Ctx) string {
	u, err := url.Parse(c.Get(fiber.HeaderReferer))
	if err != nil || u.Path == "" {
		return "/account"
	}
	return u.RequestURI()
}
