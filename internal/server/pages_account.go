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
// deletion) can show it again with their field errors through h.renderForm(c, "account", v, err).
func (h *accountHandlers) accountView(c *fiber.Ctx) (*view, error) {
	u, sess := auth.CurrentUser(c), auth.CurrentSession(c)
	list, err := h.svc.Sessions(c.UserContext(), u.ID)
	if err != nil {
		return nil, err
	}
	d := &accountData{Recent: h.svc.RecentlyAuthenticated(sess), Notice: accountNotices[c.Query("done")]}
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
	v := h.newView(c, "Account")
	v.Nav = "account"
	v.Form = map[string]string{"display_name": u.DisplayName}
	v.Data = d
	return v, nil
}

func (h *accountHandlers) accountPage(c *fiber.Ctx) error {
	v, err := h.accountView(c)
	if err != nil {
		return err
	}
	return h.render(c, "account", v)
}

// accountForm shows the account page again with err's field errors and the typed name kept.
func (h *accountHandlers) accountForm(c *fiber.Ctx, err error) error {
	if apperr.As(err) == nil {
		return err
	}
	v, verr := h.accountView(c)
	if verr != nil {
		return verr
	}
	if name := c.FormValue("display_name"); name != "" || c.Path() == "/account/name" {
		v.values()["display_name"] = name
	}
	return h.renderForm(c, "account", v, err)
}

func (h *accountHandlers) accountNameSubmit(c *fiber.Ctx) error {
	if _, err := h.updateName(c, c.FormValue("display_name")); err != nil {
		return h.accountForm(c, err)
	}
	return c.Redirect("/account?done=name", fiber.StatusSeeOther)
}

func (h *accountHandlers) accountPasswordSubmit(c *fiber.Ctx) error {
	if err := h.changePassword(c, c.FormValue("current_password"), c.FormValue("new_password")); err != nil {
		return h.accountForm(c, err)
	}
	return c.Redirect("/account?done=password", fiber.StatusSeeOther)
}

func (h *accountHandlers) accountRevokeSubmit(c *fiber.Ctx) error {
	current, err := h.revokeSession(c, c.Params("id"))
	if err != nil {
		return err
	}
	if current {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	return c.Redirect("/account?done=device", fiber.StatusSeeOther)
}

func (h *accountHandlers) accountRevokeOthersSubmit(c *fiber.Ctx) error {
	if err := h.revokeOthers(c); err != nil {
		return err
	}
	return c.Redirect("/account?done=others", fiber.StatusSeeOther)
}

// reauthForm is the re-authentication form: the password again, and where to go on after it. Password
// is never written back to the page.
type reauthForm struct {
	Next, Password string
	fieldErrors
}

func parseReauthForm(c *fiber.Ctx) *reauthForm {
	next := c.Query("next", c.FormValue("next"))
	if next == "" {
		next = "/account"
	}
	return &reauthForm{Next: localPath(next), Password: c.FormValue("password")}
}

func (h *accountHandlers) reauthView(c *fiber.Ctx, form *reauthForm) *view {
	v := h.newView(c, "Confirm it's you")
	v.Nav = "account"
	v.Form = form
	return v
}

func (h *accountHandlers) reauthPage(c *fiber.Ctx) error {
	return h.render(c, "reauth", h.reauthView(c, parseReauthForm(c)))
}

func (h *accountHandlers) reauthSubmit(c *fiber.Ctx) error {
	form := parseReauthForm(c)
	v := h.reauthView(c, form)
	if err := h.reauth(c, form.Password); err != nil {
		return h.renderForm(c, "reauth", v, err)
	}
	next := form.Next
	if next == "/account" {
		next = "/account?done=reauth"
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}
