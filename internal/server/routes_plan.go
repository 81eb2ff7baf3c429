package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/plan"
)

// routesPlan registers the acknowledgment, action plan, moments and progress pages and API
// (DESIGN §2.5–§2.7, §3.2), and the plan's export, dashboard and archive hooks.
func (s *Server) routesPlan(pages, api fiber.Router) {
	s.plan = plan.NewService(s.db, s.now, s.planSources())

	api.Get("/acknowledgment", s.requireCouple, s.apiGetAck)
	api.Put("/acknowledgment", s.requireCouple, s.apiPutAck)
	api.Post("/acknowledgment/response", s.requireCouple, s.apiAckResponse)
	api.Get("/plan", s.requireCouple, s.apiGetPlan)
	api.Post("/plan/items", s.requireCouple, s.apiAddPlanItem)
	api.Patch("/plan/items/:id", s.requireCouple, s.apiPatchPlanItem)
	api.Post("/plan/therapy", s.requireCouple, s.apiPlanTherapy)
	api.Get("/moments", s.requireCouple, s.apiGetMoments)
	api.Post("/moments", s.requireCouple, s.apiAddMoment)
	api.Delete("/moments/:id", s.requireCouple, s.apiDeleteMoment)
	api.Get("/progress", s.requireCouple, s.apiGetProgress)

	pages.Get("/acknowledgment", s.requireCouple, s.ackPage)
	pages.Post("/acknowledgment", s.requireCouple, s.ackSubmit)
	pages.Get("/acknowledgment/preview", s.requireCouple, s.ackPreviewPage)
	pages.Post("/acknowledgment/share", s.requireCouple, s.ackShareSubmit)
	pages.Post("/acknowledgment/response", s.requireCouple, s.ackResponseSubmit)
	pages.Get("/plan", s.requireCouple, s.planPage)
	pages.Post("/plan/items", s.requireCouple, s.planAddSubmit)
	pages.Post("/plan/items/:id", s.requireCouple, s.planMarkSubmit)
	pages.Post("/plan/therapy", s.requireCouple, s.planTherapySubmit)
	pages.Get("/moments", s.requireCouple, s.momentsPage)
	pages.Post("/moments", s.requireCouple, s.momentAddSubmit)
	pages.Post("/moments/:id/share", s.requireCouple, s.momentShareSubmit)
	pages.Post("/moments/:id/delete", s.requireCouple, s.momentDeleteSubmit)
	pages.Get("/progress", s.requireCouple, s.progressPage)

	s.features.exports = append(s.features.exports, s.exportAck, s.exportPlan, s.exportMoments)
	s.features.dashboard = append(s.features.dashboard, s.planDashboardCard)
	s.features.archive = append(s.features.archive, s.planArchiveSection)
}

// planScope is the plan's view of the request's couple; it comes from the session only.
func planScope(m *couple.Membership) plan.Scope {
	sc := plan.Scope{CoupleID: m.Couple.ID, UserID: m.Me.UserID, Role: m.Me.Role, Weekday: m.Couple.CheckinWeekday,
		CreatedAt: m.Couple.CreatedAt, Loc: m.Location}
	if m.Partner != nil {
		sc.PartnerID = m.Partner.UserID
	}
	return sc
}

// partnerName is the partner's display name, or a neutral word while there is none.
func partnerName(m *couple.Membership) string {
	if m == nil || m.Partner == nil {
		return "your partner"
	}
	return m.Partner.DisplayName
}
