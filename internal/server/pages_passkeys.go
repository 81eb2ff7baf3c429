package server

import (
	"log/slog"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/auth"
)

// The passkey sign-in of the sign-in page and of its second step, for passkey.js: JSON in and out, with
// the page's CSRF token in X-CSRF-Token. A browser session starts with the cookie, as after a password.

// POST /login/passkey/begin {challenge?} → 200 {ceremony, options}
func (h *safetyHandlers) loginPasskeyBegin(c *fiber.Ctx) error {
	var req passkeyFinishReq
	if err := decodeJSON(c, &req); err != nil {
		return scriptError(c, err)
	}
	out, err := h.beginPasskeySignIn(c, account.KindBrowser, req.Challenge)
	if err != nil {
		return scriptError(c, err)
	}
	return sendJSON(c, fiber.StatusOK, out)
}

// POST /login/passkey/finish {ceremony, credential, challenge?, next} → 200 {next}
func (h *safetyHandlers) loginPasskeyFinish(c *fiber.Ctx) error {
	var req passkeyFinishReq
	if err := decodeJSON(c, &req); err != nil {
		return scriptError(c, err)
	}
	if _, err := h.finishPasskeySignIn(c, account.KindBrowser, req); err != nil {
		return scriptError(c, err)
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"next": localPath(req.Next)})
}

// scriptError answers passkey.js in JSON, as the API would: these page routes are called by the script
// only. Server failures stay the one error page.
func scriptError(c *fiber.Ctx, err error) error {
	status, e := classify(err)
	if status >= fiber.StatusInternalServerError {
		return err
	}
	retryAfterFallback(c, status)
	return c.Status(status).JSON(errorBody{Error: errorDetail{Code: string(e.Kind), Message: e.Message, Fields: e.Fields}, RequestID: requestID(c)})
}

func parsePasskeyRemoveForm(c *fiber.Ctx) *passkeyRemoveForm {
	return &passkeyRemoveForm{ID: c.Params("id"), Code: c.FormValue("code"), RecoveryCode: c.FormValue("recovery_code"),
		Ceremony: c.FormValue("ceremony"), Credential: c.FormValue("credential")}
}

// POST /safety-check/passkeys/:id/remove (recent authentication)
func (h *safetyHandlers) passkeyRemoveSubmit(c *fiber.Ctx) error {
	form := parsePasskeyRemoveForm(c)
	proof := account.PasskeyProof{Ceremony: form.Ceremony, Assertion: []byte(form.Credential), Code: form.Code, RecoveryCode: form.RecoveryCode}
	if err := h.removePasskey(c, form.ID, proof); err != nil {
		form.Ceremony, form.Credential = "", ""
		v, verr := h.safetyCheckView(c, &safetyForms{formSet: formSet{posted: form}, Remove: form})
		if verr != nil {
			return verr
		}
		return h.renderForm(c, "safety_check", v, err)
	}
	return c.Redirect("/safety-check?done=passkey-removed#passkeys", fiber.StatusSeeOther)
}

// POST /safety-check/auto-lock {auto_lock_minutes}
func (h *safetyHandlers) autoLockSubmit(c *fiber.Ctx) error {
	form := &autoLockForm{Minutes: c.FormValue("auto_lock_minutes")}
	if err := h.setAutoLock(c, form.Minutes); err != nil {
		v, verr := h.safetyCheckView(c, &safetyForms{formSet: formSet{posted: form}, AutoLock: form})
		if verr != nil {
			return verr
		}
		return h.renderForm(c, "safety_check", v, err)
	}
	return c.Redirect("/safety-check?done=auto-lock#auto-lock", fiber.StatusSeeOther)
}

// setAutoLock reads minutes as typed ("" or "0" is off) and saves it.
func (h *safetyHandlers) setAutoLock(c *fiber.Ctx, minutes string) error {
	n := 0
	if m := strings.TrimSpace(minutes); m != "" {
		var err error
		if n, err = strconv.Atoi(m); err != nil {
			n = -1 // refused below with the field's message
		}
	}
	return h.saveAutoLock(c, n)
}

func (h *safetyHandlers) saveAutoLock(c *fiber.Ctx, minutes int) error {
	if err := h.accounts.SetAutoLock(c.UserContext(), auth.CurrentUser(c).ID, minutes); err != nil {
		return err
	}
	h.securityEvent(c, slog.LevelInfo, "auto_lock_set", "", "minutes", minutes)
	return nil
}

// POST /safety-check/pause
func (h *safetyHandlers) pauseSubmit(c *fiber.Ctx) error {
	if err := h.pause(c); err != nil {
		return err
	}
	return c.Redirect("/safety-check?done=paused#pause", fiber.StatusSeeOther)
}

func (h *safetyHandlers) pause(c *fiber.Ctx) error {
	if err := h.notify.Pause(c.UserContext(), auth.CurrentUser(c).ID); err != nil {
		return err
	}
	h.securityEvent(c, slog.LevelInfo, "notifications_paused", "")
	return nil
}
