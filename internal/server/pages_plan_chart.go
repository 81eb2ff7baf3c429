package server

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/mendhq/mend/internal/plan"
)

// Geometry of the progress charts, in SVG user units.
const (
	chartW, chartH                               = 400, 230
	chartLeft, chartRight, chartTop, chartBottom = 36, 26, 12, 36
)

// chart is a server-rendered line chart of 0–10 ratings over opened weeks (DESIGN §2.7): an inline
// SVG with role="img" and a label, and a table of the same numbers for screen readers.
type chart struct {
	ID, Title, Label string
	Width, Height    int
	// Single is set when there is one opened week: its point is drawn at the start, as a beginning.
	Single  bool
	Grid    []gridLine
	XLabels []xLabel
	Series  []series
	Columns []string
	Rows    []chartRow
}

type gridLine struct {
	Y     float64
	X1    float64
	X2    float64
	Label string
}

type xLabel struct {
	X, Y   float64
	Anchor string
	Label  string
}

type series struct {
	Name, Class string
	// Points is the polyline's points attribute, empty when fewer than two weeks are rated (there is no
	// line to draw, and the legend then shows the marker alone); Dots are the rated weeks.
	Points string
	Dots   []dot
	// Ahead, on a chart of one week, is a faint line from the first point to where the weeks to come
	// will be, so the point reads as a beginning (it is outside the series' group and its legend key).
	Ahead []gridLine
}

type dot struct {
	X, Y  float64
	Title string
}

type chartRow struct {
	Week   string
	Values []string
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

func num(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// newChart draws lines over the opened weeks; a week a person did not rate has no point.
func newChart(id, title, label string, weeks []plan.WeekPoint, lines []line) chart {
	c := chart{ID: id, Title: title, Label: label, Width: chartW, Height: chartH, Columns: []string{"Week"}, Single: len(weeks) == 1}
	for _, v := range []int{0, 5, 10} {
		c.Grid = append(c.Grid, gridLine{Y: chartY(v), X1: chartLeft, X2: chartW - chartRight, Label: strconv.Itoa(v)})
	}
	step := (len(weeks) + 5) / 6
	for i, w := range weeks {
		if step == 0 || (len(weeks)-1-i)%step == 0 {
			anchor := "middle"
			if c.Single {
				anchor = "start"
			}
			c.XLabels = append(c.XLabels, xLabel{X: chartX(i, len(weeks)), Y: chartH - 12, Anchor: anchor, Label: w.Label})
		}
		c.Rows = append(c.Rows, chartRow{Week: "Week of " + w.Label})
	}
	for _, l := range lines {
		c.Columns = append(c.Columns, l.name)
		s := series{Name: l.name, Class: l.class}
		var pts []string
		for i, w := range weeks {
			v := l.value(w)
			if v == nil {
				c.Rows[i].Values = append(c.Rows[i].Values, "–")
				continue
			}
			c.Rows[i].Values = append(c.Rows[i].Values, strconv.Itoa(*v))
			x, y := chartX(i, len(weeks)), chartY(*v)
			pts = append(pts, num(x)+","+num(y))
			s.Dots = append(s.Dots, dot{X: x, Y: y, Title: fmt.Sprintf("%s, week of %s: %d", l.name, w.Label, *v)})
		}
		if len(pts) > 1 {
			s.Points = strings.Join(pts, " ")
		}
		if c.Single && len(s.Dots) == 1 {
			s.Ahead = []gridLine{{Y: s.Dots[0].Y, X1: s.Dots[0].X, X2: chartW - chartRight}}
		}
		c.Series = append(c.Series, s)
	}
	return c
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
	return []chart{
		newChart("trust", "Trust", "Trust"+tail, p.Opened, trust),
		newChart("connection", "Connection", "Connection"+tail, p.Opened, conn),
		newChart("safety", "How safe you feel (only you see this)",
			"How safe you feel, per opened check-in week, from 0 to 10. Only you see this. The same numbers are in the table below.",
			p.Opened, []line{{"You", "safety", func(w plan.WeekPoint) *int { return w.MySafety }}}),
	}
}
