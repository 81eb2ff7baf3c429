package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
)

// Active listening from the week page (DESIGN §2.4): the listener says what they heard, its author
// answers "yes, that's it" or "not quite", and the listener may add a line that validates the feeling.

// checkinHeardForm is "What I heard".
type checkinHeardForm struct {
	Heard string
	fieldErrors
}

// checkinReplyForm answers one reflection: its author's response (Accurate "yes" or "no", and what
// they meant) or the listener's validating line.
type checkinReplyForm struct {
	Target   string // the reflection's id
	Accurate string
	Reply    string
	fieldErrors
}

func parseCheckinReplyForm(c *fiber.Ctx) *checkinReplyForm {
	return &checkinReplyForm{Target: c.Params("id"), Accurate: c.FormValue("accurate"), Reply: c.FormValue("reply")}
}

func (h *checkinHandlers) reflectSubmit(c *fiber.Ctx) error {
	form := &checkinHeardForm{Heard: c.FormValue("heard")}
	if _, err := h.svc.Reflect(c.UserContext(), membership(c), c.Params("week"), form.Heard); err != nil {
		return h.showWeekAgain(c, form, renameField(err, "text", "heard"))
	}
	return h.saved(c, "heard")
}

func (h *checkinHandlers) respondSubmit(c *fiber.Ctx) error {
	form := parseCheckinReplyForm(c)
	var err error
	if form.Accurate != "yes" && form.Accurate != "no" {
		err = apperr.Fields(map[string]string{"reply": "Choose \"Yes, that's it\" or \"Not quite\"."})
	} else {
		_, err = h.svc.Respond(c.UserContext(), membership(c), c.Params("week"), form.Target, form.Accurate == "yes", form.Reply)
	}
	if err != nil {
		return h.showWeekAgain(c, form, renameField(err, "note", "reply"))
	}
	return h.saved(c, "response")
}

func (h *checkinHandlers) validateSubmit(c *fiber.Ctx) error {
	form := parseCheckinReplyForm(c)
	if _, err := h.svc.Validate(c.UserContext(), membership(c), c.Params("week"), form.Target, form.Reply); err != nil {
		return h.showWeekAgain(c, form, renameField(err, "text", "reply"))
	}
	return h.saved(c, "validation")
}
