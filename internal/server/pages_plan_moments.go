package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/plan"
)

// momentsPageData is what moments.html shows.
type momentsPageData struct {
	Section    string
	Moments    []momentView
	Kinds      []option
	Partner    string
	HasPartner bool
	Today      string
	Saved      bool
}

type momentView struct {
	plan.Moment
	KindLabel string
	Mine      bool
}

// momentForm is the "Note a moment" form.
type momentForm struct {
	Kind, On, Note, Shared string
	fieldErrors
}

func parseMomentForm(c *fiber.Ctx) *momentForm {
	return &momentForm{Kind: c.FormValue("kind"), On: c.FormValue("on"), Note: c.FormValue("note"), Shared: c.FormValue("shared")}
}

func (f *momentForm) input() plan.MomentInput {
	return plan.MomentInput{Kind: f.Kind, On: f.On, Note: f.Note, Shared: checked(f.Shared)}
}

// momentsView is the moments page with form in it (nil: a new, empty form).
func (h *momentHandlers) momentsView(c *fiber.Ctx, form *momentForm) (*view, error) {
	m := membership(c)
	sc := planScope(m)
	list, err := h.svc.Moments(c.UserContext(), sc)
	if err != nil {
		return nil, err
	}
	d := &momentsPageData{Section: "moments", Partner: partnerName(m), HasPartner: m.Partner != nil, Today: h.svc.Today(sc),
		Saved: c.Query("saved") == "1"}
	for _, k := range plan.MomentKinds {
		d.Kinds = append(d.Kinds, option{k.Key, k.Label})
	}
	for _, x := range list {
		d.Moments = append(d.Moments, momentView{Moment: x, KindLabel: plan.MomentKindLabel(x.Kind), Mine: x.Mine(m.Me.UserID)})
	}
	if form == nil {
		form = &momentForm{Kind: "kindness", On: d.Today}
	}
	v := h.newView(c, "Moments")
	v.Nav = "plan"
	v.Form = form
	v.Data = d
	return v, nil
}

func (h *momentHandlers) momentsPage(c *fiber.Ctx) error {
	v, err := h.momentsView(c, nil)
	if err != nil {
		return err
	}
	return h.render(c, "moments", v)
}

func (h *momentHandlers) momentAddSubmit(c *fiber.Ctx) error {
	form := parseMomentForm(c)
	_, err := h.svc.AddMoment(c.UserContext(), planScope(membership(c)), form.input())
	if apperr.Is(err, apperr.Invalid) {
		v, verr := h.momentsView(c, form)
		if verr != nil {
			return verr
		}
		return h.renderForm(c, "moments", v, err)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/moments?saved=1", fiber.StatusSeeOther)
}

func (h *momentHandlers) momentShareSubmit(c *fiber.Ctx) error {
	if _, err := h.svc.ShareMoment(c.UserContext(), planScope(membership(c)), c.Params("id")); err != nil {
		return err
	}
	return c.Redirect("/moments", fiber.StatusSeeOther)
}

func (h *momentHandlers) momentDeleteSubmit(c *fiber.Ctx) error {
	if err := h.svc.DeleteMoment(c.UserContext(), planScope(membership(c)), c.Params("id")); err != nil {
		return err
	}
	return c.Redirect("/moments", fiber.StatusSeeOther)
}
