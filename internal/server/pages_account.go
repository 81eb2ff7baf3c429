package server

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/auth"
)

// accountNotices are the confirmations /account shows after a change, chosen by ?done=.
var accountNotices = map[string]string{
	"name":     "Your name is saved.",
	"password": "Your password is changed. Every other device has been signed out.",
	"device":   "That device is signed out.",
	"others":   "Every other device is signed out.",
	"reauth":   "Thank you. For the next 10 minutes you can change your password, export your data or delete your account without being asked again.",
}

// deviceRow is one signed-in device on the account page.
type deviceRow struct {
	ID       string
	Device   string
	API      bool
	Created  time.Time
	LastSeen time.Time
	Current  bool
}

// accountData is what the account page shows besides the forms.
type accountData struct {
	Devices []deviceRow
	Others  int
	Recent  bool
	Notice  string
}

// accountView builds the /account page view. Other handlers that post from this page (such as account
// deletion) can show it again with their field errors through s.renderForm(c, "account", v, err).
func (s *Server) accountView(c *fiber.Ctx) (*view, error) {
	u, sess := auth.CurrentUser(c), auth.CurrentSession(c)
	list, err := s.accounts.Sessions(c.UserContext(), u.ID)
	if err != nil {
		return nil, err
	}
	d := &accountData{Recent: s.accounts.RecentlyAuthenticated(sess), Notice: accountNotices[c.Query("done")]}
	for _, se := range list {
		row := deviceRow{ID: se.ID, Device: account.DeviceName(se.UserAgent), API: se.Kind == account.KindAPI,
			Created: se.CreatedAt, LastSeen: se.LastSeenAt, Current: se.ID == sess.ID}
		if row.Current {
			d.Devices = append([]deviceRow{row}, d.Devices...)
			continue
		}
		d.Others++
		d.Devices = append(d.Devices, row)
	}
	v := s.newView(c, "Account")
	v.Nav = "account"
	v.Form = map[string]string{"display_name": u.DisplayName}
	v.Data = d
	return v, nil
}

func (s *Server) accountPage(c *fiber.Ctx) error {
	v, err := s.accountView(c)
	if err != nil {
		return err
	}
	return s.render(c, "account", v)
}

// accountForm shows the account page again with err's field errors and the typed name kept.
func (s *Server) accountForm(c *fiber.Ctx, err error) error {
	if apperr.As(err) == nil {
		return err
	}
	v, verr := s.accountView(c)
	if verr != nil {
		return verr
	}
	if name := c.FormValue("display_name"); name != "" || c.Path() == "/account/name" {
		v.values()["display_name"] = name
	}
	return s.renderForm(c, "account", v, err)
}

func (s *Server) accountNameSubmit(c *fiber.Ctx) error {
	if _, err := s.updateName(c, c.FormValue("display_name")); err != nil {
		return s.accountForm(c, err)
	}
	return c.Redirect("/account?done=name", fiber.StatusSeeOther)
}

func (s *Server) accountPasswordSubmit(c *fiber.Ctx) error {
	if err := s.changePassword(c, c.FormValue("current_password"), c.FormValue("new_password")); err != nil {
		return s.accountForm(c, err)
	}
	return c.Redirect("/account?done=password", fiber.StatusSeeOther)
}

func (s *Server) accountRevokeSubmit(c *fiber.Ctx) error {
	current, err := s.revokeSession(c, c.Params("id"))
	if err != nil {
		return err
	}
	if current {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	return c.Redirect("/account?done=device", fiber.StatusSeeOther)
}

func (s *Server) accountRevokeOthersSubmit(c *fiber.Ctx) error {
	if err := s.revokeOthers(c); err != nil {
		return err
	}
	return c.Redirect("/account?done=others", fiber.StatusSeeOther)
}

func (s *Server) reauthView(c *fiber.Ctx) *view {
	v := s.newView(c, "Confirm it's you")
	v.Nav = "account"
	next := c.Query("next", c.FormValue("next"))
	if next == "" {
		next = "/account"
	}
	v.Form = map[string]string{"next": localPath(next)}
	return v
}

func (s *Server) reauthPage(c *fiber.Ctx) error {
	return s.render(c, "reauth", s.reauthView(c))
}

func (s *Server) reauthSubmit(c *fiber.Ctx) error {
	v := s.reauthView(c)
	if err := s.reauth(c, c.FormValue("password")); err != nil {
		return s.renderForm(c, "reauth", v, err)
	}
	next := v.values()["next"]
	if next == "/account" {
		next = "/account?done=reauth"
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}
