package server

import (
	"context"
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/plan"
)

// agreementHandlers serves the agreement pages and API over one agreement.Service. The dashboard card
// also asks the plan whether the user's safety is low (DESIGN §2.4).
type agreementHandlers struct {
	*Server
	svc  *agreement.Service
	plan *plan.Service
}

// routes registers the agreements pages and API (DESIGN §2.3, §3.2). Every route is couple-scoped.
func (h *agreementHandlers) routes(pages, api fiber.Router) {
	rc := h.requireCouple

	pages.Get("/agreements", rc, h.listPage)
	pages.Get("/agreements/new", rc, h.newPage)
	pages.Post("/agreements", rc, h.createSubmit)
	pages.Get("/agreements/:id", rc, h.showPage)
	pages.Get("/agreements/:id/edit", rc, h.editPage)
	pages.Post("/agreements/:id/edit", rc, h.editSubmit)
	pages.Post("/agreements/:id/accept", rc, h.acceptSubmit)
	pages.Post("/agreements/:id/withdraw", rc, h.withdrawSubmit)
	pages.Post("/agreements/:id/review", rc, h.reviewSubmit)

	api.Get("/agreements", rc, h.apiList)
	api.Post("/agreements", rc, h.apiCreate)
	api.Get("/agreements/:id", rc, h.apiGet)
	api.Put("/agreements/:id", rc, h.apiEdit)
	api.Post("/agreements/:id/accept", rc, h.apiAccept)
	api.Post("/agreements/:id/withdraw", rc, h.apiWithdraw)
	api.Post("/agreements/:id/review", rc, h.apiReview)
}

// archivedAgreement is one agreement in the read-only archive of an ended couple. By is "you" or "your
// former partner": the archive names nobody, and a joint text may outlive its author's account.
type archivedAgreement struct {
	Title, Body, Category, AcceptedOn, EndsOn, By string
	Number                                        int
}

// archiveSection shows, for one of the user's ended couples, the agreements they wrote or accepted there,
// the ones their former partner wrote included (DESIGN §2.9).
func (h *agreementHandlers) archiveSection(c *fiber.Ctx, userID string, past couple.Past) (template.HTML, error) {
	items, err := h.svc.Archive(c.UserContext(), userID, past.Couple.ID)
	if err != nil || len(items) == 0 {
		return "", err
	}
	out := make([]archivedAgreement, 0, len(items))
	loc := zoneByName(past.Couple.Timezone)
	for _, it := range items {
		a := archivedAgreement{Title: it.Version.Title, Body: it.Version.Body, Category: agreement.CategoryLabels[it.Version.Category],
			AcceptedOn: dayIn(it.AcceptedAt, loc), Number: it.Version.Number, By: "your former partner"}
		if it.Version.AuthorID == userID {
			a.By = "you"
		}
		if it.Version.EndsOn != nil {
			a.EndsOn = humanDate(*it.Version.EndsOn)
		}
		out = append(out, a)
	}
	return h.views.partial("agreements-archive", out)
}

// export returns every agreement the user can see, with versions and log.
func (h *agreementHandlers) export(ctx context.Context, u *account.User, m *couple.Membership) (any, error) {
	views, err := h.svc.ForUser(ctx, u.ID, m)
	if err != nil {
		return nil, err
	}
	out := make([]agreementJSON, 0, len(views))
	for i := range views {
		out = append(out, toAgreementJSON(&views[i], u.ID, true))
	}
	return out, nil
}

// dashboardCard lists what needs the user now: versions waiting for their acceptance, agreements due
// for review, and transparency agreements ending within 14 days.
func (h *agreementHandlers) dashboardCard(c *fiber.Ctx, m *couple.Membership) (template.HTML, error) {
	if m == nil {
		return "", nil
	}
	sc := m
	views, err := h.svc.SharedSummaries(c.UserContext(), sc)
	if err != nil {
		return "", err
	}
	today := h.svc.Today(sc)
	card := dashboardAgreements{Total: len(views)}
	if card.LowSafety, err = h.plan.LowSafety(c.UserContext(), m); err != nil {
		return "", err
	}
	for i := range views {
		v := &views[i]
		item := agreementLink{ID: v.ID, Title: v.Current.Title}
		switch {
		case v.WaitingFor(sc.Me.UserID):
			card.Waiting = append(card.Waiting, item)
		case v.DueForReview:
			item.Note = "Review date: " + humanDate(v.ReviewOn)
			card.Due = append(card.Due, item)
		}
		if v.EndsWithin(today, 14) {
			item.Note = "Ends " + humanDate(*v.Current.EndsOn)
			card.Ending = append(card.Ending, item)
		}
		if v.Status == agreement.StatusActive {
			card.Active++
		}
	}
	return h.views.partial("agreements-card", card)
}

// dashboardAgreements is the data of the dashboard card. LowSafety quiets the suggestion to write a
// first agreement together (DESIGN §2.4).
type dashboardAgreements struct {
	Waiting, Due, Ending []agreementLink
	Active, Total        int
	LowSafety            bool
}

type agreementLink struct {
	ID, Title, Note string
}
