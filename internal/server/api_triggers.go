package server

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/trigger"
)

// triggerJSON is a trigger as its author sees it; nobody else ever gets one.
type triggerJSON struct {
	ID        string          `json:"id"`
	At        string          `json:"at"`
	What      string          `json:"what"`
	Strength  int             `json:"strength"`
	Helped    string          `json:"helped"`
	CreatedAt string          `json:"created_at"`
	UpdatedAt string          `json:"updated_at"`
	Signal    *sentSignalJSON `json:"signal"`
}

// sentSignalJSON is what the author sees of their own signal: when, whether the text went with it, and
// the responses.
type sentSignalJSON struct {
	ID        string               `json:"id"`
	At        string               `json:"at"`
	Text      *string              `json:"text"`
	Responses []signalResponseJSON `json:"responses"`
}

// signalJSON is a signal as the partner who received it sees it: the text only when it was shared.
type signalJSON struct {
	ID        string               `json:"id"`
	At        string               `json:"at"`
	Message   string               `json:"message"`
	Text      *string              `json:"text,omitempty"`
	Responses []signalResponseJSON `json:"responses"`
}

type signalResponseJSON struct {
	ID       string  `json:"id"`
	SignalID *string `json:"signal_id"`
	Kind     string  `json:"kind"`
	Text     string  `json:"text"`
	By       string  `json:"by"`
	At       string  `json:"at"`
}

func toSignalResponseJSON(r trigger.Response) signalResponseJSON {
	return signalResponseJSON{ID: r.ID, SignalID: r.SignalID, Kind: r.Kind, Text: r.Text, By: r.ResponderID, At: rfc3339(r.CreatedAt)}
}

func responsesJSON(list []trigger.Response) []signalResponseJSON {
	out := make([]signalResponseJSON, 0, len(list))
	for _, r := range list {
		out = append(out, toSignalResponseJSON(r))
	}
	return out
}

func toTriggerJSON(e *trigger.Entry) triggerJSON {
	out := triggerJSON{ID: e.ID, At: rfc3339(e.At), What: e.What, Strength: e.Strength, Helped: e.Helped,
		CreatedAt: rfc3339(e.CreatedAt), UpdatedAt: rfc3339(e.UpdatedAt)}
	if e.Signal != nil {
		out.Signal = &sentSignalJSON{ID: e.Signal.ID, At: rfc3339(e.Signal.CreatedAt), Text: e.Signal.Text, Responses: responsesJSON(e.Responses)}
	}
	return out
}

func toSignalJSON(r *trigger.Received) signalJSON {
	return signalJSON{ID: r.ID, At: rfc3339(r.CreatedAt), Message: trigger.SignalMessage, Text: r.Text, Responses: responsesJSON(r.Responses)}
}

// triggerBody is the body of POST /triggers and PATCH /triggers/{id}; only these fields are read.
type triggerBody struct {
	At       *string `json:"at"`
	What     *string `json:"what"`
	Strength *int    `json:"strength"`
	Helped   *string `json:"helped"`
}

// when parses the body's at (RFC 3339); nil when it was not sent.
func (b triggerBody) when() (*time.Time, error) {
	if b.At == nil {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, *b.At)
	if err != nil {
		return nil, apperr.Fields(map[string]string{"at": "Give a time such as 2026-11-25T21:30:00Z (RFC 3339)."})
	}
	return &t, nil
}

func (h *triggerHandlers) apiList(c *fiber.Ctx) error {
	list, err := h.svc.List(c.UserContext(), membership(c))
	if err != nil {
		return err
	}
	out := make([]triggerJSON, 0, len(list))
	for i := range list {
		out = append(out, toTriggerJSON(&list[i]))
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"triggers": out})
}

func (h *triggerHandlers) apiCreate(c *fiber.Ctx) error {
	var b triggerBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	at, err := b.when()
	if err != nil {
		return err
	}
	in := trigger.Input{What: strOr(b.What, ""), Strength: b.Strength, Helped: strOr(b.Helped, "")}
	if at != nil {
		in.At = *at
	}
	e, err := h.svc.Create(c.UserContext(), membership(c), in)
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusCreated, fiber.Map{"trigger": toTriggerJSON(e)})
}

func (h *triggerHandlers) apiPatch(c *fiber.Ctx) error {
	var b triggerBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	at, err := b.when()
	if err != nil {
		return err
	}
	e, err := h.svc.Update(c.UserContext(), membership(c), c.Params("id"), trigger.Patch{At: at, What: b.What, Strength: b.Strength, Helped: b.Helped})
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"trigger": toTriggerJSON(e)})
}

func (h *triggerHandlers) apiDelete(c *fiber.Ctx) error {
	if err := h.svc.Delete(c.UserContext(), membership(c), c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *triggerHandlers) apiSignal(c *fiber.Ctx) error {
	var b struct {
		IncludeText bool `json:"include_text"`
	}
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	e, err := h.svc.Signal(c.UserContext(), membership(c), c.Params("id"), b.IncludeText)
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"trigger": toTriggerJSON(e)})
}

func (h *triggerHandlers) apiSignals(c *fiber.Ctx) error {
	list, err := h.svc.Received(c.UserContext(), membership(c))
	if err != nil {
		return err
	}
	out := make([]signalJSON, 0, len(list))
	for i := range list {
		out = append(out, toSignalJSON(&list[i]))
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"signals": out})
}

func (h *triggerHandlers) apiRespond(c *fiber.Ctx) error {
	var b struct {
		Kind string `json:"kind"`
		Text string `json:"text"`
	}
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	r, err := h.svc.Respond(c.UserContext(), membership(c), c.Params("id"), b.Kind, b.Text)
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusCreated, fiber.Map{"response": toSignalResponseJSON(*r)})
}
