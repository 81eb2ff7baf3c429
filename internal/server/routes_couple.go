package server

import (
	"github.com/gofiber/fiber/v2"
)

// routesJoinPublic registers the invite landing page, reachable before signing in.
func (s *Server) routesJoinPublic(app, _ fiber.Router) {
	app.Get("/join/:token", s.joinPage)
}

// routesCouple registers the couple, invite, leave, archive and dashboard routes.
func (s *Server) routesCouple(pages, api fiber.Router) {
	api.Post("/couple", s.apiStartCouple)
	api.Get("/couple", s.apiGetCouple)
	api.Patch("/couple", s.requireCouple, s.apiPatchCouple)
	api.Post("/couple/invite", s.requireCouple, s.apiInvite)
	api.Post("/couple/join", s.apiJoin)
	api.Post("/couple/leave", s.requireCouple, s.requireRecentAuth, s.apiLeave)
	api.Get("/me/archive", s.apiArchive)
	api.Get("/me/export", s.requireRecentAuth, s.apiExport)
	api.Delete("/me", s.requireRecentAuth, s.apiDeleteMe)

	pages.Get("/dashboard", s.dashboardPage)
	pages.Get("/couple", s.couplePage)
	pages.Post("/couple", s.coupleStartSubmit)
	pages.Post("/couple/settings", s.requireCouple, s.coupleSettingsSubmit)
	pages.Post("/couple/role", s.requireCouple, s.coupleRoleSubmit)
	pages.Post("/couple/invite", s.requireCouple, s.coupleInviteSubmit)
	pages.Post("/couple/join", s.coupleJoinSubmit)
	pages.Post("/couple/leave", s.requireCouple, s.requireRecentAuth, s.coupleLeaveSubmit)
	pages.Get("/archive", s.archivePage)
	pages.Get("/account/export", s.requireRecentAuth, s.exportDownload)
	pages.Get("/account/delete", s.deletePage)
	pages.Post("/account/delete", s.requireRecentAuth, s.deleteSubmit)
}
