package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/auth"
)

// secondStepPage asks for the code after a right password (SECURITY K2). The challenge travels only
// in the form's body; err, when set, is the last attempt's error.
func (s *Server) secondStepPage(c *fiber.Ctx, challenge, next string, err error) error {
	v := s.newView(c, "Sign in")
	v.Nav = "login"
	v.Form = map[string]string{"challenge": challenge, "next": localPath(next)}
	v.Data = secondStepFactors(c, s.accounts, challenge)
	if err != nil {
		return s.renderForm(c, "login_two_step", v, err)
	}
	return s.render(c, "login_two_step", v)
}

func (h *safetyHandlers) loginSecondFactorSubmit(c *fiber.Ctx) error {
	next := localPath(c.FormValue("next"))
	challenge := c.FormValue("challenge")
	_, err := h.completeSignIn(c, challenge, c.FormValue("code"), c.FormValue("recovery_code"), account.KindBrowser)
	switch {
	case errors.Is(err, account.ErrChallengeInvalid):
		return c.Redirect(loginAgain(next), fiber.StatusSeeOther)
	case err != nil:
		return h.secondStepPage(c, challenge, next, err)
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// twoStepNotices are the confirmations /account/two-step shows, chosen by ?done=.
var twoStepNotices = map[string]string{
	"off": "Two-step sign-in is off. Your password alone signs you in again.",
}

// twoStepData is what the two-step page shows.
type twoStepData struct {
	Factors account.TwoStep
	Secret  string
	QR      any
	Codes   []string
	Recent  bool
	Notice  string
}

func (h *safetyHandlers) twoStepView(c *fiber.Ctx) (*view, error) {
	u := auth.CurrentUser(c)
	f, err := h.accounts.SecondFactors(c.UserContext(), u.ID)
	if err != nil {
		return nil, err
	}
	d := &twoStepData{Factors: f, Recent: h.accounts.RecentlyAuthenticated(auth.CurrentSession(c)), Notice: twoStepNotices[c.Query("done")]}
	if !f.On {
		secret, url, err := h.accounts.PendingTOTP(c.UserContext(), u, h.appName())
		if err != nil {
			return nil, err
		}
		if secret != "" {
			qr, err := qrSVG(url, "QR code for your authenticator app")
			if err != nil {
				return nil, err
			}
			d.Secret, d.QR = secret, qr
		}
	}
	v := h.newView(c, "Two-step sign-in")
	v.Nav = "account"
	v.Data = d
	return v, nil
}

func (h *safetyHandlers) twoStepPage(c *fiber.Ctx) error {
	v, err := h.twoStepView(c)
	if err != nil {
		return err
	}
	return h.render(c, "two_step", v)
}

func (h *safetyHandlers) twoStepStartSubmit(c *fiber.Ctx) error {
	if _, _, err := h.accounts.StartTOTP(c.UserContext(), auth.CurrentUser(c), h.appName()); err != nil && !apperr.Is(err, apperr.Conflict) {
		return err
	}
	return c.Redirect("/account/two-step", fiber.StatusSeeOther)
}

// twoStepConfirmSubmit turns two-step sign-in on and shows the recovery codes, once: they are not
// kept anywhere they could be shown again.
func (h *safetyHandlers) twoStepConfirmSubmit(c *fiber.Ctx) error {
	codes, err := h.confirmTOTP(c, c.FormValue("code"))
	v, verr := h.twoStepView(c)
	if verr != nil {
		return verr
	}
	if err != nil {
		return h.renderForm(c, "two_step", v, err)
	}
	v.Data.(*twoStepData).Codes = codes
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.render(c, "two_step", v)
}

func (h *safetyHandlers) twoStepOffSubmit(c *fiber.Ctx) error {
	if err := h.disableTOTP(c, c.FormValue("code"), c.FormValue("recovery_code")); err != nil {
		v, verr := h.twoStepView(c)
		if verr != nil {
			return verr
		}
		return h.renderForm(c, "two_step", v, err)
	}
	return c.Redirect("/account/two-step?done=off", fiber.StatusSeeOther)
}

// secondStepData says which factors the second step offers; with none known (an ended challenge) the
// page offers the code.
type secondStepData struct {
	TOTP, Passkey bool
}

func secondStepFactors(c *fiber.Ctx, accounts *account.Service, challenge string) *secondStepData {
	d := &secondStepData{TOTP: true}
	u, err := accounts.ChallengeUser(c.UserContext(), challenge, account.KindBrowser)
	if err != nil {
		return d
	}
	if f, err := accounts.SecondFactors(c.UserContext(), u.ID); err == nil {
		d.TOTP, d.Passkey = f.On, f.Passkeys > 0 && accounts.RelyingPartyID() != ""
	}
	return d
}
