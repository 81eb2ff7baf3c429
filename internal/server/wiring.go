package server

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/monthly"
	"github.com/mendhq/mend/internal/notify"
	"github.com/mendhq/mend/internal/plan"
	"github.com/mendhq/mend/internal/question"
	"github.com/mendhq/mend/internal/trigger"
	"github.com/mendhq/mend/internal/updates"
)

// services are Mend's feature services, each built once, here, from the database, the clock and the
// configuration. Handlers receive the ones they use (see features.go).
type services struct {
	accounts   *account.Service
	couples    *couple.Service
	agreements *agreement.Service
	checkins   *checkin.Service
	plan       *plan.Service
	notify     *notify.Service
	triggers   *trigger.Service
	questions  *question.Service
	monthly    *monthly.Service
	updates    *updates.Service
}

// newServices builds every service. Check-ins ask the agreements feature which agreements are active;
// the plan reads its facts from agreements and check-ins through plan.Sources.
func newServices(db *gorm.DB, now func() time.Time, cfg config.Config, planFacts plan.Sources) services {
	var s services
	s.accounts = account.NewService(db, account.Options{Now: now, IdleTimeout: cfg.IdleTimeout, AbsoluteTimeout: cfg.AbsoluteTimeout,
		BaseURL: cfg.BaseURL, AppName: cfg.AppName})
	s.couples = couple.NewService(db, now)
	s.agreements = agreement.NewService(db, now)
	s.checkins = checkin.NewService(db, now, activeAgreements(s.agreements))
	if planFacts == nil {
		planFacts = planSources{agreements: s.agreements, checkins: s.checkins}
	}
	s.plan = plan.NewService(db, now, planFacts)
	s.notify = notify.NewService(db, notify.FromServices(s.couples, s.checkins, s.agreements), notify.Options{Now: now, BaseURL: cfg.BaseURL, MailEnabled: cfg.MailEnabled()})
	s.triggers = trigger.NewService(db, now)
	s.questions = question.NewService(db, now)
	s.monthly = monthly.NewService(db, now)
	s.updates = updates.NewService(db, now, updates.FromServices(now, s.accounts, s.agreements, checkinReads{s.checkins}, s.plan))
	return s
}

// activeAgreements lets a check-in ask about the couple's active agreements (DESIGN §2.4).
func activeAgreements(svc *agreement.Service) checkin.ActiveAgreements {
	return func(ctx context.Context, m *couple.Membership) ([]checkin.AgreementRef, error) {
		active, err := svc.Active(ctx, m)
		if err != nil {
			return nil, err
		}
		refs := make([]checkin.AgreementRef, 0, len(active))
		for _, a := range active {
			refs = append(refs, checkin.AgreementRef{ID: a.ID, Title: a.Current.Title})
		}
		return refs, nil
	}
}

// planSources is plan.Sources over the agreements and check-ins services. It only passes their answers
// on in the plan's types: the rules (what "active" or "opened" means, when an agreement was first
// accepted by both) are the features' own.
type planSources struct {
	agreements *agreement.Service
	checkins   *checkin.Service
}

// Agreements returns the couple's agreement facts (agreement.Service.Facts).
func (p planSources) Agreements(ctx context.Context, coupleID string, loc *time.Location) (plan.AgreementFacts, error) {
	f, err := p.agreements.Facts(ctx, &couple.Membership{Couple: couple.Couple{ID: coupleID}, Location: loc})
	return plan.AgreementFacts(f), err
}

// OpenedWeeks returns the couple's opened check-in weeks as q.UserID sees them: their own ratings,
// their partner's trust and connection, and each week's counts (checkin.Service.OpenedWeeks).
func (p planSources) OpenedWeeks(ctx context.Context, q plan.WeeksQuery) ([]plan.OpenedWeek, error) {
	weeks, err := p.checkins.OpenedWeeks(ctx, checkin.OpenedWeeksQuery{CoupleID: q.CoupleID, ViewerID: q.UserID, PartnerID: q.PartnerID,
		KeptFrom: checkin.Week{Year: q.KeptFrom.Year, Num: q.KeptFrom.Num}, OpenedAt: q.OpenedAt})
	if err != nil || len(weeks) == 0 {
		return nil, err
	}
	out := make([]plan.OpenedWeek, len(weeks))
	for i := range weeks {
		w := &weeks[i]
		out[i] = plan.OpenedWeek{Week: plan.Week{Year: w.Week.Year, Num: w.Week.Num}, OpenedAt: w.OpenedAt,
			Me:      plan.Ratings{Trust: w.Me.Trust, Connection: w.Me.Connection, Safety: w.Me.Safety},
			Partner: plan.Ratings{Trust: w.Partner.Trust, Connection: w.Partner.Connection},
			Kept:    w.Kept, Partly: w.Partly, NotKept: w.NotKept, NotSure: w.NotSure,
			Confirmed: w.Confirmed}
	}
	return out, nil
}

// LowSafety reports whether userID's latest safety answer in the couple is low. Given withGlanceMemo
// for that member (the home), it is the check-in glance's answer, read once for the page.
func (p planSources) LowSafety(ctx context.Context, coupleID, userID string) (bool, error) {
	if memo, _ := ctx.Value(glanceMemoKey{}).(*glanceMemo); memo != nil && memo.m.Couple.ID == coupleID && memo.m.Me.UserID == userID {
		g, err := glance(ctx, p.checkins, memo.m)
		return g.LowSafety, err
	}
	return p.checkins.CheckLowSafety(ctx, coupleID, userID)
}

// glanceMemoKey keys the check-in glance read for a request (withGlanceMemo).
type glanceMemoKey struct{}

// glanceMemo is the check-in glance of one member (checkin.Service.Glance), once known.
type glanceMemo struct {
	m     *couple.Membership
	known bool
	g     checkin.Glance
}

// withGlanceMemo lets the request of ctx read m's check-in glance once: the home's check-in card shows
// it, and its safety answer is the one every card and "For you" ask about (planSources.LowSafety).
func withGlanceMemo(ctx context.Context, m *couple.Membership) context.Context {
	return context.WithValue(ctx, glanceMemoKey{}, &glanceMemo{m: m})
}

// glance returns m's check-in glance, read once within a request given withGlanceMemo for m.
func glance(ctx context.Context, svc *checkin.Service, m *couple.Membership) (checkin.Glance, error) {
	memo, _ := ctx.Value(glanceMemoKey{}).(*glanceMemo)
	if memo == nil || memo.m != m {
		return svc.Glance(ctx, m)
	}
	if !memo.known {
		g, err := svc.Glance(ctx, m)
		if err != nil {
			return g, err
		}
		memo.g, memo.known = g, true
	}
	return memo.g, nil
}

// checkinReads is the check-ins service, reading the couple's current pause once per request given
// withPauseMemo: the dashboard shows it in "For you" and in its check-in card.
type checkinReads struct{ *checkin.Service }

// pauseMemoKey keys the pause read for a request (withPauseMemo).
type pauseMemoKey struct{}

// pauseMemo is the pause read for one couple, once known.
type pauseMemo struct {
	coupleID string
	known    bool
	pause    *checkin.Timeout
}

// withPauseMemo lets the request of ctx read the couple's current pause once (checkinReads).
func withPauseMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, pauseMemoKey{}, &pauseMemo{})
}

// CurrentTimeout returns the couple's current pause, or nil (checkin.Service.CurrentTimeout), read
// once within a request given withPauseMemo.
func (r checkinReads) CurrentTimeout(ctx context.Context, m *couple.Membership) (*checkin.Timeout, error) {
	memo, _ := ctx.Value(pauseMemoKey{}).(*pauseMemo)
	if memo != nil && memo.known && memo.coupleID == m.Couple.ID {
		return memo.pause, nil
	}
	t, err := r.Service.CurrentTimeout(ctx, m)
	if err == nil && memo != nil {
		*memo = pauseMemo{coupleID: m.Couple.ID, known: true, pause: t}
	}
	return t, err
}
