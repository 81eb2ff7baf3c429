package plan

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mendhq/mend/internal/couple"
)

// Evidence is what the app itself shows about a plan item (DESIGN §2.6). Met ticks the item's evidence;
// it is no verdict on anyone, and marking the item done stays the couple's own choice.
type Evidence struct {
	Met  bool
	Text string
}

// facts are what the plan knows about the couple when it is read.
type facts struct {
	ackRead    bool
	agreements AgreementFacts
	// weeks are the opened weeks, oldest first.
	weeks       []OpenedWeek
	reflections int
	lowSafety   bool
}

// gather reads the facts; the kept counts of the last keptWeeks weeks are read (older weeks' counts
// stay zero): the prompt looks at six weeks, the progress series at MaxProgressWeeks. When the weeks
// opened is read for the openedAt oldest only (the progress page's small wins, winWeeks).
func (s *Service) gather(ctx context.Context, sc *couple.Membership, keptWeeks, openedAt int) (*facts, error) {
	f := &facts{}
	var err error
	keptFrom, _ := recentWeeks(s.now(), sc.Zone(), keptWeeks)
	if f.ackRead, err = s.ackMarkedRead(ctx, sc.Couple.ID); err != nil {
		return nil, err
	}
	if f.agreements, err = s.src.Agreements(ctx, sc.Couple.ID, sc.Zone()); err != nil {
		return nil, err
	}
	q := WeeksQuery{CoupleID: sc.Couple.ID, UserID: sc.Me.UserID, PartnerID: sc.PartnerID(), KeptFrom: WeekOf(keptFrom, time.UTC), OpenedAt: openedAt}
	if f.weeks, err = s.src.OpenedWeeks(ctx, q); err != nil {
		return nil, err
	}
	for i := range f.weeks {
		w := &f.weeks[i]
		// Defence in depth: nobody's safety rating but the asking user's own is ever used, nor a
		// partner's ratings without a partner.
		w.Partner.Safety = nil
		if q.PartnerID == "" {
			w.Partner = Ratings{}
		}
		f.reflections += w.Confirmed
	}
	if !slices.IsSortedFunc(f.weeks, byWeek) {
		slices.SortStableFunc(f.weeks, byWeek)
	}
	if f.lowSafety, err = s.LowSafety(ctx, sc); err != nil {
		return nil, err
	}
	return f, nil
}

// byWeek orders opened weeks oldest first.
func byWeek(a, b OpenedWeek) int {
	switch {
	case a.Week.Before(b.Week):
		return -1
	case b.Week.Before(a.Week):
		return 1
	}
	return 0
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// evidenceFor applies the rule of one of the article's items; false when id is none of them.
func evidenceFor(id string, sc *couple.Membership, f *facts, th TherapyView) (Evidence, bool) {
	switch id {
	case ItemAcknowledge:
		if f.ackRead {
			return Evidence{Met: true, Text: "An acknowledgment has been shared and marked as read."}, true
		}
		return Evidence{Text: "This shows here once a shared acknowledgment is marked as read."}, true
	case ItemBoundaries:
		if f.agreements.Active > 0 {
			return Evidence{Met: true, Text: plural(f.agreements.Active, "agreement is", "agreements are") + " active: accepted by you both."}, true
		}
		return Evidence{Text: "This shows here once you have both accepted an agreement."}, true
	case ItemCheckins:
		day := "Check-ins are on " + weekdayName(sc.Couple.CheckinWeekday) + "s"
		if n := len(f.weeks); n > 0 {
			return Evidence{Met: true, Text: day + "; " + plural(n, "check-in has", "check-ins have") + " opened for you both."}, true
		}
		return Evidence{Text: day + ". This shows here once a check-in has opened for you both."}, true
	case ItemListening:
		if f.reflections > 0 {
			return Evidence{Met: true, Text: plural(f.reflections, "reflection was", "reflections were") + " confirmed as heard rightly."}, true
		}
		return Evidence{Text: "This shows here once a reflection on a check-in is confirmed as heard rightly."}, true
	case ItemTherapy:
		if th.Decision != "" {
			t := "Decision recorded: " + strings.ToLower(TherapyLabels[th.Decision][:1]) + TherapyLabels[th.Decision][1:]
			if th.RevisitOn != "" {
				t += ", to revisit on " + mustDate(th.RevisitOn).Format("2 January 2006")
			}
			return Evidence{Met: true, Text: t + "."}, true
		}
		return Evidence{Text: "This shows here once you record a decision about therapy."}, true
	}
	return Evidence{}, false
}

func weekdayName(d int) string {
	names := []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	if d < 0 || d > 6 {
		return "Sunday"
	}
	return names[d]
}

// PlanView is the action plan as one person sees it.
type PlanView struct {
	Items       []ItemView
	Done, Total int
	Therapy     TherapyView
	Prompt      Prompt
	// Next is the first item not yet done, or nil; it is nil too while the asking user's own safety
	// answer is low, since joint exercises are not suggested then (nor are the items' lines and
	// links to them).
	Next      *ItemView
	LowSafety bool
	// Paths are what the plan suggests to the asking user next: the path of their role, or both
	// without one (paths.go).
	Paths []Path
}

// Plan returns the couple's action plan with evidence, marks and history.
func (s *Service) Plan(ctx context.Context, sc *couple.Membership) (*PlanView, error) {
	items, err := s.items(ctx, sc, true)
	if err != nil {
		return nil, fmt.Errorf("plan: items: %w", err)
	}
	f, err := s.gather(ctx, sc, promptWeeks, 0)
	if err != nil {
		return nil, fmt.Errorf("plan: facts: %w", err)
	}
	th, err := s.therapyView(ctx, sc)
	if err != nil {
		return nil, fmt.Errorf("plan: therapy: %w", err)
	}
	return s.planFrom(sc, items, f, th, true), nil
}

// planFrom puts the plan together. With full it is the plan page's: each path and each starter's
// evidence. Without, it is what the dashboard card and the progress page show, which hold no path:
// only the next item has its evidence.
func (s *Service) planFrom(sc *couple.Membership, items []ItemView, f *facts, th TherapyView, full bool) *PlanView {
	p := &PlanView{Items: items, Total: len(items), Therapy: th, LowSafety: f.lowSafety}
	var evidence []Evidence
	if full {
		p.Paths = pathsFor(sc.Me.Role, f)
		// The starters' evidence, in one array.
		evidence = make([]Evidence, 0, len(items))
	}
	for i := range p.Items {
		it := &p.Items[i]
		if full && it.Starter != "" {
			if e, ok := evidenceFor(it.Starter, sc, f, th); ok {
				evidence = append(evidence, e)
				it.Evidence = &evidence[len(evidence)-1]
			}
		}
		if f.lowSafety {
			// The items stay to mark and read, but none is pressed on someone who feels unsafe: no line
			// on what to do next and no link to the joint exercise; the guide's link stays.
			it.ForYou, it.Action, it.ActionLabel = "", "", ""
		}
		if it.Done {
			p.Done++
		} else if p.Next == nil && !f.lowSafety {
			p.Next = it
		}
	}
	if !full && p.Next != nil && p.Next.Starter != "" {
		if e, ok := evidenceFor(p.Next.Starter, sc, f, th); ok {
			p.Next.Evidence = &e
		}
	}
	p.Prompt = s.prompt(sc, f, th)
	return p
}
