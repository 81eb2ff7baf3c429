package server

import (
	"context"
	"time"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/notify"
	"github.com/mendhq/mend/internal/plan"
)

// safetyHandlers serve the Safety Check and two-step sign-in (DESIGN §5.3): who is signed in and the
// sign-in history, what the partner can see of mine, and the second factor. Nothing here is ever shown
// or announced to the partner.
type safetyHandlers struct {
	// The Safety Check signs in through the second step, so it stands on the accounts' handlers.
	*accountHandlers
	plan       *plan.Service
	checkins   *checkin.Service
	agreements *agreement.Service
	// notify is only for "Pause my notifications".
	notify *notify.Service
}

// security is what the Safety Check shows a person of their own account.
type security struct {
	Sessions  []account.Session
	CurrentID string
	History   []account.Event
	Shared    *sharedOfMine
	Factors   account.TwoStep
	Passkeys  []account.Passkey
	// Failed counts the recent failed sign-ins (shown once past the threshold).
	Failed   account.FailedAttempts
	AutoLock int
	// Notifications are the caller's notification settings (for the pause).
	Notifications *notify.View
}

// sharedOfMine is everything of the user's that the partner can see in their current couple.
type sharedOfMine struct {
	Moments        []plan.Moment
	Acknowledgment *plan.AckVersion
	// Reflections are what the user wrote back about the partner's opened answers.
	Reflections []checkin.Reflection
	// Versions are the agreement texts the user wrote (every version is the couple's).
	Versions []agreementText
	// OpenedWeeks are the weeks whose answers opened for both; they stay opened.
	OpenedWeeks []string
}

type agreementText struct {
	AgreementID string
	Title       string
	Number      int
	CreatedAt   time.Time
}

// securityOf collects the signed-in user's own security view; sess is their current session.
func (h *safetyHandlers) securityOf(ctx context.Context, u *account.User, sess *account.Session, m *couple.Membership) (*security, error) {
	out := &security{CurrentID: sess.ID}
	var err error
	if out.Sessions, err = h.accounts.Sessions(ctx, u.ID); err != nil {
		return nil, err
	}
	if out.History, err = h.accounts.History(ctx, u.ID); err != nil {
		return nil, err
	}
	if out.Factors, err = h.accounts.SecondFactors(ctx, u.ID); err != nil {
		return nil, err
	}
	if out.Passkeys, err = h.accounts.Passkeys(ctx, u.ID); err != nil {
		return nil, err
	}
	if out.Failed, err = h.accounts.RecentFailures(ctx, u.ID); err != nil {
		return nil, err
	}
	if out.Notifications, err = h.notify.Get(ctx, u.ID, u.Email); err != nil {
		return nil, err
	}
	out.AutoLock = u.AutoLockMinutes
	if m != nil {
		if out.Shared, err = h.sharedOf(ctx, u.ID, m); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (h *safetyHandlers) sharedOf(ctx context.Context, userID string, m *couple.Membership) (*sharedOfMine, error) {
	out := &sharedOfMine{}
	moments, err := h.plan.Moments(ctx, m)
	if err != nil {
		return nil, err
	}
	for _, mo := range moments {
		if mo.Mine(userID) && mo.Shared {
			out.Moments = append(out.Moments, mo)
		}
	}
	ack, err := h.plan.Acknowledgment(ctx, m)
	if err != nil {
		return nil, err
	}
	if ack.Mine != nil {
		out.Acknowledgment = ack.Mine.Shared
	}
	ex, err := h.checkins.Export(ctx, userID, m)
	if err != nil {
		return nil, err
	}
	for _, r := range ex.Reflections {
		if r.CoupleID == m.Couple.ID && r.ListenerID == userID {
			out.Reflections = append(out.Reflections, r)
		}
	}
	_, weeks, err := h.checkins.Weeks(ctx, m)
	if err != nil {
		return nil, err
	}
	for _, w := range weeks {
		if w.State == checkin.StateOpened && w.Mine == "shared" {
			out.OpenedWeeks = append(out.OpenedWeeks, w.Week.String())
		}
	}
	views, err := h.agreements.ForUser(ctx, userID, m)
	if err != nil {
		return nil, err
	}
	for _, v := range views {
		if v.CoupleID != m.Couple.ID {
			continue
		}
		for _, ver := range v.Versions {
			if ver.AuthorID == userID {
				out.Versions = append(out.Versions, agreementText{AgreementID: v.ID, Title: ver.Title, Number: ver.Number, CreatedAt: ver.CreatedAt})
			}
		}
	}
	return out, nil
}
