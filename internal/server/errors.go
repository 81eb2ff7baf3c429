package server

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
)

var statusOf = map[apperr.Kind]int{
	apperr.Invalid:        fiber.StatusUnprocessableEntity,
	apperr.NotFound:       fiber.StatusNotFound,
	apperr.Conflict:       fiber.StatusConflict,
	apperr.Unauthorized:   fiber.StatusUnauthorized,
	apperr.Forbidden:      fiber.StatusForbidden,
	apperr.RateLimited:    fiber.StatusTooManyRequests,
	apperr.ReauthRequired: fiber.StatusForbidden,
	apperr.TooLarge:       fiber.StatusRequestEntityTooLarge,
	apperr.Unavailable:    fiber.StatusServiceUnavailable,
	apperr.Internal:       fiber.StatusInternalServerError,
}

var kindOfStatus = map[int]apperr.Kind{
	fiber.StatusBadRequest:            apperr.Invalid,
	fiber.StatusUnauthorized:          apperr.Unauthorized,
	fiber.StatusForbidden:             apperr.Forbidden,
	fiber.StatusNotFound:              apperr.NotFound,
	fiber.StatusMethodNotAllowed:      apperr.NotFound,
	fiber.StatusConflict:              apperr.Conflict,
	fiber.StatusRequestEntityTooLarge: apperr.TooLarge,
	fiber.StatusUnprocessableEntity:   apperr.Invalid,
	fiber.StatusTooManyRequests:       apperr.RateLimited,
	// Raised by the HTTP server itself before any route runs: the client's problem, never a 5xx.
	fiber.StatusRequestTimeout:              apperr.Invalid,
	fiber.StatusRequestHeaderFieldsTooLarge: apperr.TooLarge,
}

var friendly = map[apperr.Kind]string{
	apperr.Invalid:        "The request could not be understood.",
	apperr.NotFound:       "We couldn't find that page.",
	apperr.Conflict:       "That conflicts with a change made in the meantime.",
	apperr.Unauthorized:   "Please sign in.",
	apperr.Forbidden:      "That isn't allowed.",
	apperr.RateLimited:    "Too many attempts. Please wait a little and try again.",
	apperr.ReauthRequired: "Please enter your password again to continue.",
	apperr.TooLarge:       "That is too much text to send at once.",
	apperr.Unavailable:    "Mend is very busy just now. Please try again in a moment.",
	apperr.Internal:       "Something went wrong on our side. Your data is safe; please try again.",
}

// classify turns any error into a status and a safe *apperr.Error; nothing of err's text reaches a client
// unless err is an *apperr.Error (SECURITY G1).
func classify(err error) (int, *apperr.Error) {
	if e := apperr.As(err); e != nil {
		st, ok := statusOf[e.Kind]
		if !ok {
			st = fiber.StatusInternalServerError
		}
		return st, e
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		kind, ok := kindOfStatus[fe.Code]
		if !ok {
			kind = apperr.Internal
		}
		st := fe.Code
		if kind == apperr.Internal {
			st = fiber.StatusInternalServerError
		}
		if fe.Code == fiber.StatusMethodNotAllowed {
			st = fiber.StatusNotFound
		}
		return st, apperr.New(kind, friendly[kind])
	}
	return fiber.StatusInternalServerError, apperr.New(apperr.Internal, friendly[apperr.Internal])
}

// retryAfterFallback gives a 429 that no throttle answered (the password hasher's queue was full) a
// Retry-After of one second, so every 429 says when to try again.
func retryAfterFallback(c *fiber.Ctx, status int) {
	if status == fiber.StatusTooManyRequests && len(c.Response().Header.Peek(fiber.HeaderRetryAfter)) == 0 {
		c.Set(fiber.HeaderRetryAfter, "1")
	}
}

// isAPI reports whether c is under /api/, in any case: routes are case-sensitive, so /API/v1/me is no
// route, but it is answered as an API call (a JSON 404), never with a page.
func isAPI(c *fiber.Ctx) bool {
	p := c.Path()
	return len(p) >= len("/api/") && strings.EqualFold(p[:len("/api/")], "/api/")
}

type errorBody struct {
	Error     errorDetail `json:"error"`
	RequestID string      `json:"request_id"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// handleError is the one Fiber error handler (SECURITY F3, G1, E5).
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	status, e := classify(err)
	rid := requestID(c)
	if rid == "" { // refused by the HTTP layer before withRequestID ran
		rid = randomString(9)
		c.Set("X-Request-ID", rid)
	}
	if status >= 500 {
		s.log.Error("request failed", "request_id", rid, "route", routeOf(c), "err", err)
	}
	if status == fiber.StatusRequestEntityTooLarge {
		c.Set(fiber.HeaderConnection, "close")
	}
	retryAfterFallback(c, status)
	if isAPI(c) {
		c.Status(status)
		return c.JSON(errorBody{Error: errorDetail{Code: string(e.Kind), Message: e.Message, Fields: e.Fields}, RequestID: rid})
	}
	if rerr := s.renderError(c, status, e); rerr != nil {
		s.log.Error("render error page", "request_id", rid, "err", rerr)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(status).SendString(e.Message + " (request " + rid + ")")
	}
	return nil
}
