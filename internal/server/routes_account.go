package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/auth"
)

// routesAccount registers sign-out, re-authentication and the user's own account.
func (s *Server) routesAccount(pages, api fiber.Router) {
	pages.Post("/logout", s.logoutSubmit)
	api.Post("/auth/logout", s.apiLogout)
	api.Post("/auth/reauth", s.apiReauth)
	api.Get("/me", s.apiMe)
}

func (s *Server) apiMe(c *fiber.Ctx) error {
	u := auth.CurrentUser(c)
	return c.JSON(fiber.Map{"user": toUserJSON(u), "couple": coupleJSONOf(membership(c))})
}
