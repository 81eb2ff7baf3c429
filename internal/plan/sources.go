package plan

import (
	"context"
	"time"
)

// Sources are the facts the plan needs from the agreements and check-ins features. The server supplies
// an implementation over those services; every method is scoped to one couple.
type Sources interface {
	// Agreements returns what the plan needs to know about the couple's agreements; loc is the
	// couple's time zone, which decides what "today" is for an agreement's end date.
	Agreements(ctx context.Context, coupleID string, loc *time.Location) (AgreementFacts, error)
	// OpenedWeeks returns one summary per check-in week that has opened for both, oldest first. Only
	// userID's own safety rating may be filled in; every other person's Safety must be nil. The kept
	// counts are needed, and filled in, only for weeks from keptFrom (a week key) on; the confirmed
	// reflections of every week are.
	OpenedWeeks(ctx context.Context, coupleID, userID, keptFrom string) ([]WeekSummary, error)
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

// WeekSummary is one opened check-in week.
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

// NoSources is a Sources with no agreements and no check-ins.
type NoSources struct{}

// Agreements returns no facts.
func (NoSources) Agreements(context.Context, string, *time.Location) (AgreementFacts, error) {
	return AgreementFacts{}, nil
}

// OpenedWeeks returns no weeks.
func (NoSources) OpenedWeeks(context.Context, string, string, string) ([]WeekSummary, error) {
	return nil, nil
}

// LowSafety returns false.
func (NoSources) LowSafety(context.Context, string, string) (bool, error) { return false, nil }
