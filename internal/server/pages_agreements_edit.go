package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
)

// theirVersion is the latest version as the conflict page shows it.
type theirVersion struct {
	Number                               int
	Who, Title, Body, Category, ReviewOn string
	EndsOn                               string
}

// editAgreementPage fills the page data for editing a on top of its latest version.
func (h *agreementHandlers) editAgreementPage(c *fiber.Ctx, a *agreement.View) agreementPage {
	page := h.newAgreementPage(c)
	page.ID = a.ID
	page.Action = "/agreements/" + a.ID + "/edit"
	page.Keep = "agreement-" + a.ID
	page.Number, page.Next = a.Current.Number, a.Current.Number+1
	return page
}

func (h *agreementHandlers) editPage(c *fiber.Ctx) error {
	a, err := h.svc.Get(c.UserContext(), membership(c), c.Params("id"))
	if err != nil {
		return err
	}
	page := h.editAgreementPage(c, a)
	in := agreement.Input{Title: a.Current.Title, Body: a.Current.Body, Category: a.Current.Category, ReviewOn: a.ReviewOn}
	if in.ReviewOn <= page.Today {
		in.ReviewOn = agreement.AddMonths(page.Today, 3)
	}
	if a.Current.EndsOn != nil {
		in.EndsOn = *a.Current.EndsOn
		if in.EndsOn <= page.Today {
			in.EndsOn = agreement.AddMonths(page.Today, 3)
		}
	}
	form := agreementFormOf(in)
	form.BaseVersion = strconv.Itoa(a.Current.Number)
	v := h.agreementView(c)
	v.Form = form
	v.Data = page
	return h.render(c, "agreement_edit", v)
}

// editSubmit proposes the next version. A stale base shows the conflict page: the latest version and,
// beside it, everything the person typed, ready to be proposed on top of the latest version.
func (h *agreementHandlers) editSubmit(c *fiber.Ctx) error {
	sc := membership(c)
	id := c.Params("id")
	form := parseAgreementForm(c)
	_, err := h.svc.Edit(c.UserContext(), sc, id, versionNumber(form.BaseVersion), form.input())
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
	v.Form = form
	page := h.editAgreementPage(c, a)
	name := "agreement_edit"
	if e.Kind == apperr.Conflict {
		name = "agreement_conflict"
		page.Theirs = theirVersionOf(sc, &a.Current)
		form.BaseVersion = strconv.Itoa(a.Current.Number)
		e = apperr.New(apperr.Conflict, "A new version was proposed while you were writing. Nothing you typed is lost.")
	}
	v.Data = page
	return h.renderForm(c, name, v, e)
}

func theirVersionOf(m *couple.Membership, cur *agreement.Version) *theirVersion {
	t := &theirVersion{Number: cur.Number, Who: whoName(m, cur.AuthorID), Title: cur.Title, Body: cur.Body,
		Category: agreement.CategoryLabels[cur.Category], ReviewOn: humanDate(cur.ReviewOn)}
	if cur.EndsOn != nil {
		t.EndsOn = humanDate(*cur.EndsOn)
	}
	return t
}
