package updates

import (
	"context"
	"strconv"
	"time"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/plan"
)

// FromServices returns the Sources over the features' services. They only read them: what waits for
// whom, what is shared and what is due are those features' rules (agreement.View.WaitingFor, the
// plan's partner acknowledgment, the check-ins' opened weeks, the plan's therapy prompt…).
func FromServices(now func() time.Time, accounts *account.Service, agreements *agreement.Service, checkins Checkins, p *plan.Service) Sources {
	return Sources{
		List: []Source{
			fromAgreements(agreements),
			fromAcknowledgment(p),
			fromCheckins(checkins),
			fromTherapy(p, now),
			fromSignIns(accounts),
		},
		LowSafety: p.LowSafety,
	}
}

// Checkins is what "For you" reads of the check-ins: checkin.Service, or one that reads the couple's
// current pause once for a whole page.
type Checkins interface {
	OpenedSince(ctx context.Context, m *couple.Membership, since time.Time) ([]checkin.OpenedWeek, error)
	ReflectionNews(ctx context.Context, m *couple.Membership, since time.Time) ([]checkin.ReflectionNews, error)
	CurrentTimeout(ctx context.Context, m *couple.Membership) (*checkin.Timeout, error)
}

// fromAgreements: a version waiting for my answer, an agreement due for review, consent withdrawn by
// my partner.
func fromAgreements(svc *agreement.Service) Source {
	return func(ctx context.Context, _ string, m *couple.Membership, since time.Time) ([]Update, error) {
		if m == nil {
			return nil, nil
		}
		views, err := svc.SharedSummaries(ctx, m)
		if err != nil {
			return nil, err
		}
		me, partner := m.Me.UserID, m.PartnerID()
		var out []Update
		for _, v := range views {
			link := "/agreements/" + v.ID
			if v.WaitingFor(me) {
				out = append(out, Update{ID: AgreementWaiting + ":" + v.ID + ":" + strconv.Itoa(v.Current.Number), Kind: AgreementWaiting,
					At: v.Current.CreatedAt, Link: link})
			}
			if v.DueForReview && v.ReviewOn != "" {
				if day, err := time.ParseInLocation(agreement.DateLayout, v.ReviewOn, m.Location); err == nil {
					out = append(out, Update{ID: AgreementDueForReview + ":" + v.ID + ":" + v.ReviewOn, Kind: AgreementDueForReview,
						At: day, Link: link, Joint: true})
				}
			}
			for _, e := range v.Log {
				if e.Action == agreement.ActionWithdrawn && partner != "" && e.ActorID == partner && !e.CreatedAt.Before(since) {
					out = append(out, Update{ID: AgreementWithdrawn + ":" + e.ID, Kind: AgreementWithdrawn, At: e.CreatedAt, Link: link})
				}
			}
		}
		return out, nil
	}
}

// fromAcknowledgment: my partner's shared acknowledgment (each version they shared), and my partner's
// latest response to mine.
func fromAcknowledgment(p *plan.Service) Source {
	return func(ctx context.Context, _ string, m *couple.Membership, _ time.Time) ([]Update, error) {
		if m == nil || m.PartnerID() == "" {
			return nil, nil
		}
		page, err := p.Acknowledgment(ctx, m)
		if err != nil {
			return nil, err
		}
		var out []Update
		if a := page.Partner; a != nil {
			out = append(out, Update{ID: AcknowledgmentShared + ":" + a.ID + ":" + strconv.Itoa(a.Version), Kind: AcknowledgmentShared,
				At: a.SharedAt, Link: "/acknowledgment"})
		}
		if mine := page.Mine; mine != nil && mine.Response != nil && mine.Response.ResponderID != m.Me.UserID {
			out = append(out, Update{ID: AcknowledgmentResponse + ":" + mine.Response.ID, Kind: AcknowledgmentResponse,
				At: mine.Response.CreatedAt, Link: "/acknowledgment"})
		}
		return out, nil
	}
}

// fromCheckins: weeks that opened for both of us, reflections of my answers waiting for my
// confirmation, answers to what I heard, and a pause my partner asked for.
func fromCheckins(svc Checkins) Source {
	return func(ctx context.Context, _ string, m *couple.Membership, since time.Time) ([]Update, error) {
		if m == nil || m.PartnerID() == "" {
			return nil, nil
		}
		weeks, err := svc.OpenedSince(ctx, m, since)
		if err != nil {
			return nil, err
		}
		var out []Update
		for _, w := range weeks {
			out = append(out, Update{ID: CheckinOpened + ":" + w.Week, Kind: CheckinOpened, At: w.OpenedAt, Link: "/checkins/" + w.Week, Detail: w.Week})
		}
		news, err := svc.ReflectionNews(ctx, m, since)
		if err != nil {
			return nil, err
		}
		for _, r := range news {
			kind := ReflectionAnswered
			if r.ToConfirm {
				kind = ReflectionWaiting
			}
			out = append(out, Update{ID: kind + ":" + r.ID, Kind: kind, At: r.At, Link: "/checkins/" + r.Week + "#heard", Joint: true, Detail: r.Week})
		}
		t, err := svc.CurrentTimeout(ctx, m)
		if err != nil {
			return nil, err
		}
		if t != nil && t.UserID != m.Me.UserID {
			out = append(out, Update{ID: TimeoutActive + ":" + t.ID, Kind: TimeoutActive, At: t.CreatedAt, Link: "/checkins"})
		}
		return out, nil
	}
}

// fromTherapy: the plan's therapy prompt, raised at most once a month while it shows. The couple
// variant suggests something together; the individual one (while my safety answer is low) does not.
func fromTherapy(p *plan.Service, now func() time.Time) Source {
	return func(ctx context.Context, _ string, m *couple.Membership, _ time.Time) ([]Update, error) {
		if m == nil || m.PartnerID() == "" {
			return nil, nil
		}
		d, err := p.Dashboard(ctx, m)
		if err != nil || !d.Prompt.Show {
			return nil, err
		}
		y, mo, _ := now().In(m.Location).Date()
		start := time.Date(y, mo, 1, 0, 0, 0, 0, m.Location)
		return []Update{{ID: TherapyPrompt + ":" + d.Prompt.Variant + ":" + start.Format("2006-01"), Kind: TherapyPrompt, At: start,
			Link: "/plan#therapy", Joint: d.Prompt.Variant == plan.PromptCouple, Detail: d.Prompt.Variant}}, nil
	}
}

// fromSignIns: a sign-in to my account from a device it had not used before.
func fromSignIns(accounts *account.Service) Source {
	return func(ctx context.Context, userID string, _ *couple.Membership, since time.Time) ([]Update, error) {
		evs, err := accounts.NewDeviceSignIns(ctx, userID)
		if err != nil {
			return nil, err
		}
		var out []Update
		for _, e := range evs {
			if e.CreatedAt.Before(since) {
				continue
			}
			out = append(out, Update{ID: NewSignIn + ":" + e.ID, Kind: NewSignIn, At: e.CreatedAt, Link: "/safety-check", Detail: e.Device})
		}
		return out, nil
	}
}
