package server

import (
	"context"
	"time"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/plan"
)

// planSources gives the plan the facts it reads from other features (plan.Sources): agreements from
// the agreement service; check-ins are not wired in yet, so until they are the plan sees no opened
// weeks, no confirmed reflections and no low safety answer.
type planSources struct {
	plan.NoSources
	agreements *agreement.Service
}

// planSources returns the plan's sources over the server's database.
func (s *Server) planSources() plan.Sources {
	return planSources{agreements: agreement.NewService(s.db, s.now)}
}

// SetPlanSources replaces the plan's sources. Only tests use it, to seed a history of check-ins and
// agreements; call it before serving requests.
func (s *Server) SetPlanSources(src plan.Sources) {
	s.plan = plan.NewService(s.db, s.now, src)
}

// Agreements counts the couple's active agreements, finds when one was first accepted by two people,
// and lists every withdrawal of consent.
func (p planSources) Agreements(ctx context.Context, coupleID string) (plan.AgreementFacts, error) {
	views, err := p.agreements.List(ctx, agreement.Scope{CoupleID: coupleID, Loc: time.UTC})
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
