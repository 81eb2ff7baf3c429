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
	f, err := s.gather(ctx, sc, promptWeeks, 0)
	if err != nil {
		return nil, fmt.Errorf("plan: dashboard: %w", err)
	}
	th, err := s.therapyView(ctx, sc)
	if err != nil {
		return nil, fmt.Errorf("plan: dashboard: %w", err)
	}
	p := s.planFrom(sc, items, f, th, false)
	return &DashboardView{Next: p.Next, Prompt: p.Prompt, Guidance: guidanceFor(sc, f), Done: p.Done, Total: p.Total}, nil
}

// point is the opened week w as a point of the progress series, without its label.
func (w *OpenedWeek) point(key string) WeekPoint {
	return WeekPoint{Week: key, Opened: true, MyTrust: w.Me.Trust, MyConnection: w.Me.Connection, MySafety: w.Me.Safety,
		PartnerTrust: w.Partner.Trust, PartnerConnection: w.Partner.Connection,
		Kept: w.Kept, Partly: w.Partly, NotKept: w.NotKept, NotSure: w.NotSure}
}

// divergingNow returns the measures on which the last two opened weeks differ (diverging).
func divergingNow(f *facts) []string {
	n := len(f.weeks)
	if n < 2 {
		return nil
	}
	last := [2]WeekPoint{f.weeks[n-2].point(""), f.weeks[n-1].point("")}
	return diverging(last[:])
}

// guidanceFor picks the line of guidance for where the couple is, most pressing first.
func guidanceFor(sc *couple.Membership, f *facts) Guidance {
	switch {
	case f.lowSafety:
		return Guidance{"Your safety comes first. Support just for you is a good place to start.", GuideHelp, "Where to find help", false}
	case len(divergingNow(f)) > 0:
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
