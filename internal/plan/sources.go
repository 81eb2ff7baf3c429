package plan

import (
	"context"
	"slices"
	"time"
)

// Sources are the facts the plan needs from the agreements and check-ins features. The server supplies
// an implementation over those services; every method is scoped to one couple.
type Sources interface {
	// Agreements returns what the plan needs to know about the couple's agreements; loc is the
	// couple's time zone, which decides what "today" is for an agreement's end date.
	Agreements(ctx context.Context, coupleID string, loc *time.Location) (AgreementFacts, error)
	// OpenedWeeks returns one OpenedWeek per check-in week that has opened for both, oldest first, as
	// q.UserID sees it. Only q.UserID's own safety rating may be filled in. The kept counts are needed,
	// and filled in, only for weeks from q.KeptFrom on; the confirmed reflections of every week are;
	// when a week opened only for the q.OpenedAt oldest.
	OpenedWeeks(ctx context.Context, q WeeksQuery) ([]OpenedWeek, error)
	// LowSafety reports whether userID's latest safety answer in the couple is 3 or less.
	LowSafety(ctx context.Context, coupleID, userID string) (bool, error)
}

// AgreementFacts summarise a couple's agreements.
type AgreementFacts struct {
	// Active counts agreements both partners accepted in their latest version.
	Active int
	// FirstBothAccepted is when an agreement first became accepted by both; zero when never.
	FirstBothAccepted time.Time
	// Withdrawals holds the moment of each withdrawal of consent.
	Withdrawals []time.Time
}

// Ratings are one person's ratings for one opened week; nil means not rated (or skipped).
type Ratings struct {
	Trust      *int
	Connection *int
	// Safety is set only for the asking user's own answer.
	Safety *int
}

// WeeksQuery is what the plan asks Sources.OpenedWeeks for.
type WeeksQuery struct {
	CoupleID string
	// UserID is the person asking; PartnerID their partner ("" when they have none).
	UserID, PartnerID string
	// KeptFrom is the first week whose kept counts are needed (the zero Week: all of them).
	KeptFrom Week
	// OpenedAt is how many of the oldest weeks are needed with when they opened (the progress page's
	// small wins name the first and the fourth); the others' OpenedAt may stay zero.
	OpenedAt int
}

// OpenedWeek is one opened check-in week as the asking person sees it.
type OpenedWeek struct {
	Week Week
	// OpenedAt is when the week opened, given for the oldest weeks asked for (WeeksQuery.OpenedAt).
	OpenedAt time.Time
	// Me are the asking person's ratings, their safety rating included; Partner are their partner's
	// trust and connection ratings (Partner.Safety stays nil). A couple has two members at most, ever,
	// so these are all the ratings the week has.
	Me, Partner Ratings
	// Counts of "did I keep it" answers, over both partners, for that week.
	Kept, Partly, NotKept, NotSure int
	// Confirmed counts the week's reflections their author confirmed as heard rightly.
	Confirmed int
}

// WeekSummary is one opened check-in week with everyone's ratings by person: the form in which a
// stand-in for the check-ins (a test's) may keep its weeks. OpenedWeeksOf turns such weeks into what
// Sources.OpenedWeeks returns.
type WeekSummary struct {
	// Week is the ISO week key, such as 2026-W48.
	Week     string
	OpenedAt time.Time
	// People maps user ids to their ratings that week.
	People map[string]Ratings
	// Counts of "did I keep it" answers, over both partners, for that week.
	Kept, Partly, NotKept, NotSure int
	// Confirmed counts the week's reflections their author confirmed as heard rightly.
	Confirmed int
}

// OpenedWeeksOf returns weeks as Sources.OpenedWeeks answers q, oldest first: q's user's own ratings,
// their partner's without safety, the kept counts from q.KeptFrom on and the opening times of the
// q.OpenedAt oldest. Weeks whose key is no week key are
// left out.
func OpenedWeeksOf(weeks []WeekSummary, q WeeksQuery) []OpenedWeek {
	out := make([]OpenedWeek, 0, len(weeks))
	for _, w := range weeks {
		wk, ok := ParseWeek(w.Week)
		if !ok {
			continue
		}
		o := OpenedWeek{Week: wk, Me: w.People[q.UserID], Confirmed: w.Confirmed}
		if q.PartnerID != "" {
			r := w.People[q.PartnerID]
			o.Partner = Ratings{Trust: r.Trust, Connection: r.Connection}
		}
		o.OpenedAt = w.OpenedAt
		if !wk.Before(q.KeptFrom) {
			o.Kept, o.Partly, o.NotKept, o.NotSure = w.Kept, w.Partly, w.NotKept, w.NotSure
		}
		out = append(out, o)
	}
	slices.SortStableFunc(out, byWeek)
	for i := range out {
		if i >= q.OpenedAt {
			out[i].OpenedAt = time.Time{}
		}
	}
	return out
}

// NoSources is a Sources with no agreements and no check-ins.
type NoSources struct{}

// Agreements returns no facts.
func (NoSources) Agreements(context.Context, string, *time.Location) (AgreementFacts, error) {
	return AgreementFacts{}, nil
}

// OpenedWeeks returns no weeks.
func (NoSources) OpenedWeeks(context.Context, WeeksQuery) ([]OpenedWeek, error) {
	return nil, nil
}

// LowSafety returns false.
func (NoSources) LowSafety(context.Context, string, string) (bool, error) { return false, nil }
