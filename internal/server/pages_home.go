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
	if err := database.Ping(ctx, s.db); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ready"})
}

func (s *Server) landing(c *fiber.Ctx) error {
	if auth.CurrentUser(c) != nil {
		return c.Redirect("/dashboard", fiber.StatusSeeOther)
	}
	return s.render(c, "landing", s.newView(c, "Mend"))
}
