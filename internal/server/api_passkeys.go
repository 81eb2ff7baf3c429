package server

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/auth"
)

// POST /api/v1/auth/passkey/begin {challenge?} → 200 {ceremony, options}
func (h *safetyHandlers) apiPasskeySignInBegin(c *fiber.Ctx) error {
	var req passkeyFinishReq
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	out, err := h.beginPasskeySignIn(c, account.KindAPI, req.Challenge)
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusOK, out)
}

// POST /api/v1/auth/passkey/finish {ceremony, credential, challenge?} → 200 {token, expires_at, user}
func (h *safetyHandlers) apiPasskeySignInFinish(c *fiber.Ctx) error {
	var req passkeyFinishReq
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	in, err := h.finishPasskeySignIn(c, account.KindAPI, req)
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"token": in.Token, "expires_at": in.Expires.UTC().Format(time.RFC3339), "user": toUserJSON(in.User)})
}

// POST /api/v1/me/passkeys/begin → 200 {ceremony, options}
func (h *safetyHandlers) apiPasskeyAddBegin(c *fiber.Ctx) error {
	opts, cer, err := h.accounts.BeginPasskeyRegistration(c.UserContext(), auth.CurrentUser(c), sessionKind(c))
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusOK, ceremonyJSON{Ceremony: cer, Options: opts})
}

// POST /api/v1/me/passkeys/finish {ceremony, credential, name} → 201 {passkey, recovery_codes}
func (h *safetyHandlers) apiPasskeyAddFinish(c *fiber.Ctx) error {
	var req passkeyFinishReq
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	pk, codes, err := h.addPasskey(c, req)
	if err != nil {
		return err
	}
	if codes == nil {
		codes = []string{}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return sendJSON(c, fiber.StatusCreated, fiber.Map{"passkey": toPasskeyJSON(*pk), "recovery_codes": codes})
}

// POST /api/v1/me/passkeys/:id/confirm → 200 {ceremony, options}: the passkey proves it is at hand, to
// be removed.
func (h *safetyHandlers) apiPasskeyConfirmBegin(c *fiber.Ctx) error {
	opts, cer, err := h.accounts.BeginPasskeyConfirm(c.UserContext(), auth.CurrentUser(c), sessionKind(c), c.Params("id"))
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusOK, ceremonyJSON{Ceremony: cer, Options: opts})
}

// DELETE /api/v1/me/passkeys/:id {ceremony and credential, or code, or recovery_code} → 204
func (h *safetyHandlers) apiPasskeyDelete(c *fiber.Ctx) error {
	var req passkeyFinishReq
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	proof := account.PasskeyProof{Ceremony: req.Ceremony, Assertion: req.Credential, Code: req.Code, RecoveryCode: req.RecoveryCode}
	if err := h.removePasskey(c, c.Params("id"), proof); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
