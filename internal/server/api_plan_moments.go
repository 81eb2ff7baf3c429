package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/plan"
)

// momentHandlers serves the moments of connection (DESIGN §2.7) over the plan service.
type momentHandlers struct {
	*Server
	svc *plan.Service
}

// routes registers the moments pages and API.
func (h *momentHandlers) routes(pages, api fiber.Router) {
	rc := h.requireCouple
	api.Get("/moments", rc, h.apiGetMoments)
	api.Post("/moments", rc, h.apiAddMoment)
	api.Delete("/moments/:id", rc, h.apiDeleteMoment)
	pages.Get("/moments", rc, h.momentsPage)
	pages.Post("/moments", rc, h.momentAddSubmit)
	pages.Post("/moments/:id/share", rc, h.momentShareSubmit)
	pages.Post("/moments/:id/delete", rc, h.momentDeleteSubmit)
}

type momentReq struct {
	Kind   string `json:"kind"`
	Note   string `json:"note"`
	On     string `json:"on"`
	Shared bool   `json:"shared"`
}

func (h *momentHandlers) apiGetMoments(c *fiber.Ctx) error {
	m := membership(c)
	list, err := h.svc.Moments(c.UserContext(), planScope(m))
	if err != nil {
		return err
	}
	out := make([]momentJSON, 0, len(list))
	for _, x := range list {
		out = append(out, momentJSONOf(x, m.Me.UserID))
	}
	return c.JSON(fiber.Map{"moments": out})
}

func (h *momentHandlers) apiAddMoment(c *fiber.Ctx) error {
	var req momentReq
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	m := membership(c)
	x, err := h.svc.AddMoment(c.UserContext(), planScope(m), plan.MomentInput{Kind: req.Kind, Note: req.Note, On: req.On, Shared: req.Shared})
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusCreated, fiber.Map{"moment": momentJSONOf(*x, m.Me.UserID)})
}

func (h *momentHandlers) apiDeleteMoment(c *fiber.Ctx) error {
	if err := h.svc.DeleteMoment(c.UserContext(), planScope(membership(c)), c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
