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
func (s *Server) coupleView(c *fiber.Ctx) (*view, *couplePageData, error) {
	v := s.newView(c, "Couple")
	v.Nav = "couple"
	m := v.Membership
	v.Form = map[string]string{"timezone": "", "checkin_weekday": "sunday", "role": ""}
	d := &couplePageData{Weekdays: weekdayOptions(), Roles: roleOptions()}
	if m != nil {
		v.values()["timezone"] = m.Couple.Timezone
		v.values()["checkin_weekday"] = weekdayName(m.Couple.CheckinWeekday)
		v.values()["role"] = m.Me.Role
		d.Weekday = time.Weekday(m.Couple.CheckinWeekday).String()
		if err := s.loadInvite(c, m, d); err != nil {
			return nil, nil, err
		}
	} else {
		v.values()["timezone"] = "UTC"
		d.ZoneDefault = c.Method() != fiber.MethodPost || c.FormValue("timezone") == ""
		hist, err := s.couples.History(c.UserContext(), auth.CurrentUser(c).ID)
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
func (s *Server) loadInvite(c *fiber.Ctx, m *couple.Membership, d *couplePageData) error {
	if m.Partner != nil {
		return nil
	}
	inv, err := s.couples.PendingInvite(c.UserContext(), m.Couple.ID)
	if err != nil {
		return err
	}
	d.Pending, d.Zone = inv, m.Location
	if plain := c.Cookies(inviteCookie); inv != nil && plain != "" && len(plain) <= 200 && token.Hash(plain) == inv.TokenHash {
		d.InviteURL = s.inviteURL(plain)
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

func (s *Server) couplePage(c *fiber.Ctx) error {
	v, d, err := s.coupleView(c)
	if err != nil {
		return err
	}
	if saved := c.Query("saved"); saved == "settings" || saved == "role" {
		d.Saved = saved
	}
	return s.render(c, "couple", v)
}

// coupleStartSubmit starts a couple and makes its first invite link straight away.
func (s *Server) coupleStartSubmit(c *fiber.Ctx) error {
	u := auth.CurrentUser(c)
	cp, err := s.couples.Start(c.UserContext(), u.ID, c.FormValue("timezone"), c.FormValue("checkin_weekday"))
	if err != nil {
		return s.coupleFormError(c, err)
	}
	plain, _, err := s.couples.CreateInvite(c.UserContext(), cp.ID, u.ID)
	if err != nil {
		return err
	}
	s.setInviteCookie(c, plain)
	return c.Redirect("/couple", fiber.StatusSeeOther)
}

func (s *Server) coupleFormError(c *fiber.Ctx, err error) error {
	if apperr.As(err) == nil {
		return err
	}
	if _, merr := s.reloadMembership(c); merr != nil {
		return merr
	}
	v, _, verr := s.coupleView(c)
	if verr != nil {
		return verr
	}
	return s.renderForm(c, "couple", v, err)
}

func (s *Server) coupleSettingsSubmit(c *fiber.Ctx) error {
	m := membership(c)
	if err := s.couples.UpdateSettings(c.UserContext(), m.Couple.ID, c.FormValue("timezone"), c.FormValue("checkin_weekday")); err != nil {
		return s.coupleFormError(c, err)
	}
	return c.Redirect("/couple?saved=settings", fiber.StatusSeeOther)
}

func (s *Server) coupleRoleSubmit(c *fiber.Ctx) error {
	m := membership(c)
	if err := s.couples.SetRole(c.UserContext(), m.Couple.ID, m.Me.UserID, c.FormValue("role")); err != nil {
		return s.coupleFormError(c, err)
	}
	return c.Redirect("/couple?saved=role", fiber.StatusSeeOther)
}

func (s *Server) coupleInviteSubmit(c *fiber.Ctx) error {
	m := membership(c)
	plain, _, err := s.couples.CreateInvite(c.UserContext(), m.Couple.ID, m.Me.UserID)
	if err != nil {
		return s.coupleFormError(c, err)
	}
	s.setInviteCookie(c, plain)
	return c.Redirect("/couple#invite", fiber.StatusSeeOther)
}

func (s *Server) coupleLeaveSubmit(c *fiber.Ctx) error {
	if c.FormValue("confirm") == "" {
		return s.coupleFormError(c, apperr.Fields(map[string]string{"confirm": "Tick the box to confirm that the couple ends for both of you."}))
	}
	if err := s.leaveCouple(c); err != nil {
		return s.coupleFormError(c, err)
	}
	s.clearInviteCookie(c)
	return c.Redirect("/dashboard", fiber.StatusSeeOther)
}
