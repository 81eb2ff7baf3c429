package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/monthly"
	"github.com/mendhq/mend/internal/plan"
)

type weekJSON struct {
	Week       string         `json:"week"`
	Opened     bool           `json:"opened"`
	Trust      pairJSON       `json:"trust"`
	Connection pairJSON       `json:"connection"`
	MySafety   *int           `json:"my_safety"`
	Agreements agreementsJSON `json:"agreements"`
	Moments    int            `json:"moments"`
	PlanDone   int            `json:"plan_done"`
	// MyTriggers counts the asking user's own triggers that week; nobody else's is ever here.
	MyTriggers int `json:"my_triggers"`
}

type pairJSON struct {
	Me      *int `json:"me"`
	Partner *int `json:"partner"`
}

type agreementsJSON struct {
	Kept      int `json:"kept"`
	Partly    int `json:"partly"`
	NotKept   int `json:"not_kept"`
	NotSure   int `json:"not_sure"`
	Withdrawn int `json:"withdrawn"`
}

type winJSON struct {
	Key   string `json:"key"`
	Title string `json:"title"`
	On    string `json:"on"`
}

type divergenceJSON struct {
	Show     bool     `json:"show"`
	Measures []string `json:"measures"`
	Message  string   `json:"message,omitempty"`
}

// divergenceMessage is the progress page's note when the two lines part (DESIGN §2.7).
const divergenceMessage = "You two see this differently; worth a check-in."

func (h *progressHandlers) apiGetProgress(c *fiber.Ctx) error {
	m := membership(c)
	p, err := h.svc.Progress(c.UserContext(), m)
	if err != nil {
		return err
	}
	r, err := h.repair(c.UserContext(), m, p)
	if err != nil {
		return err
	}
	weeks := make([]weekJSON, 0, len(p.Weeks))
	for _, w := range p.Weeks {
		weeks = append(weeks, weekJSON{Week: w.Week, Opened: w.Opened, Trust: pairJSON{w.MyTrust, w.PartnerTrust},
			Connection: pairJSON{w.MyConnection, w.PartnerConnection}, MySafety: w.MySafety,
			Agreements: agreementsJSON{w.Kept, w.Partly, w.NotKept, w.NotSure, w.Withdrawn}, Moments: w.Moments, PlanDone: w.PlanDone,
			MyTriggers: r.Triggers[w.Week]})
	}
	wins := make([]winJSON, 0, len(p.Wins))
	for _, w := range p.Wins {
		wins = append(wins, winJSON{Key: w.Key, Title: w.Title, On: w.On.In(m.Location).Format(plan.DateLayout)})
	}
	div := divergenceJSON{Show: len(p.Diverging) > 0, Measures: nonNil(p.Diverging)}
	if div.Show {
		div.Message = divergenceMessage
	}
	return c.JSON(fiber.Map{"weeks": weeks, "therapy_prompt": promptJSONOf(p.Prompt), "plan": tallyJSON{Done: p.Done, Total: p.Total},
		"divergence": div, "wins": wins, "monthly_trend": progressTrendJSONOf(r, m.PartnerID() != "")})
}

// progressTrendJSON is the monthly look's trends on the progress API: the member's own in full, and the
// partner's (null without a partner) without its private areas.
type progressTrendJSON struct {
	Areas   []monthlyAreaJSON `json:"areas"`
	Me      monthlyTrendJSON  `json:"me"`
	Partner *monthlyTrendJSON `json:"partner"`
}

func progressTrendJSONOf(r *progressRepair, hasPartner bool) progressTrendJSON {
	out := progressTrendJSON{Areas: monthlyAreasJSON(), Me: toMonthlyTrendJSON(r.Mine)}
	if hasPartner {
		t := toMonthlyTrendJSON(r.Partner)
		for _, p := range append([]*monthlyPointJSON{t.Baseline}, pointers(t.Later)...) {
			if p == nil {
				continue
			}
			for _, a := range monthly.Areas {
				if a.Private {
					delete(p.Ratings, a.Key)
					delete(p.Changes, a.Key)
				}
			}
		}
		out.Partner = &t
	}
	return out
}

func pointers(ps []monthlyPointJSON) []*monthlyPointJSON {
	out := make([]*monthlyPointJSON, len(ps))
	for i := range ps {
		out[i] = &ps[i]
	}
	return out
}
