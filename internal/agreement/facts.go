package agreement

import (
	"context"
	"time"

	"github.com/mendhq/mend/internal/couple"
)

// Facts summarise a couple's agreements for the features that reason about them (the action plan's
// evidence, the therapy prompt, the progress page's small wins).
type Facts struct {
	// Active counts agreements both partners accepted in their latest version.
	Active int
	// FirstBothAccepted is when an agreement first became accepted by two people; zero when never.
	FirstBothAccepted time.Time
	// Withdrawals holds the moment of each withdrawal of consent.
	Withdrawals []time.Time
}

// Facts returns the couple's agreement facts, read from the summaries (shared with the dashboard card
// within a request that carries a memo, see WithMemo).
func (s *Service) Facts(ctx context.Context, sc *couple.Membership) (Facts, error) {
	views, err := s.SharedSummaries(ctx, sc)
	if err != nil {
		return Facts{}, err
	}
	var out Facts
	for _, v := range views {
		if v.Status == StatusActive {
			out.Active++
		}
		if at := v.firstBothAccepted(); !at.IsZero() && (out.FirstBothAccepted.IsZero() || at.Before(out.FirstBothAccepted)) {
			out.FirstBothAccepted = at
		}
		for _, e := range v.Log {
			if e.Action == ActionWithdrawn {
				out.Withdrawals = append(out.Withdrawals, e.CreatedAt)
			}
		}
	}
	return out, nil
}

// firstBothAccepted is when a version of v was first accepted by two people (proposing a version
// counts as its author accepting it); zero when no version ever was.
func (v *View) firstBothAccepted() time.Time {
	accepted := map[int]map[string]bool{}
	var first time.Time
	for _, e := range v.Log {
		if e.Action != ActionProposed && e.Action != ActionAccepted {
			continue
		}
		if accepted[e.Version] == nil {
			accepted[e.Version] = map[string]bool{}
		}
		accepted[e.Version][e.ActorID] = true
		if len(accepted[e.Version]) == 2 && (first.IsZero() || e.CreatedAt.Before(first)) {
			first = e.CreatedAt
		}
	}
	return first
}

// memo keeps, for one request, the summaries more than one feature reads, so a page that shows several
// features' cards (the dashboard) reads them once. It lives in the request's context only: nothing is
// shared between requests, so nothing can go stale or cross from one person to another.
type memo struct {
	coupleID  string // the couple the summaries are of; empty until they are read
	summaries []View
}

type memoKey struct{}

// WithMemo returns ctx with a memo in which SharedSummaries keeps what it reads. Callers within one
// request run one after another, so the memo needs no lock.
func WithMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, memoKey{}, &memo{})
}

// SharedSummaries returns Summaries, read once per request when ctx carries a memo (WithMemo).
func (s *Service) SharedSummaries(ctx context.Context, sc *couple.Membership) ([]View, error) {
	m, _ := ctx.Value(memoKey{}).(*memo)
	if m != nil && m.coupleID == sc.Couple.ID {
		return m.summaries, nil
	}
	views, err := s.Summaries(ctx, sc)
	if err == nil && m != nil {
		m.coupleID, m.summaries = sc.Couple.ID, views
	}
	return views, err
}
