package server

import (
	"html/template"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/auth"
	"github.com/mendhq/mend/internal/plan"
)

// dashboardData is what dashboard.html shows besides the membership in the view.
type dashboardData struct {
	couplePageData
	// LowSafety is set while the user's latest safety answer is low: the next step is then support
	// for them, never something to do together (DESIGN §2.4).
	LowSafety bool
	// Cards are the features' dashboard cards, in the feature list's order.
	Cards []template.HTML
	// Path is the next step on the user's own path (pages_dashboard_path.go).
	Path *homePath
}

// dashboardPage shows the couple, the partner and whether they have joined, the invite while waiting,
// the next step, and each feature's card. Without a couple it shows, if a couple ended, only that it ended.
func (h *coupleHandlers) dashboardPage(c *fiber.Ctx) error {
	v := h.newView(c, "Home")
	v.Nav = "home"
	d := &dashboardData{}
	m := v.Membership
	if m == nil {
		hist, err := h.svc.History(c.UserContext(), auth.CurrentUser(c).ID)
		if err != nil {
			return err
		}
		if len(hist) > 0 {
			d.Ended = &hist[0]
		}
		v.Data = d
		return h.render(c, "dashboard", v)
	}
	d.Weekday = time.Weekday(m.Couple.CheckinWeekday).String()
	if err := h.loadInvite(c, m, &d.couplePageData); err != nil {
		return err
	}
	// The agreements' card and the plan's card both read the agreement summaries, and every card may
	// ask whether the user's safety is low: each is read once per view.
	c.SetUserContext(plan.WithSafetyMemo(agreement.WithMemo(c.UserContext())))
	var err error
	if d.LowSafety, err = h.plan.LowSafety(c.UserContext(), m); err != nil {
		return err
	}
	if d.Path, err = h.pathStep(c, m, d.LowSafety); err != nil {
		return err
	}
	for _, f := range h.features {
		if f.card == nil {
			continue
		}
		card, err := f.card(c, m)
		if err != nil {
			return err
		}
		if card != "" {
			d.Cards = append(d.Cards, card)
		}
	}
	v.Data = d
	return h.render(c, "dashboard", v)
}
