package server

import (
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

// coupleView builds the view of /couple: settings from the couple, or the user's input when re-shown.
func (h *coupleHandlers) coupleView(c *fiber.Ctx) (*view, *couplePageData, error) {
	v := h.newView(c, "Couple")
	v.Nav = "couple"
	m := v.Membership
	v.Form = map[string]string{"timezone": "", "checkin_weekday": "sunday", "role": ""}
	d := &couplePageData{Weekdays: weekdayOptions(), Roles: roleOptions()}
	if m != nil {
		v.values()["timezone"] = m.Couple.Timezone
		v.values()["checkin_weekday"] = weekdayName(m.Couple.CheckinWeekday)
		v.values()["role"] = m.Me.Role
		d.Weekday = time.Weekday(m.Couple.CheckinWeekday).String()
		if err := h.loadInvite(c, m, d); err != nil {
			return nil, nil, err
		}
	} else {
		v.values()["timezone"] = "UTC"
		d.ZoneDefault = c.Method() != fiber.MethodPost || c.FormValue("timezone") == ""
		hist, err := h.svc.History(c.UserContext(), auth.CurrentUser(c).ID)
		if err != nil {
			return nil, nil, err
		}
		if len(hist) > 0 {
			d.Ended = &hist[0]
		}
	}
	for _, k := range []string{"timezone", "checkin_weekday", "role"} {
		if val := c.FormValue(k); c.Method() == fiber.MethodPost && val != "" {
			v.values()[k] = val
		}
	}
	d.Zones = couple.ZoneChoices(v.values()["timezone"])
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

func (s *Server) setInviteCookie(c *fiber.Ctx, plain string) {
	c.Cookie(&fiber.Cookie{Name: inviteCookie, Value: plain, Path: "/", MaxAge: int(inviteCookieAge.Seconds()),
		HTTPOnly: true, Secure: s.cfg.Secure(), SameSite: fiber.CookieSameSiteLaxMode})
}

func (s *Server) clearInviteCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: inviteCookie, Value: "", Path: "/", MaxAge: -1, Expires: time.Unix(0, 0),
		HTTPOnly: true, Secure: s.cfg.Secure(), SameSite: fiber.CookieSameSiteLaxMode})
}

func (h *coupleHandlers) couplePage(c *fiber.Ctx) error {
	v, d, err := h.coupleView(c)
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
	cp, err := h.svc.Start(c.UserContext(), u.ID, c.FormValue("timezone"), c.FormValue("checkin_weekday"))
	if err != nil {
		return h.coupleFormError(c, err)
	}
	plain, _, err := h.svc.CreateInvite(c.UserContext(), cp.ID, u.ID)
	if err != nil {
		return err
	}
	h.setInviteCookie(c, plain)
	return c.Redirect("/couple", fiber.StatusSeeOther)
}

func (h *coupleHandlers) coupleFormError(c *fiber.Ctx, err error) error {
	if apperr.As(err) == nil {
		return err
	}
	if _, merr := h.reloadMembership(c); merr != nil {
		return merr
	}
	v, _, verr := h.coupleView(c)
	if verr != nil {
		return verr
	}
	return h.renderForm(c, "couple", v, err)
}

func (h *coupleHandlers) coupleSettingsSubmit(c *fiber.Ctx) error {
	m := membership(c)
	if err := h.svc.UpdateSettings(c.UserContext(), m.Couple.ID, c.FormValue("timezone"), c.FormValue("checkin_weekday")); err != nil {
		return h.coupleFormError(c, err)
	}
	return c.Redirect("/couple?saved=settings", fiber.StatusSeeOther)
}

func (h *coupleHandlers) coupleRoleSubmit(c *fiber.Ctx) error {
	m := membership(c)
	if err := h.svc.SetRole(c.UserContext(), m.Couple.ID, m.Me.UserID, c.FormValue("role")); err != nil {
		return h.coupleFormError(c, err)
	}
	return c.Redirect("/couple?saved=role", fiber.StatusSeeOther)
}

func (h *coupleHandlers) coupleInviteSubmit(c *fiber.Ctx) error {
	m := membership(c)
	plain, _, err := h.svc.CreateInvite(c.UserContext(), m.Couple.ID, m.Me.UserID)
	if err != nil {
		return h.coupleFormError(c, err)
	}
	h.setInviteCookie(c, plain)
	return c.Redirect("/couple#invite", fiber.StatusSeeOther)
}

func (h *coupleHandlers) coupleLeaveSubmit(c *fiber.Ctx) error {
	if c.FormValue("confirm") == "" {
		return h.coupleFormError(c, apperr.Fields(map[string]string{"confirm": "Tick the box to confirm that the couple ends for both of you."}))
	}
	if err := h.leaveCouple(c); err != nil {
		return h.coupleFormError(c, err)
	}
	h.clearInviteCookie(c)
	return c.Redirect("/dashboard", fiber.StatusSeeOther)
}
