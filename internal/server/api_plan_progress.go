package server

import (
	"github.com/gofiber/fiber/v2"

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
	weeks := make([]weekJSON, 0, len(p.Weeks))
	for _, w := range p.Weeks {
		weeks = append(weeks, weekJSON{Week: w.Week, Opened: w.Opened, Trust: pairJSON{w.MyTrust, w.PartnerTrust},
			Connection: pairJSON{w.MyConnection, w.PartnerConnection}, MySafety: w.MySafety,
			Agreements: agreementsJSON{w.Kept, w.Partly, w.NotKept, w.NotSure, w.Withdrawn}, Moments: w.Moments, PlanDone: w.PlanDone})
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
		"divergence": div, "wins": wins})
}
