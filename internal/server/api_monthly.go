package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/monthly"
)

// monthlyAnswerJSON is one person's look; emotional_safety is only ever in the author's own.
type monthlyAnswerJSON struct {
	Week            string  `json:"week"`
	Honesty         *int    `json:"honesty"`
	Reliability     *int    `json:"reliability"`
	EmotionalSafety *int    `json:"emotional_safety,omitempty"`
	Closeness       *int    `json:"closeness"`
	Hope            *int    `json:"hope"`
	Shared          bool    `json:"shared"`
	UpdatedAt       string  `json:"updated_at"`
	SharedAt        *string `json:"shared_at"`
}

func toMonthlyAnswerJSON(a *monthly.Answer, mine bool) *monthlyAnswerJSON {
	if a == nil {
		return nil
	}
	out := &monthlyAnswerJSON{Week: a.Week, Honesty: a.Honesty, Reliability: a.Reliability, Closeness: a.Closeness, Hope: a.Hope,
		Shared: a.Shared(), UpdatedAt: rfc3339(a.UpdatedAt)}
	if mine {
		out.EmotionalSafety = a.EmotionalSafety
	}
	if a.SubmittedAt != nil {
		at := rfc3339(*a.SubmittedAt)
		out.SharedAt = &at
	}
	return out
}

type monthlyAreaJSON struct {
	Key      string `json:"key"`
	Label    string `json:"label"`
	Question string `json:"question"`
	Private  bool   `json:"private"`
}

type monthlyLookJSON struct {
	Week       string             `json:"week"`
	State      string             `json:"state"`
	CheckinDay string             `json:"checkin_day"`
	Editable   bool               `json:"editable"`
	Areas      []monthlyAreaJSON  `json:"areas"`
	Mine       *monthlyAnswerJSON `json:"mine"`
	Partner    *monthlyAnswerJSON `json:"partner"`
}

func monthlyAreasJSON() []monthlyAreaJSON {
	out := make([]monthlyAreaJSON, 0, len(monthly.Areas))
	for _, a := range monthly.Areas {
		out = append(out, monthlyAreaJSON{a.Key, a.Label, a.Question, a.Private})
	}
	return out
}

func toMonthlyLookJSON(v *monthly.View) monthlyLookJSON {
	return monthlyLookJSON{Week: v.Week.String(), State: v.State, CheckinDay: v.CheckinDay.Format("2006-01-02"), Editable: v.Editable,
		Areas: monthlyAreasJSON(), Mine: toMonthlyAnswerJSON(v.Mine, true), Partner: toMonthlyAnswerJSON(v.Partner, false)}
}

type monthlyPointJSON struct {
	Week    string          `json:"week"`
	Ratings map[string]*int `json:"ratings"`
	Changes map[string]*int `json:"changes,omitempty"`
}

type monthlyTrendJSON struct {
	Baseline *monthlyPointJSON  `json:"baseline"`
	Later    []monthlyPointJSON `json:"later"`
}

func toMonthlyPointJSON(p monthly.Point, withChanges bool) monthlyPointJSON {
	out := monthlyPointJSON{Week: p.Week.String(), Ratings: map[string]*int{}}
	for _, a := range monthly.Areas {
		out.Ratings[a.Key] = p.Answer.Rating(a.Key)
	}
	if withChanges {
		out.Changes = p.Changes
	}
	return out
}

func toMonthlyTrendJSON(t monthly.Trend) monthlyTrendJSON {
	out := monthlyTrendJSON{Later: []monthlyPointJSON{}}
	if t.Baseline != nil {
		b := toMonthlyPointJSON(*t.Baseline, false)
		out.Baseline = &b
	}
	for _, p := range t.Later {
		out.Later = append(out.Later, toMonthlyPointJSON(p, true))
	}
	return out
}

// apiOverview returns this month's look (when it still takes answers), the next one, and the member's
// own trend against their baseline.
func (h *monthlyHandlers) apiOverview(c *fiber.Ctx) error {
	m := membership(c)
	o, err := h.overview(c, m)
	if err != nil {
		return err
	}
	var this *string
	if o.ThisWeek != "" {
		this = &o.ThisWeek
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"this_month": this, "next": o.NextWeek, "trend": toMonthlyTrendJSON(o.trend)})
}

func (h *monthlyHandlers) apiLook(c *fiber.Ctx) error {
	v, err := h.svc.Look(c.UserContext(), membership(c), c.Params("week"))
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"monthly": toMonthlyLookJSON(v)})
}

func (h *monthlyHandlers) apiSave(c *fiber.Ctx) error {
	var b struct {
		Honesty         *int `json:"honesty"`
		Reliability     *int `json:"reliability"`
		EmotionalSafety *int `json:"emotional_safety"`
		Closeness       *int `json:"closeness"`
		Hope            *int `json:"hope"`
		Submit          bool `json:"submit"`
	}
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	in := monthly.Input{Submit: b.Submit, Ratings: map[string]*int{"honesty": b.Honesty, "reliability": b.Reliability,
		"emotional_safety": b.EmotionalSafety, "closeness": b.Closeness, "hope": b.Hope}}
	v, err := h.svc.Save(c.UserContext(), membership(c), c.Params("week"), in)
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"monthly": toMonthlyLookJSON(v)})
}
