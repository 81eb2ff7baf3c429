package server

import (
	"html/template"

	"github.com/mendhq/mend/internal/plan"
)

// writeChart writes the chart section of the progress page for s, whose ratings values holds (point
// by line, -1 for none) and rated counts per line. Every label is escaped once, however many times it
// is written.
func writeChart(s *chartSpec, values, rated []int) template.HTML {
	n, nl := len(s.Points), len(s.Lines)
	single := n == 1
	id, title := esc(s.ID), esc(s.Title)
	labels := make([]string, n) // each point's label, escaped
	xs := make([]float64, n)
	for i, p := range s.Points {
		labels[i], xs[i] = esc(p.Label), chartX(i, n)
	}
	w := &htmlWriter{}
	w.b.Grow(1500 + n*nl*140)
	w.raw("\n<section class=\"plan-chart-section\" aria-labelledby=\"chart-")
	w.raw(id)
	w.raw("-heading\">\n  <h2 id=\"chart-")
	w.raw(id)
	w.raw("-heading\">")
	w.raw(title)
	w.raw("</h2>\n  <figure class=\"chart plan-chart\">\n    <svg id=\"chart-")
	w.raw(id)
	w.raw("\" viewBox=\"0 0 ")
	w.int(chartW)
	w.raw(" ")
	w.int(chartH)
	w.raw("\" role=\"img\" aria-label=\"")
	w.text(s.Label)
	w.raw("\" focusable=\"false\">\n      ")
	writeGrid(w)
	w.raw("\n      ")
	writeXLabels(w, labels, xs, single)
	w.raw("\n      ")
	names := make([]string, nl)
	for j, l := range s.Lines {
		names[j] = esc(l.name)
		writeSeries(w, s, j, values, rated[j], names[j], labels, xs, single)
	}
	w.raw("\n    </svg>\n    <figcaption class=\"plan-legend\">")
	writeLegend(w, s, names, rated, single)
	w.raw("</figcaption>\n  </figure>\n")
	writeChartTable(w, s, title, names, labels, values)
	w.raw("\n</section>\n")
	return w.html()
}

// writeGrid writes the chart's horizontal lines at 0, 5 and 10, each labelled on the axis.
func writeGrid(w *htmlWriter) {
	for _, v := range []int{0, 5, 10} {
		y := chartY(v)
		w.raw("<line class=\"plan-grid\" x1=\"")
		w.float(chartLeft)
		w.raw("\" y1=\"")
		w.float(y)
		w.raw("\" x2=\"")
		w.float(chartW - chartRight)
		w.raw("\" y2=\"")
		w.float(y)
		w.raw("\"></line><text class=\"plan-axis\" x=\"4\" y=\"")
		w.float(y)
		w.raw("\" dy=\"4\">")
		w.int(v)
		w.raw("</text>")
	}
}

// writeLegend writes a key per line, with a line in it when the chart draws one, and on a chart of
// one week the note that the lines begin there.
func writeLegend(w *htmlWriter, s *chartSpec, names []string, rated []int, single bool) {
	for j, l := range s.Lines {
		cls := esc(l.class)
		w.raw("<span class=\"plan-key\" data-series=\"")
		w.raw(cls)
		w.raw("\"><svg class=\"plan-key-mark\" viewBox=\"0 0 28 12\" width=\"28\" height=\"12\" aria-hidden=\"true\" focusable=\"false\"><g class=\"plan-series ")
		w.raw(cls)
		w.raw("\">")
		if rated[j] > 1 {
			w.raw("<line class=\"plan-line ")
			w.raw(cls)
			w.raw("\" x1=\"1\" y1=\"6\" x2=\"27\" y2=\"6\"></line>")
		}
		w.raw("<circle class=\"plan-dot\" cx=\"14\" cy=\"6\" r=\"4\"></circle></g></svg> ")
		w.raw(names[j])
		w.raw("</span> ")
	}
	w.raw("\n    ")
	if single {
		w.raw("<span class=\"plan-start-note\">One week so far: this is where your lines begin. Each check-in that opens adds a point.</span>")
	}
}

// writeXLabels writes the week labels under the axis: at most six or seven, the latest always.
func writeXLabels(w *htmlWriter, labels []string, xs []float64, single bool) {
	n := len(labels)
	anchor := "middle"
	if single {
		anchor = "start"
	}
	step := (n + 5) / 6
	for i := range labels {
		if step != 0 && (n-1-i)%step != 0 {
			continue
		}
		w.raw("<text class=\"plan-axis\" x=\"")
		w.float(xs[i])
		w.raw("\" y=\"")
		w.float(chartH - 12)
		w.raw("\" text-anchor=\"")
		w.raw(anchor)
		w.raw("\">")
		w.raw(labels[i])
		w.raw("</text>")
	}
}

// writeSeries writes line j: on a chart of one week, a faint line ahead of its point; its polyline
// when it has two points or more; and a titled marker per rated point.
func writeSeries(w *htmlWriter, s *chartSpec, j int, values []int, rated int, name string, labels []string, xs []float64, single bool) {
	nl := len(s.Lines)
	cls := esc(s.Lines[j].class)
	w.raw("\n      ")
	if single && rated == 1 {
		y := chartY(values[j])
		w.raw("<line class=\"plan-ahead ")
		w.raw(cls)
		w.raw("\" x1=\"")
		w.float(xs[0])
		w.raw("\" y1=\"")
		w.float(y)
		w.raw("\" x2=\"")
		w.float(chartW - chartRight)
		w.raw("\" y2=\"")
		w.float(y)
		w.raw("\"></line>")
	}
	w.raw("\n      <g class=\"plan-series ")
	w.raw(cls)
	w.raw("\" data-series=\"")
	w.raw(cls)
	w.raw("\">\n        ")
	if rated > 1 {
		w.raw("<polyline class=\"plan-line ")
		w.raw(cls)
		w.raw("\" points=\"")
		first := true
		for i := range labels {
			if v := values[i*nl+j]; v >= 0 {
				if !first {
					w.raw(" ")
				}
				first = false
				w.fixed1(xs[i])
				w.raw(",")
				w.fixed1(chartY(v))
			}
		}
		w.raw("\"></polyline>")
	}
	w.raw("\n        ")
	for i := range labels {
		v := values[i*nl+j]
		if v < 0 {
			continue
		}
		w.raw("<circle class=\"plan-dot\" cx=\"")
		w.float(xs[i])
		w.raw("\" cy=\"")
		w.float(chartY(v))
		w.raw("\" r=\"4\"><title>")
		w.raw(name)
		w.text(s.PointOf)
		w.raw(labels[i])
		w.raw(": ")
		w.int(v)
		w.raw("</title></circle>")
	}
	w.raw("\n      </g>\n      ")
}

// writeChartTable writes the table of the chart's numbers, a row per point and a column per line.
func writeChartTable(w *htmlWriter, s *chartSpec, title string, names, labels []string, values []int) {
	nl := len(s.Lines)
	w.raw("  <table class=\"plan-table\">\n    <caption class=\"visually-hidden\">")
	w.raw(title)
	w.raw(" per week</caption>\n    <thead><tr><th scope=\"col\">")
	w.text(s.Column)
	w.raw("</th>")
	for _, name := range names {
		w.raw("<th scope=\"col\">")
		w.raw(name)
		w.raw("</th>")
	}
	w.raw("</tr></thead>\n    <tbody>")
	for i := range labels {
		w.raw("<tr><th scope=\"row\">")
		if s.RowLabels != nil {
			w.text(s.RowLabels[i])
		} else {
			w.raw("Week of ")
			w.raw(labels[i])
		}
		w.raw("</th>")
		for j := 0; j < nl; j++ {
			w.raw("<td>")
			if v := values[i*nl+j]; v >= 0 {
				w.int(v)
			} else {
				w.raw("–")
			}
			w.raw("</td>")
		}
		w.raw("</tr>")
	}
	w.raw("</tbody>\n  </table>")
}

// progressWeekRows writes the rows of the progress page's week-by-week table, newest last as the
// series holds them.
func progressWeekRows(weeks []plan.WeekPoint) template.HTML {
	w := &htmlWriter{}
	w.b.Grow(len(weeks) * 200)
	for i := range weeks {
		p := &weeks[i]
		w.raw("\n    <tr><th scope=\"row\">Week of ")
		w.text(p.Label)
		w.raw("</th><td>")
		if p.Opened {
			w.raw("Opened</td><td>")
			w.int(p.Kept)
			w.raw("</td><td>")
			w.int(p.Partly)
			w.raw(" / ")
			w.int(p.NotKept)
		} else {
			w.raw("–</td><td>–</td><td>–")
		}
		w.raw("</td><td>")
		w.int(p.Withdrawn)
		w.raw("</td><td>")
		w.int(p.Moments)
		w.raw("</td><td>")
		w.int(p.PlanDone)
		w.raw("</td></tr>\n    ")
	}
	return w.html()
}

// progressTriggerRows writes the rows of the trigger table: the weeks from the first with a trigger
// on, newest first, each with the user's own count; nothing when no week has one.
func progressTriggerRows(weeks []plan.WeekPoint, triggers map[string]int) template.HTML {
	first := -1
	for i := range weeks {
		if triggers[weeks[i].Week] > 0 {
			first = i
			break
		}
	}
	if first < 0 {
		return ""
	}
	w := &htmlWriter{}
	for j := len(weeks) - 1; j >= first; j-- {
		w.raw("<tr><th scope=\"row\">Week of ")
		w.text(weeks[j].Label)
		w.raw("</th><td class=\"progress-triggers\">")
		w.int(triggers[weeks[j].Week])
		w.raw("</td></tr>")
	}
	return w.html()
}
