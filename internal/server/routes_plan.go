package server

import (
	"github.com/gofiber/fiber/v2"
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
