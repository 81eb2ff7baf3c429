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
	Section     string
	Page        *plan.AckPage
	Partner     string
	HasPartner  bool
	Hints       []hintView
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

func ackForm(t plan.AckText) map[string]string {
	return map[string]string{"what_happened": t.WhatHappened, "responsibility": t.Responsibility, "impact": t.Impact,
		"commitments": strings.Join(t.Commitments, "\n")}
}

// ackView loads the page for the request's user; form, when set, replaces the saved draft's text.
func (h *ackHandlers) ackView(c *fiber.Ctx, form map[string]string) (*view, error) {
	m := membership(c)
	p, err := h.svc.Acknowledgment(c.UserContext(), m)
	if err != nil {
		return nil, err
	}
	v := h.newView(c, "Acknowledgment")
	v.Nav = "plan"
	d := &ackPageData{Section: "acknowledgment", Page: p, Partner: partnerName(m), HasPartner: m.Partner != nil,
		Saved: c.Query("saved") == "1", Shared: c.Query("shared") == "1"}
	if form != nil {
		v.Form = form
		d.Hints = hintViews(plan.Hints(ackTextOf(form)))
	} else {
		v.Form = map[string]string{}
		if p.Mine != nil {
			v.Form = ackForm(p.Mine.Text)
		}
		d.Hints = hintViews(p.Hints)
	}
	v.Data = d
	return v, nil
}

func ackTextOf(form map[string]string) plan.AckText {
	return plan.AckText{WhatHappened: form["what_happened"], Responsibility: form["responsibility"], Impact: form["impact"],
		Commitments: []string{form["commitments"]}}
}

func (h *ackHandlers) ackPage(c *fiber.Ctx) error {
	v, err := h.ackView(c, nil)
	if err != nil {
		return err
	}
	return h.render(c, "acknowledgment", v)
}

func (h *ackHandlers) ackSubmit(c *fiber.Ctx) error {
	form := map[string]string{}
	for k := range ackFieldLabels {
		form[k] = c.FormValue(k)
	}
	_, err := h.svc.SaveAcknowledgment(c.UserContext(), membership(c), ackTextOf(form), false)
	if apperr.Is(err, apperr.Invalid) {
		v, verr := h.ackView(c, form)
		if verr != nil {
			return verr
		}
		return h.renderForm(c, "acknowledgment", v, err)
	}
	if err != nil {
		return err
	}
	if c.FormValue("action") == "preview" {
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
	n, err := strconv.Atoi(c.FormValue("version"))
	if err != nil {
		return apperr.New(apperr.Invalid, "That preview could not be read. Go back and preview again.")
	}
	if _, err := h.svc.ShareVersion(c.UserContext(), membership(c), n); err != nil {
		return err
	}
	return c.Redirect("/acknowledgment?shared=1#mine", fiber.StatusSeeOther)
}

func (h *ackHandlers) ackResponseSubmit(c *fiber.Ctx) error {
	_, err := h.svc.Respond(c.UserContext(), membership(c), c.FormValue("status"), c.FormValue("note"))
	if apperr.Is(err, apperr.Invalid) {
		v, verr := h.ackView(c, nil)
		if verr != nil {
			return verr
		}
		v.values()["status"], v.values()["note"] = c.FormValue("status"), c.FormValue("note")
		return h.renderForm(c, "acknowledgment", v, err)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/acknowledgment#partner", fiber.StatusSeeOther)
}
