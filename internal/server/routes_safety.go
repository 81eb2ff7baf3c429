package server

import (
	"github.com/gofiber/fiber/v2"
)

// public registers the second step of a sign-in, which has no session yet.
func (h *safetyHandlers) public(pages, api fiber.Router) {
	api.Post("/auth/login/second-factor", h.apiLoginSecondFactor)
	pages.Post("/login/second-factor", h.loginSecondFactorSubmit)
}

// routes registers the Safety Check, the two-step pages and their API.
func (h *safetyHandlers) routes(pages, api fiber.Router) {
	rc, recent := h.requireCouple, h.requireRecentAuth
	api.Get("/me/security", h.apiSecurity)
	api.Post("/me/totp", recent, h.apiTOTPStart)
	api.Post("/me/totp/confirm", recent, h.apiTOTPConfirm)
	api.Delete("/me/totp", recent, h.apiTOTPDelete)
	api.Post("/moments/:id/unshare", rc, h.apiUnshareMoment)
	api.Post("/acknowledgment/unshare", rc, h.apiUnshareAck)
	pages.Get("/safety-check", h.safetyCheckPage)
	pages.Post("/safety-check/moments/:id/unshare", rc, h.unshareMomentSubmit)
	pages.Post("/safety-check/acknowledgment/unshare", rc, h.unshareAckSubmit)
	pages.Get("/account/two-step", h.twoStepPage)
	pages.Post("/account/two-step/start", recent, h.twoStepStartSubmit)
	pages.Post("/account/two-step/confirm", recent, h.twoStepConfirmSubmit)
	pages.Post("/account/two-step/off", recent, h.twoStepOffSubmit)
}
