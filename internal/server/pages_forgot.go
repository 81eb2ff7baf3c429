package server

import (
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/auth"
)

// Password reset by e-mail (DESIGN §5.2; SECURITY A3, A7): "Forgot your password?" on /login leads to a
// page that asks for the address. Whatever the address, the answer is the same and so is the work
// (one statement, notify.EnqueuePasswordReset): only an account whose address is confirmed, on a Mend
// that can send e-mail, is sent a link, which is made when the message leaves (single use, 30 minutes,
// the /reset/{token} page of the operator's command). Requests are throttled per client.

// forgotPath is the page that asks for the address.
const forgotPath = "/forgot-password"

var errForgotEmail = apperr.Fields(map[string]string{"email": "Enter the e-mail address of your account."})

// forgotForm is the address form.
type forgotForm struct {
	Email string
	fieldErrors
}

// forgotData tells the page whether e-mail is set up and whether a request was just made.
type forgotData struct {
	MailEnabled bool
	Sent        bool
}

// requestReset checks the throttle and the address and queues the reset message when one is due.
func (h *accountHandlers) requestReset(c *fiber.Ctx, email string) error {
	if client := "forgot|" + c.IP(); !h.limiter.AllowClient(client) {
		h.securityEvent(c, slog.LevelWarn, "rate_limited", "", "scope", "client", "action", "password_reset_request")
		return tooMany(c, errTooManyClient, h.limiter.ClientWait(client))
	}
	if strings.TrimSpace(email) == "" {
		return errForgotEmail
	}
	if err := h.pulse.EnqueuePasswordReset(c.UserContext(), account.NormalizeEmail(email)); err != nil {
		return err
	}
	h.securityEvent(c, slog.LevelInfo, "password_reset_requested", "")
	return nil
}

func (h *accountHandlers) forgotView(c *fiber.Ctx, form *forgotForm) *view {
	v := h.newView(c, "Forgot your password?")
	v.Nav = "login"
	v.Form = form
	v.Data = &forgotData{MailEnabled: h.pulse.MailEnabled(), Sent: c.Query("sent") == "1"}
	return v
}

func (h *accountHandlers) forgotPage(c *fiber.Ctx) error {
	if auth.CurrentUser(c) != nil {
		return c.Redirect("/account", fiber.StatusSeeOther)
	}
	return h.render(c, "forgot", h.forgotView(c, &forgotForm{}))
}

// forgotSubmit answers every address alike: a redirect to the same "sent" page.
func (h *accountHandlers) forgotSubmit(c *fiber.Ctx) error {
	form := &forgotForm{Email: c.FormValue("email")}
	if err := h.requestReset(c, form.Email); err != nil {
		return h.renderForm(c, "forgot", h.forgotView(c, form), err)
	}
	return c.Redirect(forgotPath+"?sent=1", fiber.StatusSeeOther)
}

// apiPasswordReset is POST /api/v1/auth/password-reset {email}: 202 whatever the address.
func (h *accountHandlers) apiPasswordReset(c *fiber.Ctx) error {
	var req struct {
		Email string `json:"email"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := h.requestReset(c, req.Email); err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusAccepted, fiber.Map{})
}
