package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/monthly"
)

// monthlyOverview is what /monthly and GET /api/v1/monthly show.
type monthlyOverview struct {
	ThisWeek, ThisMonth, ThisStatus string
	NextWeek, NextDay               string
	Months                          []string // the trend's columns: the baseline's month, then each later one
	Rows                            []monthlyTrendRow
	HasTrend                        bool
	// LowSafety: the viewer's latest safety answer is low, so the page suggests nothing to do together.
	LowSafety bool
	trend     monthly.Trend
}

type monthlyTrendRow struct {
	Label   string
	Private bool
	Cells   []monthlyCell
}

type monthlyCell struct{ Value, Change string }

// monthName is the month a monthly week belongs to, such as "December 2026".
func monthName(w checkin.Week, m *couple.Membership) string {
	return monthly.CheckinDay(w, m.Couple.CheckinWeekday).Format("January 2006")
}

func ratingText(v *int) string {
	if v == nil {
		return "–"
	}
	return strconv.Itoa(*v)
}

func changeText(d *int) string {
	switch {
	case d == nil:
		return ""
	case *d > 0:
		return "+" + strconv.Itoa(*d)
	case *d < 0:
		return "−" + strconv.Itoa(-*d)
	default:
		return "same"
	}
}

func (h *monthlyHandlers) overview(c *fiber.Ctx, m *couple.Membership) (*monthlyOverview, error) {
	ctx := c.UserContext()
	cur := h.svc.Current(m)
	o := &monthlyOverview{}
	if latest := monthly.LatestMonthly(cur, m.Couple.CheckinWeekday); h.svc.Editable(m, latest) {
		v, err := h.svc.Look(ctx, m, latest.String())
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		if v != nil {
			o.ThisWeek, o.ThisMonth = latest.String(), monthName(latest, m)
			switch {
			case v.State == monthly.StateOpened:
				o.ThisStatus = "You have both shared; the answers are open."
			case v.Mine.Shared():
				o.ThisStatus = "You have shared yours. The answers open when you have both shared."
			case v.Mine != nil:
				o.ThisStatus = "You have a draft. Nothing is shown to anyone until you share it."
			default:
				o.ThisStatus = "Not answered yet. It'll keep until the end of next week."
			}
		}
	}
	next := monthly.NextMonthly(cur.Next(), m.Couple.CheckinWeekday)
	o.NextWeek, o.NextDay = next.String(), monthly.CheckinDay(next, m.Couple.CheckinWeekday).Format("Monday 2 January 2006")
	t, err := h.svc.Trend(ctx, m)
	if err != nil {
		return nil, err
	}
	o.trend = t
	if t.Baseline == nil {
		return o, nil
	}
	o.HasTrend = true
	o.Months = append(o.Months, monthName(t.Baseline.Week, m))
	for _, p := range t.Later {
		o.Months = append(o.Months, monthName(p.Week, m))
	}
	for _, a := range monthly.Areas {
		row := monthlyTrendRow{Label: a.Label, Private: a.Private, Cells: []monthlyCell{{Value: ratingText(t.Baseline.Answer.Rating(a.Key))}}}
		for _, p := range t.Later {
			row.Cells = append(row.Cells, monthlyCell{Value: ratingText(p.Answer.Rating(a.Key)), Change: changeText(p.Changes[a.Key])})
		}
		o.Rows = append(o.Rows, row)
	}
	return o, nil
}

func (h *monthlyHandlers) overviewPage(c *fiber.Ctx) error {
	m := membership(c)
	o, err := h.overview(c, m)
	if err != nil {
		return err
	}
	if o.LowSafety, err = h.lowSafety(c.UserContext(), m.Couple.ID, m.Me.UserID); err != nil {
		return err
	}
	v := h.newView(c, "Monthly look")
	v.Nav, v.Data = "repair", o
	return h.render(c, "monthly", v)
}

// monthlyLookData is what monthly_look.html shows.
type monthlyLookData struct {
	Key, Month, Day, State, Status string
	Editable, Opened, Shared       bool
	Fields                         []monthlyField
	Mine, Partner                  []monthlyCellRow
	PartnerName                    string
}

type monthlyField struct {
	Key, Label, Question, Value, Error string
	Private                            bool
}

type monthlyCellRow struct{ Label, Value string }

func answerRows(a *monthly.Answer, withPrivate bool) []monthlyCellRow {
	if a == nil {
		return nil
	}
	var out []monthlyCellRow
	for _, area := range monthly.Areas {
		if area.Private && !withPrivate {
			continue
		}
		out = append(out, monthlyCellRow{area.Label, ratingText(a.Rating(area.Key))})
	}
	return out
}

func (h *monthlyHandlers) lookView(c *fiber.Ctx, lv *monthly.View, form map[string]string, errs map[string]string) *view {
	m := membership(c)
	d := &monthlyLookData{Key: lv.Week.String(), Month: monthName(lv.Week, m), Day: lv.CheckinDay.Format("Monday 2 January"),
		State: lv.State, Editable: lv.Editable, Opened: lv.State == monthly.StateOpened, Shared: lv.Mine.Shared(), PartnerName: partnerName(m),
		Mine: answerRows(lv.Mine, true), Partner: answerRows(lv.Partner, false)}
	switch {
	case d.Opened:
		d.Status = "You have both shared, so the answers are open to you both. Emotional safety stays with the person who answered it."
	case d.Editable && d.Shared:
		d.Status = "You have shared your answers. They open when you have both shared; until then you can still change them."
	case d.Editable:
		d.Status = "Your answers open when you have both shared. Until you share them, they are a draft only you can see."
	default:
		d.Status = "This month's look closed without both sharing, so each of you keeps your own answers."
	}
	for _, a := range monthly.Areas {
		f := monthlyField{Key: a.Key, Label: a.Label, Question: a.Question, Private: a.Private, Value: ratingValue(lv.Mine.Rating(a.Key))}
		if form != nil {
			f.Value = form[a.Key]
		}
		f.Error = errs[a.Key]
		d.Fields = append(d.Fields, f)
	}
	v := h.newView(c, "Monthly look")
	v.Nav, v.Data = "repair", d
	return v
}

func (h *monthlyHandlers) lookPage(c *fiber.Ctx) error {
	lv, err := h.svc.Look(c.UserContext(), membership(c), c.Params("week"))
	if err != nil {
		return err
	}
	v := h.lookView(c, lv, nil, nil)
	if d := v.Data.(*monthlyLookData); c.Query("saved") == "1" {
		d.Status = "Saved. " + d.Status
	}
	return h.render(c, "monthly_look", v)
}

func (h *monthlyHandlers) lookSubmit(c *fiber.Ctx) error {
	m := membership(c)
	key := c.Params("week")
	in := monthly.Input{Ratings: map[string]*int{}, Submit: c.FormValue("action") == "share"}
	form := map[string]string{}
	for _, a := range monthly.Areas {
		form[a.Key] = c.FormValue(a.Key)
		in.Ratings[a.Key] = formStrength(form[a.Key])
	}
	_, err := h.svc.Save(c.UserContext(), m, key, in)
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
		lv, lerr := h.svc.Look(c.UserContext(), m, key)
		if lerr != nil {
			return lerr
		}
		v := h.lookView(c, lv, form, apperr.As(err).Fields)
		return h.renderForm(c, "monthly_look", v, err)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/checkins/"+key+"/monthly?saved=1", fiber.StatusSeeOther)
}

// ratingValue is a rating as a form value: empty when not chosen.
func ratingValue(v *int) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(*v)
}
