package server

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/plan"
)

// progressPageData is what progress.html shows.
type progressPageData struct {
	Section    string
	Progress   *plan.ProgressView
	Charts     []chart
	Partner    string
	HasPartner bool
	Diverging  string
	// WeekRows are the rows of the week-by-week table; TriggerRows those of the user's own trigger
	// counts per week (progress_repair.go), from the first week with a trigger on, newest first.
	WeekRows    template.HTML
	TriggerRows template.HTML
	Monthly     *monthlyTrendTable
}

func (h *progressHandlers) progressPage(c *fiber.Ctx) error {
	m := membership(c)
	p, err := h.svc.Progress(c.UserContext(), m)
	if err != nil {
		return err
	}
	d := &progressPageData{Section: "progress", Progress: p, Partner: partnerName(m), HasPartner: m.Partner != nil}
	for _, ch := range progressCharts(p, d.Partner, d.HasPartner) {
		if len(p.Opened) == 0 || ch.ID == "safety" && ch.Rated[0] == 0 {
			continue
		}
		d.Charts = append(d.Charts, ch)
	}
	r, err := h.repair(c.UserContext(), m, p)
	if err != nil {
		return err
	}
	d.Charts = append(d.Charts, monthlyCharts(r, m, d.Partner, d.HasPartner)...)
	d.Monthly = newMonthlyTrendTable(r, d.HasPartner)
	d.WeekRows, d.TriggerRows = progressWeekRows(p.Weeks), progressTriggerRows(p.Weeks, r.Triggers)
	switch len(p.Diverging) {
	case 1:
		d.Diverging = p.Diverging[0]
	case 2:
		d.Diverging = "trust and connection"
	}
	v := h.newView(c, "Progress")
	v.Nav = "plan"
	v.Data = d
	return h.render(c, "progress", v)
}
