package server

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/plan"
)

// ackFieldLabels name the acknowledgment's parts on pages.
var ackFieldLabels = map[string]string{
	"what_happened":  "What happened",
	"responsibility": "My responsibility",
	"impact":         "The impact I understand",
	"commitments":    "My commitments to change",
}

type hintView struct {
	Label, Phrase, Message string
}

// ackPageData is what acknowledgment.html and acknowledgment_preview.html show.
type ackPageData struct {
	Section    string
	Page       *plan.AckPage
	Partner    string
	HasPartner bool
	Hints      []hintView
	// HintRules are the rules behind Hints, for the page's script to apply while the person writes.
	HintRules   []plan.HintRule
	Saved       bool
	Shared      bool
	PreviewText plan.AckText
	Version     int
	// Blocking holds what must be filled in before sharing (preview page only).
	Blocking map[string]string
}

func hintViews(hs []plan.Hint) []hintView {
	out := make([]hintView, 0, len(hs))
	for _, h := range hs {
		out = append(out, hintView{Label: ackFieldLabels[h.Field], Phrase: h.Phrase, Message: h.Message})
	}
	return out
}

// ackDraftForm is the user's own acknowledgment as typed, commitments one a line; Action is the button
// that sent it ("preview" goes on to the preview, anything else saves the draft).
type ackDraftForm struct {
	WhatHappened, Responsibility, Impact, Commitments, Action string
	fieldErrors
}

func parseAckDraftForm(c *fiber.Ctx) *ackDraftForm {
	return &ackDraftForm{WhatHappened: c.FormValue("what_happened"), Responsibility: c.FormValue("responsibility"),
		Impact: c.FormValue("impact"), Commitments: c.FormValue("commitments"), Action: c.FormValue("action")}
}

// ackDraftFormOf is the form filled with a saved text.
func ackDraftFormOf(t plan.AckText) *ackDraftForm {
	return &ackDraftForm{WhatHappened: t.WhatHappened, Responsibility: t.Responsibility, Impact: t.Impact,
		Commitments: strings.Join(t.Commitments, "\n")}
}

// text is the acknowledgment the form holds; the service splits the commitments into lines.
func (f *ackDraftForm) text() plan.AckText {
	return plan.AckText{WhatHappened: f.WhatHappened, Responsibility: f.Responsibility, Impact: f.Impact,
		Commitments: []string{f.Commitments}}
}

// ackResponseForm is the answer to the partner's acknowledgment: Status "read" or "need_more", and a note.
type ackResponseForm struct {
	Status, Note string
	fieldErrors
}

func parseAckResponseForm(c *fiber.Ctx) *ackResponseForm {
	return &ackResponseForm{Status: c.FormValue("status"), Note: c.FormValue("note")}
}

// ackShareForm is the preview's form: the version previewed, which is the one shared.
type ackShareForm struct {
	Version string
}

func parseAckShareForm(c *fiber.Ctx) ackShareForm {
	return ackShareForm{Version: c.FormValue("version")}
}

// ackForms are the acknowledgment page's forms that show again after a failed submit.
type ackForms struct {
	Draft    *ackDraftForm
	Response *ackResponseForm
	formSet
}

// ackView loads the page for the request's user with forms in it. A form left nil is new: the draft
// holds the saved text and its hints, the response is empty; a draft given shows the hints of its text.
func (h *ackHandlers) ackView(c *fiber.Ctx, forms *ackForms) (*view, error) {
	m := membership(c)
	p, err := h.svc.Acknowledgment(c.UserContext(), m)
	if err != nil {
		return nil, err
	}
	v := h.newView(c, "Acknowledgment")
	v.Nav = "plan"
	d := &ackPageData{Section: "acknowledgment", Page: p, Partner: partnerName(m), HasPartner: m.Partner != nil,
		Saved: c.Query("saved") == "1", Shared: c.Query("shared") == "1", HintRules: plan.HintRules()}
	if forms == nil {
		forms = &ackForms{}
	}
	if forms.Draft != nil {
		d.Hints = hintViews(plan.Hints(forms.Draft.text()))
	} else {
		forms.Draft = &ackDraftForm{}
		if p.Mine != nil {
			forms.Draft = ackDraftFormOf(p.Mine.Text)
		}
		d.Hints = hintViews(p.Hints)
	}
	if forms.Response == nil {
		forms.Response = &ackResponseForm{}
	}
	v.Form = forms
	v.Data = d
	return v, nil
}

func (h *ackHandlers) ackPage(c *fiber.Ctx) error {
	v, err := h.ackView(c, nil)
	if err != nil {
		return err
	}
	h.markSeen(c, "/acknowledgment")
	return h.render(c, "acknowledgment", v)
}

func (h *ackHandlers) ackSubmit(c *fiber.Ctx) error {
	form := parseAckDraftForm(c)
	_, err := h.svc.SaveAcknowledgment(c.UserContext(), membership(c), form.text(), false)
	if apperr.Is(err, apperr.Invalid) {
		v, verr := h.ackView(c, &ackForms{Draft: form, formSet: formSet{posted: form}})
		if verr != nil {
			return verr
		}
		return h.renderForm(c, "acknowledgment", v, err)
	}
	if err != nil {
		return err
	}
	if form.Action == "preview" {
		return c.Redirect("/acknowledgment/preview", fiber.StatusSeeOther)
	}
	return c.Redirect("/acknowledgment?saved=1#mine", fiber.StatusSeeOther)
}
func (h *ackHandlers) ackPreviewPage(c *fiber.Ctx) error {
	v, err := h.ackView(c, nil)
	if err != nil {
		return err
	}
	d := v.Data.(*ackPageData)
	mine := d.Page.Mine
	if mine == nil {
		return c.Redirect("/acknowledgment", fiber.StatusSeeOther)
	}
	v.Title = "Preview"
	d.PreviewText, d.Version = mine.Text, mine.Version
	if e := apperr.As(plan.CheckShareable(mine.Text)); e != nil {
		d.Blocking = map[string]string{}
		for k, msg := range e.Fields {
			d.Blocking[ackFieldLabels[k]] = msg
		}
	}
	return h.render(c, "acknowledgment_preview", v)
}

func (h *ackHandlers) ackShareSubmit(c *fiber.Ctx) error {
	form := parseAckShareForm(c)
	n, err := strconv.Atoi(form.Version)
	if err != nil {
		return apperr.New(apperr.Invalid, "That preview could not be read. Go back and preview again.")
	}
	if _, err := h.svc.ShareVersion(c.UserContext(), membership(c), n); err != nil {
		return err
	}
	return c.Redirect("/acknowledgment?shared=1#mine", fiber.StatusSeeOther)
}

func (h *ackHandlers) ackResponseSubmit(c *fiber.Ctx) error {
	form := parseAckResponseForm(c)
	_, err := h.svc.Respond(c.UserContext(), membership(c), form.Status, form.Note)
	if apperr.Is(err, apperr.Invalid) {
		v, verr := h.ackView(c, &ackForms{Response: form, formSet: formSet{posted: form}})
		if verr != nil {
			return verr
		}
		return h.renderForm(c, "acknowledgment", v, err)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/acknowledgment#partner", fiber.StatusSeeOther)
}
