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

// routesAuthPublic registers the sign-in, registration and password-reset pages and the quick exit (no
// session needed).
func (s *Server) routesAuthPublic(app, api fiber.Router) {
	api.Post("/auth/register", s.apiRegister)
	api.Post("/auth/login", s.apiLogin)
	app.Post(quickExitPath, s.quickExitSubmit)
	app.Get("/login", s.loginPage)
	app.Post("/login", s.loginSubmit)
	app.Get("/register", s.registerPage)
	app.Post("/register", s.registerSubmit)
	app.Get("/reset/:token", s.resetPage)
	app.Post("/reset/:token", s.resetSubmit)
}

// authData is what the sign-in and registration pages need besides the form.
type authData struct {
	Registration string
	Open         bool
	InviteOnly   bool
	Closed       bool
	CanRegister  bool
	Notice       string
	// Invited is set when the registration form carries a usable invite: registering joins its couple.
	// InvitedBy is the display name of the partner who made it ("" when unknown).
	Invited   bool
	InvitedBy string
	// InviteStale is set when the visitor came with an invite that no longer works.
	InviteStale bool
}

func (s *Server) authView(c *fiber.Ctx, title string) *view {
	v := s.newView(c, title)
	next := c.Query("next", c.FormValue("next"))
	if next != "" {
		next = localPath(next)
	}
	v.Form = map[string]string{"next": next, "email": c.FormValue("email"),
		"display_name": c.FormValue("display_name"), "invite": c.Query("invite", c.FormValue("invite"))}
	mode := s.cfg.Registration
	d := &authData{Registration: mode, Open: mode == config.RegistrationOpen, InviteOnly: mode == config.RegistrationInviteOnly,
		Closed: mode == config.RegistrationClosed, Notice: loginNotices[c.Query("notice")]}
	d.CanRegister = d.Open || (d.InviteOnly && v.values()["invite"] != "")
	if d.Notice == "" && auth.Rejected(c) == "session_ended" {
		d.Notice = "You were signed out. Please sign in again."
	}
	v.Data = d
	return v
}

func (s *Server) loginPage(c *fiber.Ctx) error {
	if auth.CurrentUser(c) != nil {
		return c.Redirect(localPath(c.Query("next")), fiber.StatusSeeOther)
	}
	v := s.authView(c, "Sign in")
	v.Nav = "login"
	return s.render(c, "login", v)
}

func (s *Server) loginSubmit(c *fiber.Ctx) error {
	v := s.authView(c, "Sign in")
	v.Nav = "login"
	if _, err := s.signIn(c, c.FormValue("email"), c.FormValue("password"), account.KindBrowser); err != nil {
		if need, ok := asSecondFactor(err); ok {
			return s.secondStepPage(c, need.Challenge, v.values()["next"], nil)
		}
		return s.renderForm(c, "login", v, err)
	}
	return c.Redirect(localPath(v.values()["next"]), fiber.StatusSeeOther)
}

func (s *Server) registerPage(c *fiber.Ctx) error {
	if auth.CurrentUser(c) != nil {
		return c.Redirect(localPath(c.Query("next")), fiber.StatusSeeOther)
	}
	v, err := s.registerView(c)
	if err != nil {
		return err
	}
	return s.render(c, "register", v)
}

// registerView is the registration page, with the invite's context when the visitor came through one:
// who invited them, or that the link no longer works.
func (s *Server) registerView(c *fiber.Ctx) (*view, error) {
	v := s.authView(c, "Create an account")
	v.values()["invite"] = strings.TrimSpace(v.values()["invite"])
	if v.values()["invite"] == "" {
		return v, nil
	}
	info, err := s.couples.LookupInvite(c.UserContext(), v.values()["invite"])
	if err != nil {
		return nil, err
	}
	d := v.Data.(*authData)
	if info.State == couple.InviteValid {
		d.Invited, d.InvitedBy = true, info.InvitedBy
		return v, nil
	}
	staleInvite(v)
	return v, nil
}

// staleInvite shows the registration page for an invite that no longer works: invite-only registration
// explains it and offers no form; open registration offers the form without the invite.
func staleInvite(v *view) {
	d := v.Data.(*authData)
	d.Invited, d.InvitedBy, d.InviteStale = false, "", true
	v.values()["invite"] = ""
	if d.InviteOnly {
		d.CanRegister = false
		v.Message = errRegInviteStale.Message
	}
}

func (s *Server) registerSubmit(c *fiber.Ctx) error {
	v, err := s.registerView(c)
	if err != nil {
		return err
	}
	reg, err := s.register(c, c.FormValue("email"), c.FormValue("password"), c.FormValue("display_name"), v.values()["invite"])
	if err != nil {
		switch {
		case err == errRegInviteStale:
			staleInvite(v)
		case apperr.Is(err, apperr.Forbidden):
			v.Data.(*authData).CanRegister = false
		}
		return s.renderForm(c, "register", v, err)
	}
	if _, err := s.startSession(c, reg.User, account.KindBrowser); err != nil {
		return err
	}
	// Registering through an invite has already joined the couple: straight home, no second "Join".
	next := v.values()["next"]
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
func (s *Server) quickExitSubmit(c *fiber.Ctx) error {
	if sess := auth.CurrentSession(c); sess != nil {
		if err := s.accounts.Revoke(c.UserContext(), sess.UserID, sess.ID); err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		s.securityEvent(c, slog.LevelInfo, "quick_exit", sess.UserID)
	}
	s.clearBrowser(c)
	if c.FormValue("via") == "beacon" {
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Redirect(s.cfg.QuickExitURL, fiber.StatusSeeOther)
}

func (s *Server) logoutSubmit(c *fiber.Ctx) error {
	if err := s.signOut(c); err != nil {
		return err
	}
	return c.Redirect("/login?notice=signed-out", fiber.StatusSeeOther)
}

// resetData tells the reset page whether its link still works.
type resetData struct {
	Valid bool
}

func (s *Server) resetView(c *fiber.Ctx) *view {
	v := s.newView(c, "Set a new password")
	v.Data = &resetData{Valid: true}
	return v
}

// resetInvalid shows the clear "expired or used" page (404, like any unknown link).
func (s *Server) resetInvalid(c *fiber.Ctx, v *view) error {
	v.Data = &resetData{Valid: false}
	v.Status = fiber.StatusNotFound
	return s.render(c, "reset", v)
}

func (s *Server) resetPage(c *fiber.Ctx) error {
	v := s.resetView(c)
	if err := s.accounts.CheckResetToken(c.UserContext(), c.Params("token")); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return s.resetInvalid(c, v)
		}
		return err
	}
	return s.render(c, "reset", v)
}

func (s *Server) resetSubmit(c *fiber.Ctx) error {
	v := s.resetView(c)
	err := s.resetPassword(c, c.Params("token"), c.FormValue("new_password"))
	switch {
	case apperr.Is(err, apperr.NotFound):
		return s.resetInvalid(c, v)
	case err != nil:
		return s.renderForm(c, "reset", v, err)
	}
	return c.Redirect("/login?notice=reset", fiber.StatusSeeOther)
}
