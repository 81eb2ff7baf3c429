package plan

import (
	"context"
	"fmt"

	"github.com/mendhq/mend/internal/couple"
)

// Guidance is one line of guidance relevant to where the couple is, with a link to read more. Joint is
// set on lines that suggest doing something together.
type Guidance struct {
	Text, Href, Label string
	Joint             bool
}

// DashboardView is the plan's card on the couple's home page.
type DashboardView struct {
	Next        *ItemView
	Prompt      Prompt
	Guidance    Guidance
	Done, Total int
}

// dashboardMemo keeps, for one request, the user's DashboardView, so the home page's plan card and
// its "For you" list (which shows the therapy prompt) read the plan once. Like safetyMemo it lives in
// the request's context only.
type dashboardMemo struct {
	coupleID, userID string
	view             *DashboardView
}

type dashboardMemoKey struct{}

// WithDashboardMemo returns ctx with room to remember Dashboard's answer for the rest of the request.
func WithDashboardMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, dashboardMemoKey{}, &dashboardMemo{})
}

// Dashboard returns the next plan item, the therapy prompt and one line of guidance for the user.
// Within a request given WithDashboardMemo it is read once.
func (s *Service) Dashboard(ctx context.Context, sc *couple.Membership) (*DashboardView, error) {
	m, _ := ctx.Value(dashboardMemoKey{}).(*dashboardMemo)
	if m != nil && m.view != nil && m.coupleID == sc.Couple.ID && m.userID == sc.Me.UserID {
		return m.view, nil
	}
	v, err := s.dashboard(ctx, sc)
	if err == nil && m != nil {
		*m = dashboardMemo{coupleID: sc.Couple.ID, userID: sc.Me.UserID, view: v}
	}
	return v, err
}

func (s *Service) dashboard(ctx context.Context, sc *couple.Membership) (*DashboardView, error) {
	items, err := s.items(ctx, sc, false)
	if err != nil {
		return nil, fmt.Errorf("plan: dashboard: %w", err)
	}
	f, err := s.gather(ctx, sc, promptWeeks)
	if err != nil {
		return nil, fmt.Errorf("plan: dashboard: %w", err)
	}
	th, err := s.therapyView(ctx, sc)
	if err != nil {
		return nil, fmt.Errorf("plan: dashboard: %w", err)
	}
	p := s.planFrom(sc, items, f, th)
	return &DashboardView{Next: p.Next, Prompt: p.Prompt, Guidance: guidanceFor(sc, f), Done: p.Done, Total: p.Total}, nil
}

func openedPoints(sc *couple.Membership, f *facts) []WeekPoint {
	var out []WeekPoint
	for _, w := range f.weeks {
		p := WeekPoint{Week: w.Week, Opened: true}
		if r, ok := w.People[sc.Me.UserID]; ok {
			p.MyTrust, p.MyConnection = r.Trust, r.Connection
		}
		if r, ok := w.People[sc.PartnerID()]; ok && sc.PartnerID() != "" {
			p.PartnerTrust, p.PartnerConnection = r.Trust, r.Connection
		}
		out = append(out, p)
	}
	return out
}

// guidanceFor picks the line of guidance for where the couple is, most pressing first.
func guidanceFor(sc *couple.Membership, f *facts) Guidance {
	switch {
	case f.lowSafety:
		return Guidance{"Your safety comes first. Support just for you is a good place to start.", GuideHelp, "Where to find help", false}
	case len(diverging(openedPoints(sc, f))) > 0:
		return Guidance{"You two see this differently at the moment; that is worth a calm check-in.", GuideSlow, "When progress feels slow", true}
	case !f.ackRead && sc.Me.Role == "hurt":
		return Guidance{"Forgiveness takes its own time; nothing here asks you to hurry.", GuideForgiveness, "Forgiveness, in its own time", false}
	case !f.ackRead:
		return Guidance{"Repair often starts with a specific acknowledgment of what happened, without a “but”.", GuideAcknowledge, "Step 1: acknowledge", false}
	case f.agreements.Active == 0:
		return Guidance{"Clear agreements make what you expect of each other visible to you both.", "/guide/rebuild-trust#step-4-agreements", "Step 4: agreements", true}
	case len(f.weeks) == 0:
		return Guidance{"A short weekly check-in keeps you talking in a structured, calmer way.", "/guide/rebuild-trust#step-3-check-ins", "Step 3: check-ins", true}
	case trustNotImproved(f.weeks):
		return Guidance{"Progress is often slow and uneven; that is normal, and worth talking about.", GuideSlow, "When progress feels slow", true}
	default:
		return Guidance{"Small moments of connection help closeness return, slowly.", GuideMoments, "Step 6: closeness", true}
	}
}
