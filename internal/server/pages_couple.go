package server

import (
	"cmp"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/auth"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/token"
)

// inviteCookie keeps a freshly made invite secret in the inviter's own browser for an hour, so the
// link can be shown after a redirect without ever putting it in a URL (SECURITY H5).
const (
	inviteCookie    = "mend_invite"
	inviteCookieAge = time.Hour
)

// couplePageData is what couple.html and dashboard.html show.
type couplePageData struct {
	Zones     []string
	Weekdays  []option
	Roles     []option
	InviteURL string
	Pending   *couple.Invite
	Zone      *time.Location // the couple's, for the invite's expiry
	// ZoneDefault is set on a new couple's form while its time zone is the default (UTC): app.js then
	// chooses the browser's time zone instead.
	ZoneDefault bool
	Ended       *couple.Past
	Weekday     string
	// Saved names the form just saved ("settings" or "role").
	Saved string
}

var roleOrder = []string{"", "hurt", "broke_trust", "prefer_not"}

func weekdayOptions() []option {
	var out []option
	for i := 1; i <= 7; i++ {
		d := couple.Weekdays[i%7]
		out = append(out, option{Value: d, Label: time.Weekday(i % 7).String()})
	}
	return out
}

func roleOptions() []option {
	var out []option
	for _, r := range roleOrder {
		out = append(out, option{Value: r, Label: couple.Roles[r]})
	}
	return out
}

// coupleSettingsForm is the couple's settings form and, without a couple, the form that starts one (the
// same two fields).
type coupleSettingsForm struct {
	Timezone, CheckinWeekday string
	fieldErrors
}

func parseCoupleSettingsForm(c *fiber.Ctx) *coupleSettingsForm {
	return &coupleSettingsForm{Timezone: c.FormValue("timezone"), CheckinWeekday: c.FormValue("checkin_weekday")}
}

// roleForm is the "your part in what happened" form; "" is a choice of its own (not said).
type roleForm struct {
	Role string
	fieldErrors
}

func parseRoleForm(c *fiber.Ctx) *roleForm { return &roleForm{Role: c.FormValue("role")} }

// leaveForm is the form that leaves the couple: the confirmation tick ("yes" when ticked).
type leaveForm struct {
	Confirm string
	fieldErrors
}

func parseLeaveForm(c *fiber.Ctx) *leaveForm { return &leaveForm{Confirm: c.FormValue("confirm")} }

// coupleForms are the forms of /couple with inputs of their own (the invite button has none). After a
// failed submit, the form it came from holds what was chosen and its errors; a nil one shows the couple's
// saved settings and role.
type coupleForms struct {
	Settings *coupleSettingsForm
	Role     *roleForm
	Leave    *leaveForm
}

// coupleView builds the view of /couple with forms in it.
func (h *coupleHandlers) coupleView(c *fiber.Ctx, forms coupleForms) (*view, *couplePageData, error) {
	v := h.newView(c, "Couple")
	v.Nav = "couple"
	m := v.Membership
	d := &couplePageData{Weekdays: weekdayOptions(), Roles: roleOptions()}
	if m != nil {
		if forms.Settings == nil {
			forms.Settings = &coupleSettingsForm{Timezone: m.Couple.Timezone, CheckinWeekday: weekdayName(m.Couple.CheckinWeekday)}
		}
		if forms.Role == nil {
			forms.Role = &roleForm{Role: m.Me.Role}
		}
		d.Weekday = time.Weekday(m.Couple.CheckinWeekday).String()
		if err := h.loadInvite(c, m, d); err != nil {
			return nil, nil, err
		}
	} else {
		// A new couple's form starts on UTC and Sunday, and a choice left empty stays on them: the page
		// says UTC is chosen unless another is picked (app.js then offers the browser's zone).
		if forms.Settings == nil {
			forms.Settings = &coupleSettingsForm{}
		}
		d.ZoneDefault = forms.Settings.Timezone == ""
		forms.Settings.Timezone = cmp.Or(forms.Settings.Timezone, "UTC")
		forms.Settings.CheckinWeekday = cmp.Or(forms.Settings.CheckinWeekday, "sunday")
		hist, err := h.svc.History(c.UserContext(), auth.CurrentUser(c).ID)
		if err != nil {
			return nil, nil, err
		}
		if len(hist) > 0 {
			d.Ended = &hist[0]
		}
	}
	if forms.Role == nil {
		forms.Role = &roleForm{}
	}
	if forms.Leave == nil {
		forms.Leave = &leaveForm{}
	}
	d.Zones = couple.ZoneChoices(forms.Settings.Timezone)
	v.Form = &forms
	v.Data = d
	return v, d, nil
}

// loadInvite finds the couple's open invite and, when this browser made it, its link.
func (h *coupleHandlers) loadInvite(c *fiber.Ctx, m *couple.Membership, d *couplePageData) error {
	if m.Partner != nil {
		return nil
	}
	inv, err := h.svc.PendingInvite(c.UserContext(), m.Couple.ID)
	if err != nil {
		return err
	}
	d.Pending, d.Zone = inv, m.Location
	if plain := c.Cookies(inviteCookie); inv != nil && plain != "" && len(plain) <= 200 && token.Hash(plain) == inv.TokenHash {
		d.InviteURL = h.inviteURL(plain)
	}
	return nil
}

// setInviteCookie keeps a new invite's secret in this browser (inviteCookie). It and clearInviteCookie
// are the Server's, not the couple handlers': deleting an account clears the cookie too.
func (s *Server) setInviteCookie(c *fiber.Ctx, plain string) {
	c.Cookie(&fiber.Cookie{Name: inviteCookie, Value: plain, Path: "/", MaxAge: int(inviteCookieAge.Seconds()),
		HTTPOnly: true, Secure: s.cfg.Secure(), SameSite: fiber.CookieSameSiteLaxMode})
}

// clearInviteCookie removes the invite secret from this browser (leaving the couple, deleting the account).
func (s *Server) clearInviteCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: inviteCookie, Value: "", Path: "/", MaxAge: -1, Expires: time.Unix(0, 0),
		HTTPOnly: true, Secure: s.cfg.Secure(), SameSite: fiber.CookieSameSiteLaxMode})
}

func (h *coupleHandlers) couplePage(c *fiber.Ctx) error {
	v, d, err := h.coupleView(c, coupleForms{})
	if err != nil {
		return err
	}
	if saved := c.Query("saved"); saved == "settings" || saved == "role" {
		d.Saved = saved
	}
	return h.render(c, "couple", v)
}

// coupleStartSubmit starts a couple and makes its first invite link straight away.
func (h *coupleHandlers) coupleStartSubmit(c *fiber.Ctx) error {
	u := auth.CurrentUser(c)
	form := parseCoupleSettingsForm(c)
	cp, err := h.svc.Start(c.UserContext(), u.ID, form.Timezone, form.CheckinWeekday)
	if err != nil {
		return h.coupleFormError(c, coupleForms{Settings: form}, form, err)
	}
	plain, _, err := h.svc.CreateInvite(c.UserContext(), cp.ID, u.ID)
	if err != nil {
		return err
	}
	h.setInviteCookie(c, plain)
	return c.Redirect("/couple", fiber.StatusSeeOther)
}

// coupleFormError shows /couple again after a submit was refused with err: the field errors on failed,
// the form it came from (one of forms, or nil for the invite button), and what was chosen kept (422). An
// error that is not the user's passes through.
func (h *coupleHandlers) coupleFormError(c *fiber.Ctx, forms coupleForms, failed typedForm, err error) error {
	e := apperr.As(err)
	if e == nil {
		return err
	}
	if _, merr := h.reloadMembership(c); merr != nil {
		return merr
	}
	v, _, verr := h.coupleView(c, forms)
	if verr != nil {
		return verr
	}
	if failed != nil {
		failed.setFieldErrors(e.Fields)
	}
	return h.renderForm(c, "couple", v, err)
}

func (h *coupleHandlers) coupleSettingsSubmit(c *fiber.Ctx) error {
	m := membership(c)
	form := parseCoupleSettingsForm(c)
	if err := h.svc.UpdateSettings(c.UserContext(), m.Couple.ID, form.Timezone, form.CheckinWeekday); err != nil {
		return h.coupleFormError(c, coupleForms{Settings: form}, form, err)
	}
	return c.Redirect("/couple?saved=settings", fiber.StatusSeeOther)
}

func (h *coupleHandlers) coupleRoleSubmit(c *fiber.Ctx) error {
	m := membership(c)
	form := parseRoleForm(c)
	if err := h.svc.SetRole(c.UserContext(), m.Couple.ID, m.Me.UserID, form.Role); err != nil {
		return h.coupleFormError(c, coupleForms{Role: form}, form, err)
	}
	return c.Redirect("/couple?saved=role", fiber.StatusSeeOther)
}

func (h *coupleHandlers) coupleInviteSubmit(c *fiber.Ctx) error {
	m := membership(c)
	plain, _, err := h.svc.CreateInvite(c.UserContext(), m.Couple.ID, m.Me.UserID)
	if err != nil {
		return h.coupleFormError(c, coupleForms{}, nil, err)
	}
	h.setInviteCookie(c, plain)
	return c.Redirect("/couple#invite", fiber.StatusSeeOther)
}

func (h *coupleHandlers) coupleLeaveSubmit(c *fiber.Ctx) error {
	form := parseLeaveForm(c)
	if form.Confirm == "" {
		err := apperr.Fields(map[string]string{"confirm": "Tick the box to confirm that the couple ends for both of you."})
		return h.coupleFormError(c, coupleForms{Leave: form}, form, err)
	}
	if err := h.leaveCouple(c); err != nil {
		return h.coupleFormError(c, coupleForms{Leave: form}, form, err)
	}
	h.clearInviteCookie(c)
	return c.Redirect("/dashboard", fiber.StatusSeeOther)
}
