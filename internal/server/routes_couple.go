package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/plan"
	"github.com/mendhq/mend/internal/question"
)

// coupleHandlers serves the couple (starting one, the invite, joining, settings, roles, leaving), the
// archive of ended couples and the dashboard over the couple service. Leaving signs out the leaver's other
// sessions through the account service; the dashboard asks the plan whether the user's safety is low.
type coupleHandlers struct {
	*Server
	svc      *couple.Service
	accounts *account.Service
	plan     *plan.Service
	// questions tells the home page's next step whether a question waits (pages_dashboard_path.go).
	questions *question.Service
}

// public registers the invite landing page, reachable before signing in.
func (h *coupleHandlers) public(pages, _ fiber.Router) {
	pages.Get("/join/:token", h.joinPage)
}

// routes registers the couple, invite, join, leave, archive and dashboard routes.
func (h *coupleHandlers) routes(pages, api fiber.Router) {
	rc, recent := h.requireCouple, h.requireRecentAuth
	api.Post("/couple", h.apiStartCouple)
	api.Get("/couple", h.apiGetCouple)
	api.Patch("/couple", rc, h.apiPatchCouple)
	api.Post("/couple/invite", rc, h.apiInvite)
	api.Post("/couple/join", h.apiJoin)
	api.Post("/couple/leave", rc, recent, h.apiLeave)
	api.Get("/me/archive", h.apiArchive)

	pages.Get("/dashboard", h.dashboardPage)
	pages.Get("/couple", h.couplePage)
	pages.Post("/couple", h.coupleStartSubmit)
	pages.Post("/couple/settings", rc, h.coupleSettingsSubmit)
	pages.Post("/couple/role", rc, h.coupleRoleSubmit)
	pages.Post("/couple/invite", rc, h.coupleInviteSubmit)
	pages.Post("/couple/join", h.coupleJoinSubmit)
	pages.Post("/couple/leave", rc, recent, h.coupleLeaveSubmit)
	pages.Get("/archive", h.archivePage)
}
