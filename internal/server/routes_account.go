package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/notify"
)

// accountHandlers serves sign-in, registration, password reset, re-authentication and the user's own
// account (name, password, sessions, export and deletion) over the account service. Registration with an
// invite joins its couple, and deletion ends it, through the couple service.
type accountHandlers struct {
	*Server
	svc     *account.Service
	couples *couple.Service
	// pulse queues the e-mail of the password reset, its notice and the sign-in alert.
	pulse *notify.Service
}

// public registers the sign-in, registration and password-reset pages and the quick exit (no session
// needed).
func (h *accountHandlers) public(pages, api fiber.Router) {
	api.Post("/auth/register", h.apiRegister)
	api.Post("/auth/login", h.apiLogin)
	pages.Post(quickExitPath, h.quickExitSubmit)
	pages.Get("/login", h.loginPage)
	pages.Post("/login", h.loginSubmit)
	pages.Get("/register", h.registerPage)
	pages.Post("/register", h.registerSubmit)
	pages.Get("/reset/:token", h.resetPage)
	pages.Post("/reset/:token", h.resetSubmit)
	pages.Get(forgotPath, h.forgotPage)
	pages.Post(forgotPath, h.forgotSubmit)
	api.Post("/auth/password-reset", h.apiPasswordReset)
}

// routes registers sign-out, re-authentication, the user's own account and sessions, and the export and
// deletion of everything they have in Mend.
func (h *accountHandlers) routes(pages, api fiber.Router) {
	recent := h.requireRecentAuth
	pages.Post("/logout", h.logoutSubmit)
	pages.Get("/reauth", h.reauthPage)
	pages.Post("/reauth", h.reauthSubmit)
	pages.Get("/account", h.accountPage)
	pages.Post("/account/name", h.accountNameSubmit)
	pages.Post("/account/password", recent, h.accountPasswordSubmit)
	pages.Post("/account/sessions/others", h.accountRevokeOthersSubmit)
	pages.Post("/account/sessions/:id", h.accountRevokeSubmit)
	pages.Get("/account/export", recent, h.exportDownload)
	pages.Get("/account/delete", h.deletePage)
	pages.Post("/account/delete", recent, h.deleteSubmit)

	api.Post("/auth/logout", h.apiLogout)
	api.Post("/auth/reauth", h.apiReauth)
	api.Get("/me", h.apiMe)
	api.Patch("/me", h.apiUpdateMe)
	api.Post("/me/password", recent, h.apiChangePassword)
	api.Get("/me/sessions", h.apiSessions)
	api.Post("/me/sessions/revoke-others", h.apiRevokeOthers)
	api.Delete("/me/sessions/:id", h.apiRevokeSession)
	api.Get("/me/export", recent, h.apiExport)
	api.Delete("/me", recent, h.apiDeleteMe)
}
