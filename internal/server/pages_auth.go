package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/auth"
	"github.com/mendhq/mend/internal/config"
)

func (s *Server) routesAuthPublic(app fiber.Router) {
	app.Get("/login", s.loginPage)
	app.Post("/login", s.loginSubmit)
	app.Get("/register", s.registerPage)
	app.Post("/register", s.registerSubmit)
}

func (s *Server) authView(c *fiber.Ctx, title string) *view {
	v := s.newView(c, title)
	v.Form = map[string]string{"next": localPath(c.Query("next", c.FormValue("next"))), "email": c.FormValue("email"),
		"display_name": c.FormValue("display_name"), "invite": c.Query("invite", c.FormValue("invite"))}
	v.Data = map[string]any{"Registration": s.cfg.Registration, "Open": s.cfg.Registration == config.RegistrationOpen}
	return v
}

func (s *Server) loginPage(c *fiber.Ctx) error {
	if auth.CurrentUser(c) != nil {
		return c.Redirect(localPath(c.Query("next")), fiber.StatusSeeOther)
	}
	return s.render(c, "login", s.authView(c, "Sign in"))
}

func (s *Server) loginSubmit(c *fiber.Ctx) error {
	v := s.authView(c, "Sign in")
	if _, err := s.signIn(c, c.FormValue("email"), c.FormValue("password"), account.KindBrowser); err != nil {
		return s.renderForm(c, "login", v, err)
	}
	return c.Redirect(v.Form["next"], fiber.StatusSeeOther)
}

func (s *Server) registerPage(c *fiber.Ctx) error {
	if auth.CurrentUser(c) != nil {
		return c.Redirect(localPath(c.Query("next")), fiber.StatusSeeOther)
	}
	return s.render(c, "register", s.authView(c, "Create an account"))
}

func (s *Server) registerSubmit(c *fiber.Ctx) error {
	v := s.authView(c, "Create an account")
	u, err := s.register(c, c.FormValue("email"), c.FormValue("password"), c.FormValue("display_name"), v.Form["invite"])
	if err != nil {
		return s.renderForm(c, "register", v, err)
	}
	if _, err := s.startSession(c, u, account.KindBrowser); err != nil {
		return err
	}
	next := v.Form["next"]
	if c.FormValue("next") == "" {
		next = "/couple"
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

func (s *Server) logoutSubmit(c *fiber.Ctx) error {
	if err := s.signOut(c); err != nil {
		return err
	}
	return c.Redirect("/", fiber.StatusSeeOther)
}
