package server

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/auth"
)

// safetyNotices are the confirmations the Safety Check shows, chosen by ?done=.
var safetyNotices = map[string]string{
	"unshared":        "That is private again. Your partner isn't told.",
	"passkey-added":   "Your passkey is added. Next time, sign in with it instead of your password.",
	"passkey-removed": "The passkey is removed. It can't sign in to your account any more.",
	"auto-lock":       "Auto-lock is saved for every device you sign in on.",
	"paused":          "Every notification is paused: no e-mail will be sent and the calendar link no longer works.",
}

// safetyCheckData is what the Safety Check page shows.
type safetyCheckData struct {
	Devices []deviceRow
	Others  int
	History []historyRow
	Shared  *sharedOfMine
	Factors account.TwoStep
	Notice  string
	// Passkeys are the person's passkeys; PasskeysOn is false when this Mend cannot offer them.
	Passkeys   []account.Passkey
	PasskeysOn bool
	// Recent: the password was entered in the last minutes, so factors can be added or removed here.
	Recent bool
	Failed account.FailedAttempts
	// AutoLockOptions are the choices shorter than the operator's idle timeout (IdleMinutes).
	AutoLockOptions []option
	IdleMinutes     int
	Paused          bool
}

// safetyForms are the Safety Check's forms that can show again with messages.
type safetyForms struct {
	formSet
	AutoLock *autoLockForm
	Remove   *passkeyRemoveForm
}

// autoLockForm chooses the auto-lock (minutes, "0" for off).
type autoLockForm struct {
	Minutes string
	fieldErrors
}

// passkeyRemoveForm removes passkey ID with a code or a recovery code, or with the passkey's own
// answer (Ceremony and Credential, filled by passkey.js).
type passkeyRemoveForm struct {
	ID, Code, RecoveryCode, Ceremony, Credential string
	fieldErrors
}

// historyRow is one line of the sign-in history.
type historyRow struct {
	account.Event
	Label string
}

func (h *safetyHandlers) safetyCheckPage(c *fiber.Ctx) error {
	v, err := h.safetyCheckView(c, &safetyForms{})
	if err != nil {
		return err
	}
	h.markSeen(c, "/safety-check")
	return h.render(c, "safety_check", v)
}

// safetyCheckView is the Safety Check with forms in it.
func (h *safetyHandlers) safetyCheckView(c *fiber.Ctx, forms *safetyForms) (*view, error) {
	u, sess := auth.CurrentUser(c), auth.CurrentSession(c)
	sec, err := h.securityOf(c.UserContext(), u, sess, membership(c))
	if err != nil {
		return nil, err
	}
	if forms.AutoLock == nil {
		forms.AutoLock = &autoLockForm{Minutes: strconv.Itoa(sec.AutoLock)}
	}
	if forms.Remove == nil {
		forms.Remove = &passkeyRemoveForm{}
	}
	d := &safetyCheckData{Shared: sec.Shared, Factors: sec.Factors, Notice: safetyNotices[c.Query("done")],
		Passkeys: sec.Passkeys, PasskeysOn: h.accounts.RelyingPartyID() != "", Recent: h.accounts.RecentlyAuthenticated(sess),
		Failed: sec.Failed, IdleMinutes: int(h.cfg.IdleTimeout / time.Minute), Paused: sec.Notifications.Paused()}
	d.AutoLockOptions = append(d.AutoLockOptions, option{"0", "Off"})
	for _, m := range h.accounts.AutoLockOptions() {
		d.AutoLockOptions = append(d.AutoLockOptions, option{strconv.Itoa(m), strconv.Itoa(m) + " minutes"})
	}
	for _, se := range sec.Sessions {
		row := deviceRow{ID: se.ID, Device: account.DeviceName(se.UserAgent), API: se.Kind == account.KindAPI,
			Created: se.CreatedAt, LastSeen: se.LastSeenAt, Current: se.ID == sess.ID}
		if row.Current {
			d.Devices = append([]deviceRow{row}, d.Devices...)
			continue
		}
		d.Others++
		d.Devices = append(d.Devices, row)
	}
	for _, e := range sec.History {
		d.History = append(d.History, historyRow{Event: e, Label: account.EventLabel(e.Kind)})
	}
	v := h.newView(c, "Safety Check")
	v.Nav = "account"
	v.Data = d
	v.Form = forms
	return v, nil
}

func (h *safetyHandlers) unshareMomentSubmit(c *fiber.Ctx) error {
	if _, err := h.plan.UnshareMoment(c.UserContext(), membership(c), c.Params("id")); err != nil {
		return err
	}
	return c.Redirect("/safety-check?done=unshared#shared", fiber.StatusSeeOther)
}

func (h *safetyHandlers) unshareAckSubmit(c *fiber.Ctx) error {
	if err := h.plan.UnshareAcknowledgment(c.UserContext(), membership(c)); err != nil {
		return err
	}
	return c.Redirect("/safety-check?done=unshared#shared", fiber.StatusSeeOther)
}
