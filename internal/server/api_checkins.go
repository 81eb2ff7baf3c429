package server

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/checkin"
)

func (h *checkinHandlers) apiList(c *fiber.Ctx) error {
	m := membership(c)
	cur, weeks, err := h.svc.Weeks(c.UserContext(), m)
	if err != nil {
		return err
	}
	out := checkinListJSON{CurrentWeek: cur.String(), Weeks: []checkinWeekSummaryJSON{}}
	for _, w := range weeks {
		out.Weeks = append(out.Weeks, checkinWeekSummaryJSON{Week: w.Week.String(), State: string(w.State),
			StartsOn: w.Week.Monday().Format(time.DateOnly), EndsOn: w.Week.Sunday().Format(time.DateOnly), MyAnswers: w.Mine})
	}
	return sendJSON(c, fiber.StatusOK, out)
}

func (h *checkinHandlers) apiWeek(c *fiber.Ctx) error {
	m := membership(c)
	v, err := h.svc.Week(c.UserContext(), m, c.Params("week"))
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusOK, toCheckinWeekJSON(v, m.Me.UserID))
}

// checkinAnswerBody is PUT /checkins/{week}/mine.
type checkinAnswerBody struct {
	Trust        *int   `json:"trust"`
	Connection   *int   `json:"connection"`
	Safety       *int   `json:"safety"`
	Appreciation string `json:"appreciation"`
	WentWell     string `json:"went_well"`
	WasHard      string `json:"was_hard"`
	Need         string `json:"need"`
	Agreements   []struct {
		AgreementID string `json:"agreement_id"`
		Kept        string `json:"kept"`
	} `json:"agreements"`
	Skip   bool `json:"skip"`
	Submit bool `json:"submit"`
}

// input is what the body asks the service to save, as the page's checkinAnswerForm.input is.
func (b *checkinAnswerBody) input() checkin.AnswerInput {
	in := checkin.AnswerInput{Trust: b.Trust, Connection: b.Connection, Safety: b.Safety, Appreciation: b.Appreciation,
		WentWell: b.WentWell, WasHard: b.WasHard, Need: b.Need, Skip: b.Skip, Submit: b.Submit}
	for _, a := range b.Agreements {
		in.Agreements = append(in.Agreements, checkin.KeptInput{AgreementID: a.AgreementID, Kept: a.Kept})
	}
	return in
}

func (h *checkinHandlers) apiSaveAnswer(c *fiber.Ctx) error {
	m := membership(c)
	if _, err := h.svc.Resolve(m, c.Params("week")); err != nil {
		return err
	}
	var b checkinAnswerBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	v, err := h.svc.SaveAnswer(c.UserContext(), m, c.Params("week"), b.input())
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusOK, toCheckinWeekJSON(v, m.Me.UserID))
}

type checkinTextBody struct {
	Text string `json:"text"`
}

func (h *checkinHandlers) apiReflect(c *fiber.Ctx) error {
	m := membership(c)
	if _, err := h.svc.Resolve(m, c.Params("week")); err != nil {
		return err
	}
	var b checkinTextBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	r, err := h.svc.Reflect(c.UserContext(), m, c.Params("week"), b.Text)
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusCreated, fiber.Map{"reflection": toCheckinReflectionJSON(r, m.Me.UserID)})
}

type checkinResponseBody struct {
	Accurate *bool  `json:"accurate"`
	Note     string `json:"note"`
}

func (h *checkinHandlers) apiRespond(c *fiber.Ctx) error {
	m := membership(c)
	if _, err := h.svc.Resolve(m, c.Params("week")); err != nil {
		return err
	}
	var b checkinResponseBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	if b.Accurate == nil {
		return apperr.Fields(map[string]string{"accurate": "Say whether it is right: true for \"yes, that's it\", false for \"not quite\"."})
	}
	r, err := h.svc.Respond(c.UserContext(), m, c.Params("week"), c.Params("id"), *b.Accurate, b.Note)
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"reflection": toCheckinReflectionJSON(r, m.Me.UserID)})
}

func (h *checkinHandlers) apiValidate(c *fiber.Ctx) error {
	m := membership(c)
	if _, err := h.svc.Resolve(m, c.Params("week")); err != nil {
		return err
	}
	var b checkinTextBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	r, err := h.svc.Validate(c.UserContext(), m, c.Params("week"), c.Params("id"), b.Text)
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"reflection": toCheckinReflectionJSON(r, m.Me.UserID)})
}

type checkinTimeoutBody struct {
	Until string `json:"until"`
	Note  string `json:"note"`
}

func (h *checkinHandlers) apiStartTimeout(c *fiber.Ctx) error {
	m := membership(c)
	var b checkinTimeoutBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	until, err := time.Parse(time.RFC3339, b.Until)
	if err != nil {
		return apperr.Fields(map[string]string{"until": "Give a time such as 2026-11-25T21:30:00Z (RFC 3339), within the next 24 hours."})
	}
	t, err := h.svc.StartTimeout(c.UserContext(), m, until, b.Note)
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusCreated, fiber.Map{"timeout": toCheckinTimeoutJSON(t, m.Me.UserID)})
}

func (h *checkinHandlers) apiCurrentTimeout(c *fiber.Ctx) error {
	m := membership(c)
	t, err := h.svc.CurrentTimeout(c.UserContext(), m)
	if err != nil {
		return err
	}
	if t == nil {
		return checkin.ErrNoTimeout
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"timeout": toCheckinTimeoutJSON(t, m.Me.UserID)})
}

func (h *checkinHandlers) apiEndTimeout(c *fiber.Ctx) error {
	if err := h.svc.EndTimeout(c.UserContext(), membership(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
