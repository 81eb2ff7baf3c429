package server

import (
	"context"
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/trigger"
)

// triggerHandlers serves the trigger log's pages and API over one trigger.Service.
type triggerHandlers struct {
	*Server
	svc       *trigger.Service
	lowSafety lowSafetyCheck
}

// routes registers the trigger log (DESIGN §5.4). Every route is couple-scoped, and every trigger is
// looked up among the signed-in person's own.
func (h *triggerHandlers) routes(pages, api fiber.Router) {
	rc := h.requireCouple

	pages.Get("/triggers", rc, h.listPage)
	pages.Post("/triggers", rc, h.createSubmit)
	pages.Get("/triggers/:id/edit", rc, h.editPage)
	pages.Post("/triggers/:id/edit", rc, h.editSubmit)
	pages.Post("/triggers/:id/delete", rc, h.deleteSubmit)
	pages.Get("/triggers/:id/signal", rc, h.signalPage)
	pages.Post("/triggers/:id/signal", rc, h.signalSubmit)
	pages.Post("/signals/:id/response", rc, h.respondSubmit)

	api.Get("/triggers", rc, h.apiList)
	api.Post("/triggers", rc, h.apiCreate)
	api.Patch("/triggers/:id", rc, h.apiPatch)
	api.Delete("/triggers/:id", rc, h.apiDelete)
	api.Post("/triggers/:id/signal", rc, h.apiSignal)
	api.Get("/signals", rc, h.apiSignals)
	api.Post("/signals/:id/response", rc, h.apiRespond)
}

// triggerExportJSON is the trigger log's section of a user's export: their own triggers with what
// became of their signals, the signals their partner sent them, and every response they wrote.
type triggerExportJSON struct {
	Mine             []triggerJSON        `json:"mine"`
	Received         []signalJSON         `json:"received"`
	ResponsesWritten []signalResponseJSON `json:"responses_written"`
}

// export returns the user's section (DESIGN §2.9): nothing of the partner's triggers but what they signalled.
func (h *triggerHandlers) export(ctx context.Context, u *account.User, m *couple.Membership) (any, error) {
	ex, err := h.svc.ExportFor(ctx, u.ID, m)
	if err != nil {
		return nil, err
	}
	out := triggerExportJSON{Mine: []triggerJSON{}, Received: []signalJSON{}, ResponsesWritten: []signalResponseJSON{}}
	for i := range ex.Mine {
		out.Mine = append(out.Mine, toTriggerJSON(&ex.Mine[i]))
	}
	for i := range ex.Received {
		out.Received = append(out.Received, toSignalJSON(&ex.Received[i]))
	}
	for _, r := range ex.Written {
		out.ResponsesWritten = append(out.ResponsesWritten, toSignalResponseJSON(r))
	}
	return out, nil
}

// archiveSection shows, on /archive, the user's own entries in an ended couple's trigger log.
func (h *triggerHandlers) archiveSection(c *fiber.Ctx, userID string, past couple.Past) (template.HTML, error) {
	list, err := h.svc.Archive(c.UserContext(), userID, past.Couple.ID)
	if err != nil || len(list) == 0 {
		return "", err
	}
	loc, err := h.couples.Location(c.UserContext(), past.Couple.ID)
	if err != nil {
		return "", err
	}
	type row struct{ When, What, Helped string }
	rows := make([]row, 0, len(list))
	for _, t := range list {
		rows = append(rows, row{When: t.At.In(loc).Format("Mon 2 January 2006, 15:04"), What: t.What, Helped: t.Helped})
	}
	return h.views.partial("repair-trigger-archive", map[string]any{"ID": past.Couple.ID, "Rows": rows})
}
