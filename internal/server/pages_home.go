package server

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/auth"
	"github.com/mendhq/mend/internal/database"
)

func (s *Server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

func (s *Server) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := database.Ready(ctx, s.db); err != nil {
		s.log.Warn("not ready", "error", err.Error())
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ready"})
}

func (s *Server) landing(c *fiber.Ctx) error {
	if auth.CurrentUser(c) != nil {
		return c.Redirect("/dashboard", fiber.StatusSeeOther)
	}
	v := s.newView(c, "Mend")
	s.publicPage(v, landingDescription)
	return s.render(c, "landing", v)
}

// The meta descriptions of public pages. A link preview shows them, so they stay neutral unless the
// operator has made the landing and guide pages indexable (MEND_INDEX_GUIDE=true).
const (
	neutralDescription = "Private notes, shared plans and reading, for two."
	landingDescription = "A calm, private place for two partners rebuilding trust: agreements, a weekly check-in, an action plan and guidance."
)

// publicPage marks v as a public page: indexable when the operator allows it, with description as its
// meta description then, and a neutral one otherwise.
func (s *Server) publicPage(v *view, description string) {
	v.Index = s.cfg.IndexGuide
	v.Description = neutralDescription
	if s.cfg.IndexGuide && description != "" {
		v.Description = description
	}
}
