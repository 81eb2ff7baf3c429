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
}

func (h *progressHandlers) progressPage(c *fiber.Ctx) error {
	m := membership(c)
	p, err := h.svc.Progress(c.UserContext(), m)
	if err != nil {
		return err
	}
	d := &progressPageData{Section: "progress", Progress: p, Partner: partnerName(m), HasPartner: m.Partner != nil}
	for _, ch := range progressCharts(p, d.Partner, d.HasPartner) {
		if ch.ID == "safety" && len(ch.Series[0].Dots) == 0 {
			continue
		}
		d.Charts = append(d.Charts, ch)
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
