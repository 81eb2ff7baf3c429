package server

import (
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/auth"
)

// The two things every feature and the middleware do the same way when security is at stake: write the
// security record, and make the browser forget what Mend kept.

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

// clearBrowser removes the session cookie and asks the browser to forget what it kept (SECURITY E4).
func (s *Server) clearBrowser(c *fiber.Ctx) {
	s.auth.ClearCookie(c)
	c.Set("Clear-Site-Data", `"cache", "cookies", "storage"`)
}
