package server

import (
	"github.com/gofiber/fiber/v2"
)

// routesAccount registers sign-out, re-authentication and the user's own account and sessions.
// Export and deletion (/account/export, /account/delete, /api/v1/me/export, DELETE /api/v1/me) are
// registered with the couple routes.
func (s *Server) routesAccount(pages, api fiber.Router) {
	pages.Post("/logout", s.logoutSubmit)
	pages.Get("/reauth", s.reauthPage)
	pages.Post("/reauth", s.reauthSubmit)
	pages.Get("/account", s.accountPage)
	pages.Post("/account/name", s.accountNameSubmit)
	pages.Post("/account/password", s.requireRecentAuth, s.accountPasswordSubmit)
	pages.Post("/account/sessions/others", s.accountRevokeOthersSubmit)
	pages.Post("/account/sessions/:id", s.accountRevokeSubmit)

	api.Post("/auth/logout", s.apiLogout)
	api.Post("/auth/reauth", s.apiReauth)
	api.Get("/me", s.apiMe)
	api.Patch("/me", s.apiUpdateMe)
	api.Post("/me/password", s.requireRecentAuth, s.apiChangePassword)
	api.Get("/me/sessions", s.apiSessions)
	api.Post("/me/sessions/revoke-others", s.apiRevokeOthers)
	api.Delete("/me/sessions/:id", s.apiRevokeSession)
}
