package server

import (
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/auth"
	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/couple"
)

// loginNotices are the messages the sign-in page shows, chosen by ?notice=.
var loginNotices = map[string]string{
	"reset":      "Your new password is set and every device was signed out. Sign in with your new password.",
	"signed-out": "You are signed out.",
	"again":      "That sign-in took too long or was already used. Please enter your email and password again.",
}

// quickExitPath is the quick-exit control's form (DESIGN §2.9). It is public: signed out, it still sends
// the browser to the neutral site at once.
const quickExitPath = "/quick-exit"

// authData is what the sign-in and registration pages need besides the form.
type authData struct {
	Registration string
	Open         bool
	InviteOnly   bool
	Closed       bool
	CanRegister  bool
	Notice       string
	// Passkeys: this Mend offers passkeys (its base URL names a host).
	Passkeys bool
	// Invited is set when the registration form carries a usable invite: registering joins its couple.
	// InvitedBy is the display name of the partner who made it ("" when unknown).
	Invited   bool
	InvitedBy string
	// InviteStale is set when the visitor came with an invite that no longer works.
	InviteStale bool
}

// loginForm is the sign-in form. Password is handed to the check only, never written back to the page.
type loginForm struct {
	Next, Email, Password string
	fieldErrors
}

func parseLoginForm(c *fiber.Ctx) *loginForm {
	return &loginForm{Next: nextAfterSignIn(c), Email: c.FormValue("email"), Password: c.FormValue("password")}
}

// registerForm is the registration form; Invite is the invite secret the visitor came with (the page's
// ?invite= or the form's hidden field). Password is never written back to the page.
type registerForm struct {
	Next, Invite, DisplayName, Email, Password string
	fieldErrors
}

func parseRegisterForm(c *fiber.Ctx) *registerForm {
	return &registerForm{Next: nextAfterSignIn(c), Invite: c.Query("invite", c.FormValue("invite")),
		DisplayName: c.FormValue("display_name"), Email: c.FormValue("email"), Password: c.FormValue("password")}
}

// nextAfterSignIn is where signing in or registering leads: the page's ?next= or the form's next field,
// kept to a local path, or "" when neither is given.
func nextAfterSignIn(c *fiber.Ctx) string {
	next := c.Query("next", c.FormValue("next"))
	if next != "" {
		next = localPath(next)
	}
	return next
}

// authView is the sign-in or registration page with form in it.
func (h *accountHandlers) authView(c *fiber.Ctx, title string, form any) (*view, *authData) {
	v := h.newView(c, title)
	v.Form = form
	mode := h.cfg.Registration
	d := &authData{Registration: mode, Open: mode == config.RegistrationOpen, InviteOnly: mode == config.RegistrationInviteOnly,
		Closed: mode == config.RegistrationClosed, Notice: loginNotices[c.Query("notice")], Passkeys: h.svc.RelyingPartyID() != ""}
	if d.Notice == "" && auth.Rejected(c) == "session_ended" {
		d.Notice = "You were signed out. Please sign in again."
	}
	v.Data = d
	return v, d
}

func (h *accountHandlers) loginView(c *fiber.Ctx, form *loginForm) *view {
	v, _ := h.authView(c, "Sign in", form)
	v.Nav = "login"
	return v
}

func (h *accountHandlers) loginPage(c *fiber.Ctx) error {
	if auth.CurrentUser(c) != nil {
		return c.Redirect(localPath(c.Query("next")), fiber.StatusSeeOther)
	}
	return h.render(c, "login", h.loginView(c, parseLoginForm(c)))
}

func (h *accountHandlers) loginSubmit(c *fiber.Ctx) error {
	form := parseLoginForm(c)
	if _, err := h.signIn(c, form.Email, form.Password, account.KindBrowser); err != nil {
		if need, ok := asSecondFactor(err); ok {
			return h.secondStepPage(c, need.Challenge, form.Next, nil)
		}
		return h.renderForm(c, "login", h.loginView(c, form), err)
	}
	return c.Redirect(localPath(form.Next), fiber.StatusSeeOther)
}

func (h *accountHandlers) registerPage(c *fiber.Ctx) error {
	if auth.CurrentUser(c) != nil {
		return c.Redirect(localPath(c.Query("next")), fiber.StatusSeeOther)
	}
	v, err := h.registerView(c, parseRegisterForm(c))
	if err != nil {
		return err
	}
	return h.render(c, "register", v)
}

// registerView is the registration page with form in it, and the invite's context when the visitor came
// through one: who invited them, or that the link no longer works.
func (h *accountHandlers) registerView(c *fiber.Ctx, form *registerForm) (*view, error) {
	v, d := h.authView(c, "Create an account", form)
	d.CanRegister = d.Open || (d.InviteOnly && form.Invite != "")
	form.Invite = strings.TrimSpace(form.Invite)
	if form.Invite == "" {
		return v, nil
	}
	info, err := h.couples.LookupInvite(c.UserContext(), form.Invite)
	if err != nil {
		return nil, err
	}
	if info.State == couple.InviteValid {
		d.Invited, d.InvitedBy = true, info.InvitedBy
		return v, nil
	}
	staleInvite(v, form)
	return v, nil
}

// staleInvite shows the registration page for an invite that no longer works: invite-only registration
// explains it and offers no form; open registration offers the form without the invite.
func staleInvite(v *view, form *registerForm) {
	d := v.Data.(*authData)
	d.Invited, d.InvitedBy, d.InviteStale = false, "", true
	form.Invite = ""
	if d.InviteOnly {
		d.CanRegister = false
		v.Message = errRegInviteStale.Message
	}
}

func (h *accountHandlers) registerSubmit(c *fiber.Ctx) error {
	form := parseRegisterForm(c)
	v, err := h.registerView(c, form)
	if err != nil {
		return err
	}
	reg, err := h.register(c, form.Email, form.Password, form.DisplayName, form.Invite)
	if err != nil {
		switch {
		case err == errRegInviteStale:
			staleInvite(v, form)
		case apperr.Is(err, apperr.Forbidden):
			v.Data.(*authData).CanRegister = false
		}
		return h.renderForm(c, "register", v, err)
	}
	if _, err := h.startSession(c, reg.User, account.KindBrowser); err != nil {
		return err
	}
	// Registering through an invite has already joined the couple: straight home, no second "Join".
	next := form.Next
	switch {
	case reg.CoupleID != "":
		next = "/dashboard"
	case next == "":
		next = "/couple"
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// quickExitSubmit ends this session at once (SECURITY B5), asks the browser to forget what Mend kept, and
// sends it to the neutral site, so Back shows the sign-in page and nothing private. Signed out it only
// sends the browser away. app.js sends the same form as a beacon (via=beacon) and replaces the page in
// history itself: the beacon gets 204.
func (h *accountHandlers) quickExitSubmit(c *fiber.Ctx) error {
	if sess := auth.CurrentSession(c); sess != nil {
		if err := h.svc.Revoke(c.UserContext(), sess.UserID, sess.ID); err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		h.securityEvent(c, slog.LevelInfo, "quick_exit", sess.UserID)
	}
	h.clearBrowser(c)
	if c.FormValue("via") == "beacon" {
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Redirect(h.cfg.QuickExitURL, fiber.StatusSeeOther)
}

func (h *accountHandlers) logoutSubmit(c *fiber.Ctx) error {
	if err := h.signOut(c); err != nil {
		return err
	}
	return c.Redirect("/login?notice=signed-out", fiber.StatusSeeOther)
}

// resetData tells the reset page whether its link still works.
type resetData struct {
	Valid bool
}

// resetForm is the new-password form of a reset link (the link's secret is in the path). NewPassword is
// never written back to the page.
type resetForm struct {
	NewPassword string
	fieldErrors
}

func parseResetForm(c *fiber.Ctx) *resetForm {
	return &resetForm{NewPassword: c.FormValue("new_password")}
}

func (h *accountHandlers) resetView(c *fiber.Ctx, form *resetForm) *view {
	v := h.newView(c, "Set a new password")
	v.Form = form
	v.Data = &resetData{Valid: true}
	return v
}

// resetInvalid shows the clear "expired or used" page (404, like any unknown link).
func (h *accountHandlers) resetInvalid(c *fiber.Ctx, v *view) error {
	v.Data = &resetData{Valid: false}
	v.Status = fiber.StatusNotFound
	return h.render(c, "reset", v)
}

func (h *accountHandlers) resetPage(c *fiber.Ctx) error {
	v := h.resetView(c, &resetForm{})
	if err := h.svc.CheckResetToken(c.UserContext(), c.Params("token")); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return h.resetInvalid(c, v)
		}
		return err
	}
	return h.render(c, "reset", v)
}

func (h *accountHandlers) resetSubmit(c *fiber.Ctx) error {
	form := parseResetForm(c)
	v := h.resetView(c, form)
	err := h.resetPassword(c, c.Params("token"), form.NewPassword)
	switch {
	case apperr.Is(err, apperr.NotFound):
		return h.resetInvalid(c, v)
	case err != nil:
		return h.renderForm(c, "reset", v, err)
	}
	return c.Redirect("/login?notice=reset", fiber.StatusSeeOther)
}
