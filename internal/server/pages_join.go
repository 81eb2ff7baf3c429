package server

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/auth"
	"github.com/mendhq/mend/internal/couple"
)

// joinData is what join.html shows. State is a couple.Invite* state, or one of "member" (already in this
// couple) and "in_other" (in another couple: leave it first).
type joinData struct {
	State       string
	InvitedBy   string
	RegisterURL string
	LoginURL    string
}

// joinForm is the "Join" form of a usable invite link: the invite secret, in a hidden field.
type joinForm struct {
	Token string
	fieldErrors
}

func parseJoinForm(c *fiber.Ctx) *joinForm {
	return &joinForm{Token: strings.TrimSpace(c.FormValue("token"))}
}

// joinView looks the invite in form up and decides what the visitor is told. It never changes anything
// (D1).
func (h *coupleHandlers) joinView(c *fiber.Ctx, form *joinForm) (*view, error) {
	v := h.newView(c, "Invitation")
	v.Form = form
	plain := form.Token
	info, err := h.svc.LookupInvite(c.UserContext(), plain)
	if err != nil {
		return nil, err
	}
	d := &joinData{State: info.State}
	u := auth.CurrentUser(c)
	m := membership(c)
	switch {
	case m != nil && info.CoupleID != "" && m.Couple.ID == info.CoupleID:
		d.State = "member"
	case info.State == couple.InviteValid && m != nil:
		d.State = "in_other"
	case info.State == couple.InviteValid:
		// Only a usable link names who made it.
		d.InvitedBy = info.InvitedBy
	}
	if u == nil && d.State == couple.InviteValid {
		next := "/join/" + url.PathEscape(plain)
		d.RegisterURL = "/register?next=" + url.QueryEscape(next) + "&invite=" + url.QueryEscape(plain)
		d.LoginURL = "/login?next=" + url.QueryEscape(next)
	}
	v.Data = d
	return v, nil
}

// joinPage is the public landing page of an invite link: every outcome is a clear page, never an error.
func (h *coupleHandlers) joinPage(c *fiber.Ctx) error {
	v, err := h.joinView(c, &joinForm{Token: strings.TrimSpace(c.Params("token"))})
	if err != nil {
		return err
	}
	c.Set("X-Robots-Tag", "noindex")
	return h.render(c, "join", v)
}

// coupleJoinSubmit joins the couple of the invite in the form's token field.
func (h *coupleHandlers) coupleJoinSubmit(c *fiber.Ctx) error {
	form := parseJoinForm(c)
	u := auth.CurrentUser(c)
	if _, err := h.svc.Join(c.UserContext(), u.ID, form.Token); err != nil {
		v, verr := h.joinView(c, form)
		if verr != nil {
			return verr
		}
		return h.renderForm(c, "join", v, err)
	}
	h.log.Info("security", "event", "couple_joined", "user_id", u.ID, "request_id", requestID(c))
	return c.Redirect("/dashboard", fiber.StatusSeeOther)
}
