package server

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/monthly"
	"github.com/mendhq/mend/internal/plan"
)

// progressRepair is what the trigger log and the monthly look add to one person's progress.
type progressRepair struct {
	// Triggers counts the asking member's own triggers per week of the series (counts only, and
	// nobody else's: the partner's are never read).
	Triggers map[string]int
	// Mine is the member's own monthly trend; Partner is the partner's as the member may see it (looks
	// that opened for both, without emotional safety).
	Mine, Partner monthly.Trend
}

// repair reads the member's own trigger counts over the weeks of p and both monthly trends.
func (h *progressHandlers) repair(ctx context.Context, m *couple.Membership, p *plan.ProgressView) (*progressRepair, error) {
	since := time.Now()
	if len(p.Weeks) > 0 {
		if w, ok := checkin.ParseWeek(p.Weeks[0].Week); ok {
			d := w.Monday()
			since = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, m.Zone())
		}
	}
	counts, err := h.triggers.WeeklyCounts(ctx, m, since)
	if err != nil {
		return nil, err
	}
	mine, partner, err := h.monthly.Trends(ctx, m)
	if err != nil {
		return nil, err
	}
	return &progressRepair{Triggers: counts, Mine: mine, Partner: partner}, nil
}

// trendPoints returns a trend's looks, the baseline first.
func trendPoints(t monthly.Trend) []monthly.Point {
	if t.Baseline == nil {
		return nil
	}
	return append([]monthly.Point{*t.Baseline}, t.Later...)
}

// monthlyTrendTable is the progress page's table of each area against the baseline, per person.
type monthlyTrendTable struct {
	HasPartner bool
	Rows       []monthlyTrendLine
}

// monthlyTrendLine is one area: each person's baseline, latest look and the change between them.
type monthlyTrendLine struct {
	Key, Label string
	Private    bool
	Me         monthlyAgainst
	// Partner is nil for a private area: only its author ever sees it.
	Partner *monthlyAgainst
}

type monthlyAgainst struct{ Baseline, Latest, Change string }

func against(t monthly.Trend, key string) monthlyAgainst {
	if t.Baseline == nil {
		return monthlyAgainst{Baseline: "–", Latest: "–"}
	}
	a := monthlyAgainst{Baseline: ratingText(t.Baseline.Answer.Rating(key)), Latest: "–"}
	if n := len(t.Later); n > 0 {
		a.Latest, a.Change = ratingText(t.Later[n-1].Answer.Rating(key)), changeText(t.Later[n-1].Changes[key])
	}
	return a
}

// newMonthlyTrendTable builds the table, or nil when neither person has a baseline to show.
func newMonthlyTrendTable(r *progressRepair, hasPartner bool) *monthlyTrendTable {
	if r.Mine.Baseline == nil && r.Partner.Baseline == nil {
		return nil
	}
	t := &monthlyTrendTable{HasPartner: hasPartner}
	for _, a := range monthly.Areas {
		l := monthlyTrendLine{Key: a.Key, Label: a.Label, Private: a.Private, Me: against(r.Mine, a.Key)}
		if hasPartner && !a.Private {
			p := against(r.Partner, a.Key)
			l.Partner = &p
		}
		t.Rows = append(t.Rows, l)
	}
	return t
}

// monthlyCharts draws one chart per area over the months either person has a look in: the member's own
// line, and the partner's for the areas that are not private. The chart helpers draw weeks; each point
// here is a monthly week, labelled with its month.
func monthlyCharts(r *progressRepair, m *couple.Membership, partner string, hasPartner bool) []chart {
	mine, theirs := trendPoints(r.Mine), trendPoints(r.Partner)
	if len(mine) == 0 && len(theirs) == 0 {
		return nil
	}
	byWeek := map[string]map[string]*monthly.Answer{"me": {}, "partner": {}}
	seen := map[string]checkin.Week{}
	for i := range mine {
		byWeek["me"][mine[i].Week.String()], seen[mine[i].Week.String()] = &mine[i].Answer, mine[i].Week
	}
	for i := range theirs {
		byWeek["partner"][theirs[i].Week.String()], seen[theirs[i].Week.String()] = &theirs[i].Answer, theirs[i].Week
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	points := make([]plan.WeekPoint, len(keys))
	months := make([]string, len(keys))
	for i, k := range keys {
		day := monthly.CheckinDay(seen[k], m.Couple.CheckinWeekday)
		points[i] = plan.WeekPoint{Week: k, Label: day.Format("Jan 2006"), Opened: true}
		months[i] = day.Format("January 2006")
	}
	rating := func(who, key string) func(plan.WeekPoint) *int {
		return func(w plan.WeekPoint) *int { return byWeek[who][w.Week].Rating(key) }
	}
	var out []chart
	for _, a := range monthly.Areas {
		lines := []line{{"You", "me", rating("me", a.Key)}}
		title, who := "Monthly look: "+a.Label, "you"
		if a.Private {
			title += " (only you see this)"
		} else if hasPartner {
			lines = append(lines, line{partner, "partner", rating("partner", a.Key)})
			who = "you and " + partner
		}
		ch := newChart(chartSpec{ID: "monthly-" + strings.ReplaceAll(a.Key, "_", "-"), Title: title,
			Label:  a.Label + " in each monthly look, from 0 to 10: " + who + ". The first look is the baseline. The same numbers are in the table below.",
			Points: points, Lines: lines, Column: "Month", RowLabels: months, PointOf: ", "})
		out = append(out, ch)
	}
	return out
}
