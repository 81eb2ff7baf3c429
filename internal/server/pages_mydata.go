package server

import (
	"encoding/json"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/auth"
)

// exportDownload sends the export as a JSON file.
func (h *accountHandlers) exportDownload(c *fiber.Ctx) error {
	out, err := h.export(c)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return fmt.Errorf("server: export: %w", err)
	}
	h.log.Info("security", "event", "export", "user_id", auth.CurrentUser(c).ID, "request_id", requestID(c))
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="mend-export-%s.json"`, h.now().UTC().Format("2006-01-02")))
	return c.Send(b)
}

// deleteForm is the account deletion form, on its own page and on the account page: the password and
// the confirmation tick ("yes" when ticked). Password is never written back to the page.
type deleteForm struct {
	Password, Confirm string
	fieldErrors
}

func parseDeleteForm(c *fiber.Ctx) *deleteForm {
	return &deleteForm{Password: c.FormValue("password"), Confirm: c.FormValue("confirm")}
}

func (h *accountHandlers) deleteView(c *fiber.Ctx, form *deleteForm) *view {
	v := h.newView(c, "Account")
	v.Nav = "account"
	v.Form = form
	return v
}

// deletePage shows the deletion form on its own (the account page carries the same form).
func (h *accountHandlers) deletePage(c *fiber.Ctx) error {
	return h.render(c, "account_delete", h.deleteView(c, parseDeleteForm(c)))
}

// deleteSubmit deletes the account after the password and the confirmation are given; otherwise the form
// is shown again with its errors (422).
func (h *accountHandlers) deleteSubmit(c *fiber.Ctx) error {
	form := parseDeleteForm(c)
	v := h.deleteView(c, form)
	f := apperr.Form{}
	if form.Confirm == "" {
		f.Add("confirm", "Tick the box to confirm that you want to delete your account.")
	}
	if form.Password == "" {
		f.Add("password", "Enter your password.")
	}
	if err := f.Err(); err != nil {
		return h.renderForm(c, "account_delete", v, err)
	}
	if client := "login|" + c.IP(); !h.limiter.AllowClient(client) {
		return h.renderForm(c, "account_delete", v, tooMany(c, errTooManyClient, h.limiter.ClientWait(client)))
	}
	if err := h.svc.VerifyPassword(c.UserContext(), auth.CurrentUser(c).ID, form.Password); err != nil {
		if e := apperr.As(err); e != nil && e.Kind == apperr.Invalid {
			e = apperr.Fields(map[string]string{"password": "That password isn't right. Nothing was deleted."})
			return h.renderForm(c, "account_delete", v, e)
		}
		return h.renderForm(c, "account_delete", v, err)
	}
	if err := h.deleteAccount(c); err != nil {
		return err
	}
	done := h.newView(c, "Mend")
	done.User, done.Membership, done.CSRF = nil, nil, ""
	return h.render(c, "account_deleted", done)
}
