package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/plan"
)

// routesAck registers the acknowledgment's pages and API (DESIGN §2.5).
func (s *Server) routesAck(pages, api fiber.Router) {
	rc := s.requireCouple
	api.Get("/acknowledgment", rc, s.apiGetAck)
	api.Put("/acknowledgment", rc, s.apiPutAck)
	api.Post("/acknowledgment/response", rc, s.apiAckResponse)
	pages.Get("/acknowledgment", rc, s.ackPage)
	pages.Post("/acknowledgment", rc, s.ackSubmit)
	pages.Get("/acknowledgment/preview", rc, s.ackPreviewPage)
	pages.Post("/acknowledgment/share", rc, s.ackShareSubmit)
	pages.Post("/acknowledgment/response", rc, s.ackResponseSubmit)
}

// routesPlanItems registers the action plan's pages and API, the therapy decision included (DESIGN §2.6).
func (s *Server) routesPlanItems(pages, api fiber.Router) {
	rc := s.requireCouple
	api.Get("/plan", rc, s.apiGetPlan)
	api.Post("/plan/items", rc, s.apiAddPlanItem)
	api.Patch("/plan/items/:id", rc, s.apiPatchPlanItem)
	api.Post("/plan/therapy", rc, s.apiPlanTherapy)
	pages.Get("/plan", rc, s.planPage)
	pages.Post("/plan/items", rc, s.planAddSubmit)
	pages.Post("/plan/items/:id", rc, s.planMarkSubmit)
	pages.Post("/plan/therapy", rc, s.planTherapySubmit)
}

// routesProgress registers the progress page and its API (DESIGN §2.7).
func (s *Server) routesProgress(pages, api fiber.Router) {
	api.Get("/progress", s.requireCouple, s.apiGetProgress)
	pages.Get("/progress", s.requireCouple, s.progressPage)
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
