package server

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/couple"
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

func (s *Server) progressPage(c *fiber.Ctx) error {
	m := membership(c)
	p, err := s.plan.Progress(c.UserContext(), m)
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
	v := s.newView(c, "Progress")
	v.Nav = "plan"
	v.Data = d
	return s.render(c, "progress", v)
}

// planDashboardCard is the plan's card on the home page: the next item, the therapy prompt when it
// applies, and one line of guidance for where the couple is.
func (s *Server) planDashboardCard(c *fiber.Ctx, m *couple.Membership) (template.HTML, error) {
	d, err := s.plan.Dashboard(c.UserContext(), m)
	if err != nil {
		return "", err
	}
	return s.views.partial("plan-card", d)
}

// planArchiveSection shows, on /archive, what the user wrote for the plan in an ended couple.
func (s *Server) planArchiveSection(c *fiber.Ctx, userID string, past couple.Past) (template.HTML, error) {
	a, err := s.plan.ArchiveOf(c.UserContext(), userID, past.Couple.ID)
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
	return s.views.partial("plan-archive", map[string]any{"ID": past.Couple.ID, "Archive": a, "Moments": rows})
}
