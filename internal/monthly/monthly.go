// Package monthly holds the monthly look (DESIGN §5.4): in the first check-in week of each month, each
// partner may rate five areas of the relationship from 0 to 10. The first look a person shares is their
// baseline, and their later looks are read against it.
//
// The privacy rules live here, not in the handlers, as for the weekly check-in:
//   - answers are sealed: until both have shared, nothing of the partner's answers is returned, not
//     even whether they exist; then both open at once;
//   - emotional safety is like the weekly safety rating: only its author ever reads it;
//   - a person's trend is their own: it is built from their answers only.
package monthly

import (
	"time"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/checkin"
)

// Area is one of the five areas of the look, with the question it is asked by.
type Area struct {
	Key, Label, Question string
	// Private areas are only ever shown to their author.
	Private bool
}

// Areas are the five areas, in the order forms show them.
var Areas = []Area{
	{"honesty", "Honesty", "How open and truthful do things between us feel this month?", false},
	{"reliability", "Reliability", "How much can I count on what we say and agree?", false},
	{"emotional_safety", "Emotional safety", "How safe do I feel to say what I really feel?", true},
	{"closeness", "Closeness", "How close do I feel to my partner these days?", false},
	{"hope", "Hope", "How hopeful am I about where we are heading?", false},
}

// Answer is one person's monthly look for one week. Ratings stay nil until chosen.
type Answer struct {
	ID              string
	CoupleID        string
	Week            string
	UserID          string
	Honesty         *int
	Reliability     *int
	EmotionalSafety *int
	Closeness       *int
	Hope            *int
	CreatedAt       time.Time
	UpdatedAt       time.Time
	SubmittedAt     *time.Time
}

// TableName names the answers table.
func (Answer) TableName() string { return "monthly_answers" }

// Shared reports whether the answers have been shared.
func (a *Answer) Shared() bool { return a != nil && a.SubmittedAt != nil }

// Rating returns the rating of area key, or nil.
func (a *Answer) Rating(key string) *int {
	if a == nil {
		return nil
	}
	switch key {
	case "honesty":
		return a.Honesty
	case "reliability":
		return a.Reliability
	case "emotional_safety":
		return a.EmotionalSafety
	case "closeness":
		return a.Closeness
	case "hope":
		return a.Hope
	}
	return nil
}

type openedWeek struct {
	CoupleID string
	Week     string
	OpenedAt time.Time
}

func (openedWeek) TableName() string { return "monthly_weeks" }

// Input is what a member sends for their look; Submit shares it (every area must then be rated).
type Input struct {
	Ratings map[string]*int
	Submit  bool
}

// validate checks in and returns the row's ratings.
func (in Input) validate() error {
	f := apperr.Form{}
	for _, a := range Areas {
		v := in.Ratings[a.Key]
		switch {
		case v != nil && (*v < 0 || *v > 10):
			f.Add(a.Key, "Choose a number from 0 to 10.")
		case v == nil && in.Submit:
			f.Add(a.Key, "Choose a number from 0 to 10 before sharing.")
		}
	}
	return f.Err()
}

// CheckinDay returns the day of the couple's check-in (weekday numbered as time.Weekday) in week w.
func CheckinDay(w checkin.Week, weekday int) time.Time {
	return w.Monday().AddDate(0, 0, (weekday+6)%7)
}

// IsMonthly reports whether w is the first check-in week of its month: the week whose check-in day
// falls on one of the month's first seven days. Each month has exactly one.
func IsMonthly(w checkin.Week, weekday int) bool {
	return CheckinDay(w, weekday).Day() <= 7
}

// NextMonthly returns the first monthly week from w on.
func NextMonthly(w checkin.Week, weekday int) checkin.Week {
	for !IsMonthly(w, weekday) {
		w = w.Next()
	}
	return w
}

// LatestMonthly returns the last monthly week up to w.
func LatestMonthly(w checkin.Week, weekday int) checkin.Week {
	for !IsMonthly(w, weekday) {
		w = w.Prev()
	}
	return w
}
