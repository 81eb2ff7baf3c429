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

// nameForm is the account page's display-name form.
type nameForm struct {
	DisplayName string
	fieldErrors
}

func parseNameForm(c *fiber.Ctx) *nameForm {
	return &nameForm{DisplayName: c.FormValue("display_name")}
}

// passwordForm is the account page's change-password form. Neither password is ever written back to the
// page.
type passwordForm struct {
	CurrentPassword, NewPassword string
	fieldErrors
}

func parsePasswordForm(c *fiber.Ctx) *passwordForm {
	return &passwordForm{CurrentPassword: c.FormValue("current_password"), NewPassword: c.FormValue("new_password")}
}

// accountForms are the forms of the account page with inputs of their own (the sign-out buttons have
// none). After a failed submit, the form it came from holds what was typed and its errors; a nil one is
// shown as a fresh page shows it.
type accountForms struct {
	Name     *nameForm
	Password *passwordForm
	Delete   *deleteForm
}

// accountView builds the /account page view with forms in it.
func (h *accountHandlers) accountView(c *fiber.Ctx, forms accountForms) (*view, error) {
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
	if forms.Name == nil {
		forms.Name = &nameForm{DisplayName: u.DisplayName}
	}
	if forms.Password == nil {
		forms.Password = &passwordForm{}
	}
	if forms.Delete == nil {
		forms.Delete = &deleteForm{}
	}
	v := h.newView(c, "Account")
	v.Nav = "account"
	v.Form = &forms
	v.Data = d
	return v, nil
}

func (h *accountHandlers) accountPage(c *fiber.Ctx) error {
	v, err := h.accountView(c, accountForms{})
	if err != nil {
		return err
	}
	return h.render(c, "account", v)
}

// accountFormError shows the account page again after failed, one of forms, was refused with err: its
// field errors on it and what was typed kept (422). An error that is not the user's passes through.
func (h *accountHandlers) accountFormError(c *fiber.Ctx, forms accountForms, failed typedForm, err error) error {
	e := apperr.As(err)
	if e == nil {
		return err
	}
	v, verr := h.accountView(c, forms)
	if verr != nil {
		return verr
	}
	failed.setFieldErrors(e.Fields)
	return h.renderForm(c, "account", v, err)
}

func (h *accountHandlers) accountNameSubmit(c *fiber.Ctx) error {
	form := parseNameForm(c)
	if _, err := h.updateName(c, form.DisplayName); err != nil {
		return h.accountFormError(c, accountForms{Name: form}, form, err)
	}
	return c.Redirect("/account?done=name", fiber.StatusSeeOther)
}

func (h *accountHandlers) accountPasswordSubmit(c *fiber.Ctx) error {
	form := parsePasswordForm(c)
	if err := h.changePassword(c, form.CurrentPassword, form.NewPassword); err != nil {
		return h.accountFormError(c, accountForms{Password: form}, form, err)
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
