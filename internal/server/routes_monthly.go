package server

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/monthly"
)

// monthlyHandlers serves the monthly look's pages and API over one monthly.Service; lowSafety tells
// the overview page to stop suggesting a word together (DESIGN §2.4).
type monthlyHandlers struct {
	*Server
	svc       *monthly.Service
	lowSafety lowSafetyCheck
}

// routes registers the monthly look (DESIGN §5.4). Every route is couple-scoped; a week key always
// names the caller's own couple's week.
func (h *monthlyHandlers) routes(pages, api fiber.Router) {
	rc := h.requireCouple

	pages.Get("/monthly", rc, h.overviewPage)
	pages.Get("/checkins/:week/monthly", rc, h.lookPage)
	pages.Post("/checkins/:week/monthly", rc, h.lookSubmit)

	api.Get("/monthly", rc, h.apiOverview)
	api.Get("/checkins/:week/monthly", rc, h.apiLook)
	api.Put("/checkins/:week/monthly/mine", rc, h.apiSave)
}

// monthlyExportJSON is the monthly look's section of a user's export.
type monthlyExportJSON struct {
	Mine    []monthlyAnswerJSON `json:"mine"`
	Partner []monthlyAnswerJSON `json:"partner"`
}

// export returns the user's own looks, with their emotional safety, and the partner's opened ones
// without it (DESIGN §2.9).
func (h *monthlyHandlers) export(ctx context.Context, u *account.User, m *couple.Membership) (any, error) {
	ex, err := h.svc.ExportFor(ctx, u.ID, m)
	if err != nil {
		return nil, err
	}
	out := monthlyExportJSON{Mine: []monthlyAnswerJSON{}, Partner: []monthlyAnswerJSON{}}
	for i := range ex.Mine {
		out.Mine = append(out.Mine, *toMonthlyAnswerJSON(&ex.Mine[i], true))
	}
	for i := range ex.Partner {
		out.Partner = append(out.Partner, *toMonthlyAnswerJSON(&ex.Partner[i], false))
	}
	return out, nil
}
