package server

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/monthly"
	"github.com/mendhq/mend/internal/plan"
	"github.com/mendhq/mend/internal/trigger"
)

// The plan feature's handlers, each over the plan service: the acknowledgment, the action plan with the
// therapy decision, and progress. Moments have theirs in api_plan_moments.go.

// ackHandlers serves the acknowledgment (DESIGN §2.5).
type ackHandlers struct {
	*Server
	svc *plan.Service
}

// routes registers the acknowledgment's pages and API.
func (h *ackHandlers) routes(pages, api fiber.Router) {
	rc := h.requireCouple
	api.Get("/acknowledgment", rc, h.apiGetAck)
	api.Put("/acknowledgment", rc, h.apiPutAck)
	api.Post("/acknowledgment/response", rc, h.apiAckResponse)
	pages.Get("/acknowledgment", rc, h.ackPage)
	pages.Post("/acknowledgment", rc, h.ackSubmit)
	pages.Get("/acknowledgment/preview", rc, h.ackPreviewPage)
	pages.Post("/acknowledgment/share", rc, h.ackShareSubmit)
	pages.Post("/acknowledgment/response", rc, h.ackResponseSubmit)
}

// planHandlers serves the action plan, the therapy decision included (DESIGN §2.6).
type planHandlers struct {
	*Server
	svc *plan.Service
}

// routes registers the action plan's pages and API.
func (h *planHandlers) routes(pages, api fiber.Router) {
	rc := h.requireCouple
	api.Get("/plan", rc, h.apiGetPlan)
	api.Post("/plan/items", rc, h.apiAddPlanItem)
	api.Patch("/plan/items/:id", rc, h.apiPatchPlanItem)
	api.Post("/plan/therapy", rc, h.apiPlanTherapy)
	pages.Get("/plan", rc, h.planPage)
	pages.Post("/plan/items", rc, h.planAddSubmit)
	pages.Post("/plan/items/:id", rc, h.planMarkSubmit)
	pages.Post("/plan/therapy", rc, h.planTherapySubmit)
}

// dashboardCard is the plan's card on the home page: the next item, the therapy prompt when it
// applies, and one line of guidance for where the couple is.
func (h *planHandlers) dashboardCard(c *fiber.Ctx, m *couple.Membership) (template.HTML, error) {
	d, err := h.svc.Dashboard(c.UserContext(), m)
	if err != nil {
		return "", err
	}
	return h.views.partial("plan-card", d)
}

// archiveSection shows, on /archive, what the user wrote for the plan in an ended couple.
func (h *planHandlers) archiveSection(c *fiber.Ctx, userID string, past couple.Past) (template.HTML, error) {
	a, err := h.svc.ArchiveOf(c.UserContext(), userID, past.Couple.ID)
	if err != nil || a.Empty() {
		return "", err
	}
	type momentRow struct {
		plan.Moment
		KindLabel string
	}
	rows := make([]momentRow, 0, len(a.Moments))
	for _, m := range a.Moments {
		rows = append(rows, momentRow{Moment: m, KindLabel: plan.MomentKindLabel(m.Kind)})
	}
	return h.views.partial("plan-archive", map[string]any{"ID": past.Couple.ID, "Archive": a, "Moments": rows})
}

// progressHandlers serves the progress page and its API (DESIGN §2.7), with what the trigger log and
// the monthly look add to it (progress_repair.go).
type progressHandlers struct {
	*Server
	svc      *plan.Service
	triggers *trigger.Service
	monthly  *monthly.Service
}

// routes registers the progress page and its API.
func (h *progressHandlers) routes(pages, api fiber.Router) {
	api.Get("/progress", h.requireCouple, h.apiGetProgress)
	pages.Get("/progress", h.requireCouple, h.progressPage)
}
