package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/couple"
)

// routesJoinPublic registers the invite landing page, reachable before signing in.
func (s *Server) routesJoinPublic(app fiber.Router) {}

// routesCouple registers the couple, invite, leave and dashboard routes.
func (s *Server) routesCouple(pages, api fiber.Router) {
	pages.Get("/dashboard", s.dashboardPage)
}

func coupleJSONOf(m *couple.Membership) any {
	if m == nil {
		return nil
	}
	return fiber.Map{"id": m.Couple.ID, "status": m.Status(), "timezone": m.Couple.Timezone, "checkin_weekday": couple.Weekdays[m.Couple.CheckinWeekday]}
}

func (s *Server) dashboardPage(c *fiber.Ctx) error {
	return s.render(c, "dashboard", s.newView(c, "Home"))
}
