package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/apperr"
)

// editForm fills the form data for editing a on top of its latest version.
func (h *agreementHandlers) editForm(c *fiber.Ctx, a *agreement.View) agreementForm {
	form := h.newForm(c)
	form.ID = a.ID
	form.Action = "/agreements/" + a.ID + "/edit"
	form.Keep = "agreement-" + a.ID
	form.Number, form.Next = a.Current.Number, a.Current.Number+1
	return form
}

func (h *agreementHandlers) editPage(c *fiber.Ctx) error {
	a, err := h.svc.Get(c.UserContext(), membership(c), c.Params("id"))
	if err != nil {
		return err
	}
	form := h.editForm(c, a)
	in := agreement.Input{Title: a.Current.Title, Body: a.Current.Body, Category: a.Current.Category, ReviewOn: a.ReviewOn}
	if in.ReviewOn <= form.Today {
		in.ReviewOn = agreement.AddMonths(form.Today, 3)
	}
	if a.Current.EndsOn != nil {
		in.EndsOn = *a.Current.EndsOn
		if in.EndsOn <= form.Today {
			in.EndsOn = agreement.AddMonths(form.Today, 3)
		}
	}
	v := h.agreementView(c)
	v.Form = formOf(in)
	v.values()["base_version"] = strconv.Itoa(a.Current.Number)
	v.Data = form
	return h.render(c, "agreement_edit", v)
}

// editSubmit proposes the next version. A stale base shows the conflict page: the latest version and,
// beside it, everything the person typed, ready to be proposed on top of the latest version.
func (h *agreementHandlers) editSubmit(c *fiber.Ctx) error {
	sc := membership(c)
	id := c.Params("id")
	in := formInput(c)
	base, perr := strconv.Atoi(c.FormValue("base_version"))
	if perr != nil {
		base = -1
	}
	_, err := h.svc.Edit(c.UserContext(), sc, id, base, in)
	if err == nil {
		return c.Redirect("/agreements/"+id+"?saved=edit", fiber.StatusSeeOther)
	}
	e := apperr.As(err)
	if e == nil || (e.Kind != apperr.Invalid && e.Kind != apperr.Conflict) {
		return err
	}
	a, gerr := h.svc.Get(c.UserContext(), sc, id)
	if gerr != nil {
		return gerr
	}
	v := h.agreementView(c)
	v.Form = formOf(in)
	v.values()["base_version"] = c.FormValue("base_version")
	form := h.editForm(c, a)
	page := "agreement_edit"
	if e.Kind == apperr.Conflict {
		page = "agreement_conflict"
		cur := a.Current
		form.Theirs = &theirVersion{Number: cur.Number, Who: whoName(c, cur.AuthorID), Title: cur.Title, Body: cur.Body,
			Category: agreement.CategoryLabels[cur.Category], ReviewOn: humanDate(cur.ReviewOn)}
		if cur.EndsOn != nil {
			form.Theirs.EndsOn = humanDate(*cur.EndsOn)
		}
		v.values()["base_version"] = strconv.Itoa(a.Current.Number)
		e = apperr.New(apperr.Conflict, "A new version was proposed while you were writing. Nothing you typed is lost.")
	}
	v.Data = form
	return h.renderForm(c, page, v, e)
}
