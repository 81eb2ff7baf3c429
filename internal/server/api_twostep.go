package server

import (
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/auth"
)

type secondFactorReq struct {
	Challenge    string `json:"challenge"`
	Code         string `json:"code"`
	RecoveryCode string `json:"recovery_code"`
}

// apiSecondFactorRequired answers a right password for an account with two-step sign-in on: 401 with
// the challenge that POST /auth/login/second-factor completes, and never a session (SECURITY K2).
func apiSecondFactorRequired(c *fiber.Ctx, need *secondFactorRequired) error {
	return sendJSON(c, fiber.StatusUnauthorized, fiber.Map{
		"error":      errorDetail{Code: "second_factor_required", Message: "Complete the second step: " + factorWords(need.Factors) + "."},
		"challenge":  need.Challenge,
		"factors":    factorNames(need.Factors),
		"expires_in": int(account.ChallengeValidity / time.Second),
		"request_id": requestID(c),
	})
}

func (h *safetyHandlers) apiLoginSecondFactor(c *fiber.Ctx) error {
	var req secondFactorReq
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	in, err := h.completeSignIn(c, req.Challenge, req.Code, req.RecoveryCode, account.KindAPI)
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"token": in.Token, "expires_at": in.Expires.UTC().Format(time.RFC3339), "user": toUserJSON(in.User)})
}

func (h *safetyHandlers) apiTOTPStart(c *fiber.Ctx) error {
	secret, url, err := h.accounts.StartTOTP(c.UserContext(), auth.CurrentUser(c), h.appName())
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusCreated, fiber.Map{"secret": secret, "otpauth_url": url})
}

func (h *safetyHandlers) apiTOTPConfirm(c *fiber.Ctx) error {
	var req secondFactorReq
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	codes, err := h.confirmTOTP(c, req.Code)
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"recovery_codes": codes})
}

func (h *safetyHandlers) apiTOTPDelete(c *fiber.Ctx) error {
	var req secondFactorReq
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := h.disableTOTP(c, req.Code, req.RecoveryCode); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// confirmTOTP turns two-step sign-in on with a first code, throttled like a password.
func (h *safetyHandlers) confirmTOTP(c *fiber.Ctx, code string) ([]string, error) {
	u := auth.CurrentUser(c)
	var codes []string
	err := h.factorGuess(c, func() (err error) {
		codes, err = h.accounts.ConfirmTOTP(c.UserContext(), u.ID, code)
		return err
	})
	if err != nil {
		return nil, err
	}
	h.securityEvent(c, slog.LevelInfo, "second_factor_on", "", "factor", "totp")
	h.remember(c, u.ID, account.EventSecondFactorOn)
	return codes, nil
}

// disableTOTP turns two-step sign-in off with a current code or a recovery code (recent
// authentication is checked by the route).
func (h *safetyHandlers) disableTOTP(c *fiber.Ctx, code, recovery string) error {
	u := auth.CurrentUser(c)
	if err := h.factorGuess(c, func() error { return h.accounts.DisableTOTP(c.UserContext(), u.ID, code, recovery) }); err != nil {
		return err
	}
	h.securityEvent(c, slog.LevelInfo, "second_factor_off", "", "factor", "totp")
	h.remember(c, u.ID, account.EventSecondFactorOff)
	return nil
}

// factorWords names what completes the second step, in words.
func factorWords(f account.TwoStep) string {
	switch {
	case f.On && f.Passkeys > 0:
		return "a code from your authenticator app, a passkey (POST /api/v1/auth/passkey/begin with this challenge), or a recovery code"
	case f.Passkeys > 0:
		return "a passkey (POST /api/v1/auth/passkey/begin with this challenge) or a recovery code"
	default:
		return "the code from your authenticator app, or a recovery code"
	}
}
