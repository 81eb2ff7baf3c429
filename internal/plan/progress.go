package plan

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/mendhq/mend/internal/couple"
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
func (s *Service) Progress(ctx context.Context, sc *couple.Membership) (*ProgressView, error) {
	items, err := s.items(ctx, sc, false)
	if err != nil {
		return nil, fmt.Errorf("plan: progress: %w", err)
	}
	f, err := s.gather(ctx, sc, MaxProgressWeeks, winWeeks)
	if err != nil {
		return nil, fmt.Errorf("plan: progress: %w", err)
	}
	th, err := s.therapyView(ctx, sc)
	if err != nil {
		return nil, fmt.Errorf("plan: progress: %w", err)
	}
	p := s.planFrom(sc, items, f, th, false)
	moments, err := s.momentDates(ctx, sc)
	if err != nil {
		return nil, fmt.Errorf("plan: progress: %w", err)
	}
	var done []Event
	err = s.db.WithContext(ctx).Where("couple_id = ? AND what IN ?", sc.Couple.ID, []string{"done", "undone"}).
		Order("created_at, id").Find(&done).Error
	if err != nil {
		return nil, fmt.Errorf("plan: progress: %w", err)
	}
	v := &ProgressView{Prompt: p.Prompt, Done: p.Done, Total: p.Total, LowSafety: f.lowSafety}
	v.Weeks = s.series(sc, f, moments, done)
	opened := 0
	for i := range v.Weeks {
		if v.Weeks[i].Opened {
			opened++
		}
	}
	if opened > 0 {
		v.Opened = make([]WeekPoint, 0, opened)
		for i := range v.Weeks {
			if v.Weeks[i].Opened {
				v.Opened = append(v.Opened, v.Weeks[i])
			}
		}
	}
	if !f.lowSafety {
		// "Worth a check-in" suggests a joint exercise, which is not offered while safety is low.
		v.Diverging = diverging(v.Opened)
	}
	v.Wins = wins(f)
	return v, nil
}

// momentDates returns the dates of the moments the user may see (visibleMoments), all the series needs
// of them, scanned by hand.
func (s *Service) momentDates(ctx context.Context, sc *couple.Membership) ([]string, error) {
	rows, err := visibleMoments(s.db.WithContext(ctx).Table("moments"), sc).Select("on_date").Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var (
		out []string
		d   string
	)
	for rows.Next() {
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// series builds the week-by-week points in one pass over each of its sources: every week is placed by
// its Monday, each point's key and label are written once into one string, and nothing is looked up by
// key.
func (s *Service) series(sc *couple.Membership, f *facts, moments []string, done []Event) []WeekPoint {
	loc := sc.Zone()
	// The series starts with the earliest of: the week the couple started, the first opened week
	// (which may have begun before the couple existed: last week takes answers too), and the week of
	// the first moment. Weeks are compared by their Mondays, so no time zone can drop one. It shows
	// the latest MaxProgressWeeks weeks at most.
	end := mondayOf(s.now(), loc)
	start := end
	earlier := func(m time.Time) {
		if m.Before(start) {
			start = m
		}
	}
	if !sc.Couple.CreatedAt.IsZero() {
		earlier(mondayOf(sc.Couple.CreatedAt, loc))
	}
	if len(f.weeks) > 0 {
		earlier(f.weeks[0].Week.Monday())
	}
	for _, d := range moments {
		if t, ok := parseDate(d); ok {
			earlier(mondayOf(t, time.UTC))
		}
	}
	if first := end.Add(-(MaxProgressWeeks - 1) * week); start.Before(first) {
		start = first
	}
	n := weekIndex(start, end) + 1
	out := make([]WeekPoint, n)
	// The keys (2026-W48) and labels (23 Nov) of all the points, in one string.
	var buf [MaxProgressWeeks * len("2026-W48"+"23 Nov")]byte
	text := buf[:0]
	var endsBuf [2 * MaxProgressWeeks]int
	ends := endsBuf[:0]
	for d := start; !d.After(end); d = d.Add(week) {
		text = WeekOf(d, time.UTC).appendKey(text)
		ends = append(ends, len(text))
		text = d.AppendFormat(text, "2 Jan")
		ends = append(ends, len(text))
	}
	all, from := string(text), 0
	for i := range out {
		out[i].Week, out[i].Label = all[from:ends[2*i]], all[ends[2*i]:ends[2*i+1]]
		from = ends[2*i+1]
	}
	// at returns the point of the week starting on Monday m, or nil when the series does not show it.
	at := func(m time.Time) *WeekPoint {
		if i := weekIndex(start, m); i >= 0 && i < n {
			return &out[i]
		}
		return nil
	}
	for i := range f.weeks {
		w := &f.weeks[i]
		if p := at(w.Week.Monday()); p != nil {
			label := p.Label
			*p = w.point(p.Week)
			p.Label = label
		}
	}
	for _, t := range f.agreements.Withdrawals {
		if p := at(mondayOf(t, loc)); p != nil {
			p.Withdrawn++
		}
	}
	for _, d := range moments {
		if t, ok := parseDate(d); ok {
			if p := at(mondayOf(t, time.UTC)); p != nil {
				p.Moments++
			}
		}
	}
	// An item counts from the week in which the second of you marked it done, until either takes
	// theirs back. The events come oldest first; each week takes those up to its end.
	var marks []doneMark
	both, j := 0, 0
	for i := range out {
		monday := start.Add(time.Duration(i) * week)
		for ; j < len(done) && !mondayOf(done[j].CreatedAt, loc).After(monday); j++ {
			both += markDone(&marks, done[j])
		}
		out[i].PlanDone = both
	}
	return out
}

// doneMark is one person's say on whether a plan item is done.
type doneMark struct {
	item, user string
	done       bool
}

// markDone records the event e in marks and returns how it changes the number of items marked done by
// two people or more: 1, -1 or 0.
func markDone(marks *[]doneMark, e Event) int {
	count := func() int {
		n := 0
		for _, m := range *marks {
			if m.item == e.ItemID && m.done {
				n++
			}
		}
		return n
	}
	before := count() >= 2
	found := false
	for i := range *marks {
		if m := &(*marks)[i]; m.item == e.ItemID && m.user == e.UserID {
			m.done, found = e.What == "done", true
			break
		}
	}
	if !found {
		*marks = append(*marks, doneMark{item: e.ItemID, user: e.UserID, done: e.What == "done"})
	}
	switch after := count() >= 2; {
	case after && !before:
		return 1
	case before && !after:
		return -1
	}
	return 0
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

// winWeeks is how many of the first opened weeks the small wins need to know the opening of: the
// first names the first, "a month of check-ins" the fourth.
const winWeeks = 4

// wins names the small wins reached so far, oldest first.
func wins(f *facts) []Win {
	out := make([]Win, 0, 3)
	if len(f.weeks) > 0 {
		out = append(out, Win{Key: "first_checkin", Title: "Your first check-in opened for you both", On: f.weeks[0].OpenedAt})
	}
	if !f.agreements.FirstBothAccepted.IsZero() {
		out = append(out, Win{Key: "first_agreement", Title: "Your first agreement accepted by you both", On: f.agreements.FirstBothAccepted})
	}
	if len(f.weeks) >= winWeeks {
		out = append(out, Win{Key: "month_of_checkins", Title: "A month of check-ins: four have opened", On: f.weeks[winWeeks-1].OpenedAt})
	}
	if len(out) == 0 {
		return nil
	}
	slices.SortStableFunc(out, func(a, b Win) int { return a.On.Compare(b.On) })
	return out
}
