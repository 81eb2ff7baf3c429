package plan

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// MaxProgressWeeks is how many weeks the progress series covers at most.
const MaxProgressWeeks = 52

// DivergenceGap is how far apart two people's ratings must be, two opened weeks running, for the
// progress page to suggest talking about it (DESIGN §2.7).
const DivergenceGap = 4

// WeekPoint is one week of the progress series as one person sees it.
type WeekPoint struct {
	Week  string
	Label string
	// Opened is set for weeks whose check-in opened for both; ratings exist only for those.
	Opened                          bool
	MyTrust, PartnerTrust           *int
	MyConnection, PartnerConnection *int
	// MySafety is the asking user's own safety rating; nobody else's is ever here.
	MySafety                       *int
	Kept, Partly, NotKept, NotSure int
	Withdrawn                      int
	// Moments counts the moments the asking user may see (their own, and shared ones).
	Moments int
	// PlanDone is how many plan items were done (marked by both) at the end of the week.
	PlanDone int
}

// Win is a named small win (DESIGN §2.7); never a streak.
type Win struct {
	Key   string
	Title string
	On    time.Time
}

// ProgressView is the progress page and API for one person.
type ProgressView struct {
	Weeks []WeekPoint
	// Opened lists the opened weeks only, oldest first (the chart's points).
	Opened      []WeekPoint
	Prompt      Prompt
	Done, Total int
	// Diverging names the measures (trust, connection) on which the two of you differ by
	// DivergenceGap or more in each of the last two opened weeks; it stays empty while the asking
	// user's safety answer is low.
	Diverging []string
	Wins      []Win
	LowSafety bool
}

// Progress returns the week-by-week series, the therapy prompt, the plan tally, the divergence note
// and the small wins.
func (s *Service) Progress(ctx context.Context, sc Scope) (*ProgressView, error) {
	items, err := s.items(ctx, sc, false)
	if err != nil {
		return nil, fmt.Errorf("plan: progress: %w", err)
	}
	f, err := s.gather(ctx, sc, MaxProgressWeeks)
	if err != nil {
		return nil, fmt.Errorf("plan: progress: %w", err)
	}
	th, err := s.therapyView(ctx, sc)
	if err != nil {
		return nil, fmt.Errorf("plan: progress: %w", err)
	}
	p := s.planFrom(sc, items, f, th)
	// The series needs only the dates of the moments the user may see.
	var moments []Moment
	err = visibleMoments(s.db.WithContext(ctx), sc).Select("on_date").Find(&moments).Error
	if err != nil {
		return nil, fmt.Errorf("plan: progress: %w", err)
	}
	var done []Event
	err = s.db.WithContext(ctx).Where("couple_id = ? AND what IN ?", sc.CoupleID, []string{"done", "undone"}).
		Order("created_at, id").Find(&done).Error
	if err != nil {
		return nil, fmt.Errorf("plan: progress: %w", err)
	}
	v := &ProgressView{Prompt: p.Prompt, Done: p.Done, Total: p.Total, LowSafety: f.lowSafety}
	v.Weeks = s.series(sc, f, moments, done)
	for _, w := range v.Weeks {
		if w.Opened {
			v.Opened = append(v.Opened, w)
		}
	}
	if !f.lowSafety {
		// "Worth a check-in" suggests a joint exercise, which is not offered while safety is low.
		v.Diverging = diverging(v.Opened)
	}
	v.Wins = wins(f)
	return v, nil
}

func (s *Service) series(sc Scope, f *facts, moments []Moment, done []Event) []WeekPoint {
	loc := sc.loc()
	now := s.now()
	// The series starts with the earliest of: the week the couple started, the first opened week
	// (which may have begun before the couple existed: last week takes answers too), and the week of
	// the first moment. Weeks are compared by their Mondays, so no time zone can drop one.
	start, end := mondayOf(now, loc), mondayOf(now, loc)
	earlier := func(m time.Time) {
		if m.Before(start) {
			start = m
		}
	}
	if !sc.CreatedAt.IsZero() {
		earlier(mondayOf(sc.CreatedAt, loc))
	}
	for _, w := range f.weeks {
		if m, ok := mondayOfKey(w.Week); ok {
			earlier(m)
		}
	}
	for _, m := range moments {
		if t, ok := parseDate(m.OnDate); ok {
			earlier(mondayOf(t, time.UTC))
		}
	}
	keys := weekKeys(start, end, MaxProgressWeeks)
	idx := map[string]*WeekPoint{}
	out := make([]WeekPoint, len(keys))
	for i, k := range keys {
		out[i] = WeekPoint{Week: k, Label: weekLabel(k)}
		idx[k] = &out[i]
	}
	for _, w := range f.weeks {
		p := idx[w.Week]
		if p == nil {
			continue
		}
		p.Opened = true
		p.Kept, p.Partly, p.NotKept, p.NotSure = w.Kept, w.Partly, w.NotKept, w.NotSure
		if r, ok := w.People[sc.UserID]; ok {
			p.MyTrust, p.MyConnection, p.MySafety = r.Trust, r.Connection, r.Safety
		}
		if r, ok := w.People[sc.PartnerID]; ok && sc.PartnerID != "" {
			p.PartnerTrust, p.PartnerConnection = r.Trust, r.Connection
		}
	}
	for _, t := range f.agreements.Withdrawals {
		if p := idx[WeekKey(t, loc)]; p != nil {
			p.Withdrawn++
		}
	}
	for _, m := range moments {
		if p := idx[weekOfDate(m.OnDate)]; p != nil {
			p.Moments++
		}
	}
	// An item counts from the week in which the second of you marked it done, until either takes theirs back.
	marked := map[string]map[string]bool{} // item → person → their "done"
	j := 0
	for i := range out {
		for ; j < len(done) && WeekKey(done[j].CreatedAt, loc) <= out[i].Week; j++ {
			e := done[j]
			if marked[e.ItemID] == nil {
				marked[e.ItemID] = map[string]bool{}
			}
			marked[e.ItemID][e.UserID] = e.What == "done"
		}
		for _, people := range marked {
			n := 0
			for _, d := range people {
				if d {
					n++
				}
			}
			if n >= 2 {
				out[i].PlanDone++
			}
		}
	}
	return out
}

func gapAtLeast(a, b *int) bool {
	if a == nil || b == nil {
		return false
	}
	d := *a - *b
	return d >= DivergenceGap || -d >= DivergenceGap
}

// diverging returns the measures on which the last two opened weeks both differ by DivergenceGap or more.
func diverging(opened []WeekPoint) []string {
	if len(opened) < 2 {
		return nil
	}
	a, b := opened[len(opened)-2], opened[len(opened)-1]
	var out []string
	if gapAtLeast(a.MyTrust, a.PartnerTrust) && gapAtLeast(b.MyTrust, b.PartnerTrust) {
		out = append(out, "trust")
	}
	if gapAtLeast(a.MyConnection, a.PartnerConnection) && gapAtLeast(b.MyConnection, b.PartnerConnection) {
		out = append(out, "connection")
	}
	return out
}

// wins names the small wins reached so far, oldest first.
func wins(f *facts) []Win {
	var out []Win
	if len(f.weeks) > 0 {
		out = append(out, Win{Key: "first_checkin", Title: "Your first check-in opened for you both", On: f.weeks[0].OpenedAt})
	}
	if !f.agreements.FirstBothAccepted.IsZero() {
		out = append(out, Win{Key: "first_agreement", Title: "Your first agreement accepted by you both", On: f.agreements.FirstBothAccepted})
	}
	if len(f.weeks) >= 4 {
		out = append(out, Win{Key: "month_of_checkins", Title: "A month of check-ins: four have opened", On: f.weeks[3].OpenedAt})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].On.Before(out[j].On) })
	return out
}
