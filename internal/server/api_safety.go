package server

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/auth"
	"github.com/mendhq/mend/internal/couple"
)

type signInJSON struct {
	Kind   string `json:"kind"`
	Label  string `json:"label"`
	Device string `json:"device"`
	At     string `json:"at"`
}

type sharedJSON struct {
	Moments        []momentJSON      `json:"moments"`
	Acknowledgment *ackVersionJSON   `json:"acknowledgment"`
	Reflections    []sharedReflJSON  `json:"reflections"`
	Agreements     []sharedAgreeJSON `json:"agreement_versions"`
	OpenedAnswers  []string          `json:"opened_answers"`
	Note           string            `json:"note"`
}

type sharedReflJSON struct {
	ID        string `json:"id"`
	Week      string `json:"week"`
	CreatedAt string `json:"created_at"`
}

type sharedAgreeJSON struct {
	AgreementID string `json:"agreement_id"`
	Title       string `json:"title"`
	Version     int    `json:"version"`
	CreatedAt   string `json:"created_at"`
}

type secondFactorsJSON struct {
	TOTP          bool          `json:"totp"`
	TOTPSince     *string       `json:"totp_since"`
	RecoveryCodes int           `json:"recovery_codes_left"`
	Passkeys      []passkeyJSON `json:"passkeys"`
}

func secondFactorsJSONOf(f account.TwoStep, pks []account.Passkey) secondFactorsJSON {
	out := secondFactorsJSON{TOTP: f.On, TOTPSince: sinceJSON(f), RecoveryCodes: f.RecoveryLeft, Passkeys: []passkeyJSON{}}
	for _, p := range pks {
		out.Passkeys = append(out.Passkeys, toPasskeyJSON(p))
	}
	return out
}

// failedJSON tells the owner of failed sign-ins: notice is true once there are threshold of them within
// window_days (a wrong password, or a wrong code or passkey after a right password).
type failedJSON struct {
	Count      int     `json:"count"`
	LastAt     *string `json:"last_at"`
	Notice     bool    `json:"notice"`
	Threshold  int     `json:"threshold"`
	WindowDays int     `json:"window_days"`
}

func failedJSONOf(f account.FailedAttempts) failedJSON {
	out := failedJSON{Count: f.Count, Notice: f.Notice, Threshold: account.FailedNoticeThreshold, WindowDays: int(account.FailedNoticeWindow / (24 * time.Hour))}
	if f.Count > 0 {
		out.LastAt = optTime(&f.Last)
	}
	return out
}

// openedStayNote says plainly what un-sharing cannot do.
const openedStayNote = "Check-in answers that have opened stay opened for both of you: they can't be taken back. Reflections and agreement texts belong to the couple's record."

func (h *safetyHandlers) apiSecurity(c *fiber.Ctx) error {
	u, sess := auth.CurrentUser(c), auth.CurrentSession(c)
	sec, err := h.securityOf(c.UserContext(), u, sess, membership(c))
	if err != nil {
		return err
	}
	sessions := make([]mySessionJSON, 0, len(sec.Sessions))
	for _, se := range sec.Sessions {
		sessions = append(sessions, toMySessionJSON(se, sec.CurrentID))
	}
	signIns := make([]signInJSON, 0, len(sec.History))
	for _, e := range sec.History {
		signIns = append(signIns, signInJSON{Kind: e.Kind, Label: account.EventLabel(e.Kind), Device: e.Device, At: rfc3339(e.CreatedAt)})
	}
	f := secondFactorsJSONOf(sec.Factors, sec.Passkeys)
	return sendJSON(c, fiber.StatusOK, fiber.Map{"sessions": sessions, "sign_ins": signIns, "shared": sharedJSONOf(sec.Shared, u.ID), "second_factors": f,
		"failed_sign_ins": failedJSONOf(sec.Failed), "auto_lock_minutes": sec.AutoLock, "notifications_paused": sec.Notifications.Paused()})
}

func sharedJSONOf(sh *sharedOfMine, userID string) sharedJSON {
	out := sharedJSON{Moments: []momentJSON{}, Reflections: []sharedReflJSON{}, Agreements: []sharedAgreeJSON{}, OpenedAnswers: []string{}, Note: openedStayNote}
	if sh == nil {
		return out
	}
	for _, m := range sh.Moments {
		out.Moments = append(out.Moments, momentJSONOf(m, userID))
	}
	if sh.Acknowledgment != nil {
		v := ackVersionJSONOf(*sh.Acknowledgment)
		out.Acknowledgment = &v
	}
	for _, r := range sh.Reflections {
		out.Reflections = append(out.Reflections, sharedReflJSON{ID: r.ID, Week: r.Week, CreatedAt: rfc3339(r.CreatedAt)})
	}
	for _, v := range sh.Versions {
		out.Agreements = append(out.Agreements, sharedAgreeJSON{AgreementID: v.AgreementID, Title: v.Title, Version: v.Number, CreatedAt: rfc3339(v.CreatedAt)})
	}
	out.OpenedAnswers = append(out.OpenedAnswers, sh.OpenedWeeks...)
	return out
}

func (h *safetyHandlers) apiUnshareMoment(c *fiber.Ctx) error {
	m := membership(c)
	x, err := h.plan.UnshareMoment(c.UserContext(), m, c.Params("id"))
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"moment": momentJSONOf(*x, m.Me.UserID)})
}

func (h *safetyHandlers) apiUnshareAck(c *fiber.Ctx) error {
	if err := h.plan.UnshareAcknowledgment(c.UserContext(), membership(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// export is the security section of a user's export: their own sign-in history and whether two-step
// sign-in is on (never its secret or a recovery code).
func (h *safetyHandlers) export(ctx context.Context, u *account.User, _ *couple.Membership) (any, error) {
	events, err := h.accounts.History(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	f, err := h.accounts.SecondFactors(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	pks, err := h.accounts.Passkeys(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	signIns := make([]signInJSON, 0, len(events))
	for _, e := range events {
		signIns = append(signIns, signInJSON{Kind: e.Kind, Label: account.EventLabel(e.Kind), Device: e.Device, At: rfc3339(e.CreatedAt)})
	}
	return fiber.Map{"sign_ins": signIns, "second_factors": secondFactorsJSONOf(f, pks)}, nil
}

// sinceJSON is when two-step sign-in was turned on, or null while it is off.
func sinceJSON(f account.TwoStep) *string {
	if !f.On {
		return nil
	}
	return optTime(&f.Since)
}

// PUT /api/v1/me/auto-lock {auto_lock_minutes} → 200 {auto_lock_minutes, choices}
func (h *safetyHandlers) apiAutoLock(c *fiber.Ctx) error {
	var req struct {
		Minutes *int `json:"auto_lock_minutes"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Minutes == nil {
		return apperr.Fields(map[string]string{"auto_lock_minutes": "Give the minutes (0 for off)."})
	}
	if err := h.saveAutoLock(c, *req.Minutes); err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"auto_lock_minutes": *req.Minutes, "choices": append([]int{0}, h.accounts.AutoLockOptions()...)})
}

// POST /api/v1/me/notifications/pause → 204
func (h *safetyHandlers) apiPause(c *fiber.Ctx) error {
	if err := h.pause(c); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
