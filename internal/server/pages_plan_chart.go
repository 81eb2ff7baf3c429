package server

import (
	"html/template"

	"github.com/mendhq/mend/internal/plan"
)

// Geometry of the progress charts, in SVG user units.
const (
	chartW, chartH                               = 400, 230
	chartLeft, chartRight, chartTop, chartBottom = 36, 26, 12, 36
)

// chart is a server-rendered line chart of 0–10 ratings over opened weeks (DESIGN §2.7): an inline
// SVG with role="img" and a label, and a table of the same numbers for screen readers, written as one
// section of the progress page (pages_plan_chart_html.go).
type chart struct {
	ID   string
	HTML template.HTML
	// Rated counts each line's rated points, in the order of the spec's lines.
	Rated []int
}

// chartSpec is what a chart draws: lines over points, oldest first. Column heads the table's first
// column and RowLabels name its rows ("Week of " and the point's label when nil); PointOf joins a
// line's name to a point's label in the title of the point's marker.
type chartSpec struct {
	ID, Title, Label string
	Points           []plan.WeekPoint
	Lines            []line
	Column           string
	RowLabels        []string
	PointOf          string
}

// line picks one person's rating from a week.
type line struct {
	name, class string
	value       func(plan.WeekPoint) *int
}

// chartX places week i of n; a single week sits at the start of the axis, where the lines will begin.
func chartX(i, n int) float64 {
	inner := float64(chartW - chartLeft - chartRight)
	if n <= 1 {
		return float64(chartLeft)
	}
	return float64(chartLeft) + inner*float64(i)/float64(n-1)
}

func chartY(v int) float64 {
	inner := float64(chartH - chartTop - chartBottom)
	return float64(chartTop) + inner*float64(10-v)/10
}

// newChart draws the spec's lines over its points; a point a person did not rate has no marker. Each
// rating is read once, into a grid of points by lines that the chart and the table are both written
// from.
func newChart(s chartSpec) chart {
	n, nl := len(s.Points), len(s.Lines)
	values := make([]int, n*nl) // values[i*nl+j] is line j's rating of point i, -1 when it has none
	rated := make([]int, nl)
	for i, p := range s.Points {
		for j, l := range s.Lines {
			values[i*nl+j] = -1
			if v := l.value(p); v != nil {
				values[i*nl+j] = *v
				rated[j]++
			}
		}
	}
	return chart{ID: s.ID, HTML: writeChart(&s, values, rated), Rated: rated}
}

// progressCharts returns the trust and connection charts for both people, and the safety chart that
// only ever holds the viewer's own line.
func progressCharts(p *plan.ProgressView, partner string, hasPartner bool) []chart {
	me := func(f func(plan.WeekPoint) *int) line { return line{"You", "me", f} }
	them := func(f func(plan.WeekPoint) *int) line { return line{partner, "partner", f} }
	trust := []line{me(func(w plan.WeekPoint) *int { return w.MyTrust })}
	conn := []line{me(func(w plan.WeekPoint) *int { return w.MyConnection })}
	who := "you"
	if hasPartner {
		trust = append(trust, them(func(w plan.WeekPoint) *int { return w.PartnerTrust }))
		conn = append(conn, them(func(w plan.WeekPoint) *int { return w.PartnerConnection }))
		who = "you and " + partner
	}
	tail := " per opened check-in week, from 0 to 10: " + who + ". The same numbers are in the table below."
	weekly := func(id, title, label string, lines []line) chart {
		return newChart(chartSpec{ID: id, Title: title, Label: label, Points: p.Opened, Lines: lines,
			Column: "Week", PointOf: ", week of "})
	}
	return []chart{
		weekly("trust", "Trust", "Trust"+tail, trust),
		weekly("connection", "Connection", "Connection"+tail, conn),
		weekly("safety", "How safe you feel (only you see this)",
			"How safe you feel, per opened check-in week, from 0 to 10. Only you see this. The same numbers are in the table below.",
			[]line{{"You", "safety", func(w plan.WeekPoint) *int { return w.MySafety }}}),
	}
}
