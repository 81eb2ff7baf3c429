package server

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/question"
)

// questionJSON is a question as a member may see it. answer is the current version; versions keeps
// every one, oldest first, so a correction is always visible.
type questionJSON struct {
	ID        string         `json:"id"`
	Text      string         `json:"text"`
	AskedBy   string         `json:"asked_by"`
	AskedAt   string         `json:"asked_at"`
	WaitUntil *waitJSON      `json:"wait_until"`
	Waiting   bool           `json:"waiting"`
	Answer    *answerJSON    `json:"answer"`
	Versions  []answerJSON   `json:"versions"`
	FollowUps []followUpJSON `json:"follow_ups"`
	Similar   []earlierJSON  `json:"similar"`
}

type waitJSON struct {
	Kind string `json:"kind"`
	On   string `json:"on"`
}

type answerJSON struct {
	QuestionID *string `json:"question_id,omitempty"`
	Version    int     `json:"version"`
	Text       string  `json:"text"`
	By         string  `json:"by"`
	At         string  `json:"at"`
}

type followUpJSON struct {
	ID         string  `json:"id"`
	QuestionID *string `json:"question_id,omitempty"`
	Text       string  `json:"text"`
	By         string  `json:"by"`
	At         string  `json:"at"`
}

type earlierJSON struct {
	ID      string `json:"id"`
	AskedBy string `json:"asked_by"`
	AskedAt string `json:"asked_at"`
}

type questionPauseJSON struct {
	ID    string `json:"id"`
	By    string `json:"by"`
	Mine  bool   `json:"mine"`
	Until string `json:"until"`
	Note  string `json:"note"`
	At    string `json:"at"`
}

func toAnswerJSON(a question.Answer) answerJSON {
	return answerJSON{QuestionID: a.QuestionID, Version: a.Version, Text: a.Text, By: a.AuthorID, At: rfc3339(a.CreatedAt)}
}

func toFollowUpJSON(f question.FollowUp) followUpJSON {
	return followUpJSON{ID: f.ID, QuestionID: f.QuestionID, Text: f.Text, By: f.AuthorID, At: rfc3339(f.CreatedAt)}
}

func toQuestionJSON(v *question.View) questionJSON {
	out := questionJSON{ID: v.ID, Text: v.Text, AskedBy: v.AskerID, AskedAt: rfc3339(v.CreatedAt), Waiting: v.Waiting,
		Versions: []answerJSON{}, FollowUps: []followUpJSON{}, Similar: []earlierJSON{}}
	if v.WaitOn != nil {
		kind := "date"
		if v.WaitKind == question.WaitCheckin {
			kind = question.NextCheckin
		}
		out.WaitUntil = &waitJSON{Kind: kind, On: *v.WaitOn}
	}
	for _, a := range v.Versions {
		a.QuestionID = nil
		out.Versions = append(out.Versions, toAnswerJSON(a))
	}
	if n := len(out.Versions); n > 0 {
		latest := out.Versions[n-1]
		out.Answer = &latest
	}
	for _, f := range v.FollowUps {
		f.QuestionID = nil
		out.FollowUps = append(out.FollowUps, toFollowUpJSON(f))
	}
	for _, e := range v.Similar {
		out.Similar = append(out.Similar, earlierJSON{ID: e.ID, AskedBy: e.AskerID, AskedAt: rfc3339(e.CreatedAt)})
	}
	return out
}

func toQuestionPauseJSON(p *question.Pause, me string) *questionPauseJSON {
	if p == nil {
		return nil
	}
	return &questionPauseJSON{ID: p.ID, By: p.UserID, Mine: p.UserID == me, Until: rfc3339(p.UntilAt), Note: p.Note, At: rfc3339(p.CreatedAt)}
}

func (h *questionHandlers) apiList(c *fiber.Ctx) error {
	m := membership(c)
	list, err := h.svc.List(c.UserContext(), m)
	if err != nil {
		return err
	}
	p, err := h.svc.CurrentPause(c.UserContext(), m)
	if err != nil {
		return err
	}
	out := make([]questionJSON, 0, len(list))
	for i := range list {
		out = append(out, toQuestionJSON(&list[i]))
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"questions": out, "pause": toQuestionPauseJSON(p, m.Me.UserID)})
}

type questionTextBody struct {
	Text      string `json:"text"`
	WaitUntil string `json:"wait_until"`
}

func (h *questionHandlers) apiAsk(c *fiber.Ctx) error {
	var b questionTextBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	v, err := h.svc.Ask(c.UserContext(), membership(c), b.Text, b.WaitUntil)
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusCreated, fiber.Map{"question": toQuestionJSON(v)})
}

func (h *questionHandlers) apiAnswer(c *fiber.Ctx) error {
	var b questionTextBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	v, err := h.svc.Answer(c.UserContext(), membership(c), c.Params("id"), b.Text)
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusCreated, fiber.Map{"question": toQuestionJSON(v)})
}

func (h *questionHandlers) apiFollowUp(c *fiber.Ctx) error {
	var b questionTextBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	v, err := h.svc.FollowUp(c.UserContext(), membership(c), c.Params("id"), b.Text)
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusCreated, fiber.Map{"question": toQuestionJSON(v)})
}

func (h *questionHandlers) apiPause(c *fiber.Ctx) error {
	var b struct {
		Until string `json:"until"`
		Note  string `json:"note"`
	}
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	until, err := time.Parse(time.RFC3339, b.Until)
	if err != nil {
		return apperr.Fields(map[string]string{"until": "Give a time such as 2026-11-27T21:00:00Z (RFC 3339), within the next week."})
	}
	m := membership(c)
	p, err := h.svc.StartPause(c.UserContext(), m, until, b.Note)
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusCreated, fiber.Map{"pause": toQuestionPauseJSON(p, m.Me.UserID)})
}

func (h *questionHandlers) apiPauseEnd(c *fiber.Ctx) error {
	if err := h.svc.EndPause(c.UserContext(), membership(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
