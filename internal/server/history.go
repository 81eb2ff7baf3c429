package server

import (
	"github.com/gofiber/fiber/v2"
)

// remember adds an event to userID's sign-in history, from the device this request's user agent names
// (SECURITY K4). The history never stops what it records: a failed write is logged and passed over.
func (s *Server) remember(c *fiber.Ctx, userID, kind string) {
	if userID == "" {
		return
	}
	if err := s.accounts.Record(c.UserContext(), userID, kind, c.Get(fiber.HeaderUserAgent)); err != nil {
		s.log.Error("sign-in history", "request_id", requestID(c), "kind", kind, "err", err)
	}
}
