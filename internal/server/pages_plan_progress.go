package server

import (
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
	// Triggers counts the user's own triggers per week (progress_repair.go); TriggerWeeks are the
	// weeks of the series from the first with a trigger on, newest first.
	Triggers     map[string]int
	TriggerWeeks []plan.WeekPoint
	Monthly      *monthlyTrendTable
}

func (h *progressHandlers) progressPage(c *fiber.Ctx) error {
	m := membership(c)
	p, err := h.svc.Progress(c.UserContext(), m)
	if err != nil {
		return err
	}
	d := &progressPageData{Section: "progress", Progress: p, Partner: partnerName(m), HasPartner: m.Partner != nil}
	for _, ch := range progressCharts(p, d.Partner, d.HasPartner) {
		if len(p.Opened) == 0 || ch.ID == "safety" && len(ch.Series[0].Dots) == 0 {
			continue
		}
		d.Charts = append(d.Charts, ch)
	}
	r, err := h.repair(c.UserContext(), m, p)
	if err != nil {
		return err
	}
	d.Charts = append(d.Charts, monthlyCharts(r, m, d.Partner, d.HasPartner)...)
	d.Triggers, d.Monthly = r.Triggers, newMonthlyTrendTable(r, d.HasPartner)
	for i, w := range p.Weeks {
		if r.Triggers[w.Week] > 0 {
			for j := len(p.Weeks) - 1; j >= i; j-- {
				d.TriggerWeeks = append(d.TriggerWeeks, p.Weeks[j])
			}
			break
		}
	}
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
