package server

import (
	"github.com/gofiber/fiber/v2"
)

// public registers the second step of a sign-in, which has no session yet.
func (h *safetyHandlers) public(pages, api fiber.Router) {
	api.Post("/auth/login/second-factor", h.apiLoginSecondFactor)
	api.Post("/auth/passkey/begin", h.apiPasskeySignInBegin)
	api.Post("/auth/passkey/finish", h.apiPasskeySignInFinish)
	pages.Post("/login/second-factor", h.loginSecondFactorSubmit)
	pages.Post("/login/passkey/begin", h.loginPasskeyBegin)
	pages.Post("/login/passkey/finish", h.loginPasskeyFinish)
}

// routes registers the Safety Check, the two-step pages and their API.
func (h *safetyHandlers) routes(pages, api fiber.Router) {
	rc, recent := h.requireCouple, h.requireRecentAuth
	api.Get("/me/security", h.apiSecurity)
	api.Post("/me/totp", recent, h.apiTOTPStart)
	api.Post("/me/totp/confirm", recent, h.apiTOTPConfirm)
	api.Delete("/me/totp", recent, h.apiTOTPDelete)
	api.Post("/me/passkeys/begin", recent, h.apiPasskeyAddBegin)
	api.Post("/me/passkeys/finish", recent, h.apiPasskeyAddFinish)
	api.Post("/me/passkeys/:id/confirm", recent, h.apiPasskeyConfirmBegin)
	api.Delete("/me/passkeys/:id", recent, h.apiPasskeyDelete)
	api.Put("/me/auto-lock", h.apiAutoLock)
	api.Post("/me/notifications/pause", h.apiPause)
	api.Post("/moments/:id/unshare", rc, h.apiUnshareMoment)
	api.Post("/acknowledgment/unshare", rc, h.apiUnshareAck)
	pages.Get("/safety-check", h.safetyCheckPage)
	pages.Post("/safety-check/moments/:id/unshare", rc, h.unshareMomentSubmit)
	pages.Post("/safety-check/acknowledgment/unshare", rc, h.unshareAckSubmit)
	pages.Post("/safety-check/passkeys/:id/remove", recent, h.passkeyRemoveSubmit)
	pages.Post("/safety-check/auto-lock", h.autoLockSubmit)
	pages.Post("/safety-check/pause", h.pauseSubmit)
	pages.Get("/account/two-step", h.twoStepPage)
	pages.Post("/account/two-step/start", recent, h.twoStepStartSubmit)
	pages.Post("/account/two-step/confirm", recent, h.twoStepConfirmSubmit)
	pages.Post("/account/two-step/off", recent, h.twoStepOffSubmit)
}
