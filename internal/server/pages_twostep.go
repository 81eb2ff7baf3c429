package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/auth"
)

// secondStepForm is the second step of signing in: the challenge and the page to go to next travel
// in hidden inputs; the codes typed are never written back to the page, as a password is not.
type secondStepForm struct {
	Challenge, Next, Code, RecoveryCode string
	fieldErrors
}

func parseSecondStepForm(c *fiber.Ctx) *secondStepForm {
	return &secondStepForm{Challenge: c.FormValue("challenge"), Next: localPath(c.FormValue("next")),
		Code: c.FormValue("code"), RecoveryCode: c.FormValue("recovery_code")}
}

// twoStepCodeForm is the code form of /account/two-step (turning it on, or off); its template writes
// back only the messages, never the codes typed.
type twoStepCodeForm struct {
	Code, RecoveryCode string
	fieldErrors
}

func parseTwoStepCodeForm(c *fiber.Ctx) *twoStepCodeForm {
	return &twoStepCodeForm{Code: c.FormValue("code"), RecoveryCode: c.FormValue("recovery_code")}
}

// secondStepPage asks for the code after a right password (SECURITY K2). The challenge travels only
// in the form's body; err, when set, is the last attempt's error.
func (s *Server) secondStepPage(c *fiber.Ctx, challenge, next string, err error) error {
	v := s.newView(c, "Sign in")
	v.Nav = "login"
	v.Form = &secondStepForm{Challenge: challenge, Next: localPath(next)}
	v.Data = secondStepFactors(c, s.accounts, challenge)
	if err != nil {
		return s.renderForm(c, "login_two_step", v, err)
	}
	return s.render(c, "login_two_step", v)
}

func (h *safetyHandlers) loginSecondFactorSubmit(c *fiber.Ctx) error {
	form := parseSecondStepForm(c)
	_, err := h.completeSignIn(c, form.Challenge, form.Code, form.RecoveryCode, account.KindBrowser)
	switch {
	case errors.Is(err, account.ErrChallengeInvalid):
		return c.Redirect(loginAgain(form.Next), fiber.StatusSeeOther)
	case err != nil:
		return h.secondStepPage(c, form.Challenge, form.Next, err)
	}
	return c.Redirect(form.Next, fiber.StatusSeeOther)
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

// twoStepView is the two-step page with form in its code form (a new one when nil).
func (h *safetyHandlers) twoStepView(c *fiber.Ctx, form *twoStepCodeForm) (*view, error) {
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
	if form == nil {
		form = &twoStepCodeForm{}
	}
	v.Form = form
	return v, nil
}

func (h *safetyHandlers) twoStepPage(c *fiber.Ctx) error {
	v, err := h.twoStepView(c, nil)
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
	form := parseTwoStepCodeForm(c)
	codes, err := h.confirmTOTP(c, form.Code)
	v, verr := h.twoStepView(c, form)
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
	form := parseTwoStepCodeForm(c)
	if err := h.disableTOTP(c, form.Code, form.RecoveryCode); err != nil {
		v, verr := h.twoStepView(c, form)
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
