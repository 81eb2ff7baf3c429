package server

import (
	"context"
	"time"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/plan"
)

// planSources gives the plan the facts it reads from other features (plan.Sources): agreements from the
// agreement service, and opened weeks, confirmed reflections and low safety from the check-in service.
type planSources struct {
	agreements *agreement.Service
	checkins   *checkin.Service
}

// planSources returns the plan's sources over the server's database.
func (s *Server) planSources() plan.Sources {
	return planSources{agreements: agreement.NewService(s.db, s.now), checkins: checkin.NewService(s.db, s.now, checkin.NoAgreements)}
}

// SetPlanSources replaces the plan's sources. Only tests use it, to seed a history of check-ins and
// agreements; call it before serving requests.
func (s *Server) SetPlanSources(src plan.Sources) {
	s.plan = plan.NewService(s.db, s.now, src)
}

// Agreements counts the couple's active agreements, finds when one was first accepted by two people,
// and lists every withdrawal of consent. It reads the agreements' summaries (current versions and the
// log), shared with the agreements' dashboard card within one request.
func (p planSources) Agreements(ctx context.Context, coupleID string, loc *time.Location) (plan.AgreementFacts, error) {
	views, err := agreementSummaries(ctx, p.agreements, agreement.Scope{CoupleID: coupleID, Loc: loc})
	if err != nil {
		return plan.AgreementFacts{}, err
	}
	var out plan.AgreementFacts
	for _, v := range views {
		if v.Status == agreement.StatusActive {
			out.Active++
		}
		accepted := map[int]map[string]bool{}
		for _, e := range v.Log {
			switch e.Action {
			case agreement.ActionWithdrawn:
				out.Withdrawals = append(out.Withdrawals, e.CreatedAt)
			case agreement.ActionProposed, agreement.ActionAccepted:
				if accepted[e.Version] == nil {
					accepted[e.Version] = map[string]bool{}
				}
				accepted[e.Version][e.ActorID] = true
				if len(accepted[e.Version]) == 2 && (out.FirstBothAccepted.IsZero() || e.CreatedAt.Before(out.FirstBothAccepted)) {
					out.FirstBothAccepted = e.CreatedAt
				}
			}
		}
	}
	return out, nil
}

// OpenedWeeks returns the couple's opened check-in weeks with everyone's trust and connection and only
// userID's own safety rating.
func (p planSources) OpenedWeeks(ctx context.Context, coupleID, userID, keptFrom string) ([]plan.WeekSummary, error) {
	weeks, err := p.checkins.OpenedWeeks(ctx, coupleID, userID, keptFrom)
	if err != nil {
		return nil, err
	}
	out := make([]plan.WeekSummary, 0, len(weeks))
	for _, w := range weeks {
		people := make(map[string]plan.Ratings, len(w.People))
		for uid, r := range w.People {
			people[uid] = plan.Ratings{Trust: r.Trust, Connection: r.Connection, Safety: r.Safety}
		}
		out = append(out, plan.WeekSummary{Week: w.Week, OpenedAt: w.OpenedAt, People: people,
			Kept: w.Kept, Partly: w.Partly, NotKept: w.NotKept, NotSure: w.NotSure})
	}
	return out, nil
}

// ConfirmedReflections counts reflections confirmed as heard rightly.
func (p planSources) ConfirmedReflections(ctx context.Context, coupleID string) (int, error) {
	return p.checkins.ConfirmedReflections(ctx, coupleID)
}

// LowSafety reports whether userID's latest safety answer in the couple is low.
func (p planSources) LowSafety(ctx context.Context, coupleID, userID string) (bool, error) {
	return p.checkins.CheckLowSafety(ctx, coupleID, userID)
}
