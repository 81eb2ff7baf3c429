package agreement

import (
	"strconv"
	"strings"
	"time"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/text"
)

// Limits on what an agreement may hold.
const (
	MaxTitle = 120
	MaxBody  = 5000
	MaxNote  = 1000
	// MaxEndMonths is how far ahead a transparency agreement may end (DESIGN §2.3).
	MaxEndMonths = 6
	// MaxReviewMonths is how far ahead a review may be set: agreements are revisited regularly.
	MaxReviewMonths = 12
)

// Input is what a person writes for a version; dates are YYYY-MM-DD, EndsOn only for transparency.
type Input struct {
	Title    string
	Body     string
	Category string
	ReviewOn string
	EndsOn   string
}

// today returns the date in loc as YYYY-MM-DD.
func today(now time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return now.In(loc).Format(DateLayout)
}

// parseDate parses YYYY-MM-DD strictly.
func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse(DateLayout, s)
	if err != nil || t.Format(DateLayout) != s {
		return time.Time{}, false
	}
	return t, true
}

// AddMonths returns the date months after day (YYYY-MM-DD), or "" when day is not a date.
func AddMonths(day string, months int) string {
	t, ok := parseDate(day)
	if !ok {
		return ""
	}
	return t.AddDate(0, months, 0).Format(DateLayout)
}

// checkFutureDate records an error under field unless v is a date after day and no later than months ahead.
func checkFutureDate(f apperr.Form, field, v, day string, months int, missing string) {
	v = strings.TrimSpace(v)
	if v == "" {
		f.Add(field, missing)
		return
	}
	if _, ok := parseDate(v); !ok {
		f.Add(field, "Enter a date as YYYY-MM-DD.")
		return
	}
	if v <= day {
		f.Add(field, "Choose a date after today.")
		return
	}
	if v > AddMonths(day, months) {
		f.Add(field, "Choose a date no more than "+strconv.Itoa(months)+" months ahead.")
	}
}

// validate checks in against today (YYYY-MM-DD) and returns the cleaned input, or an apperr.Invalid
// naming every field that failed.
func (in Input) validate(day string) (Input, error) {
	f := apperr.Form{}
	in.Title = text.Clean(f, "title", in.Title, text.Rule{Max: MaxTitle, Missing: "Give the agreement a short title."})
	in.Body = text.Clean(f, "body", in.Body, text.Rule{Max: MaxBody, Multiline: true, Missing: "Write the agreement in a few plain sentences."})
	in.Category = strings.TrimSpace(in.Category)
	in.ReviewOn = strings.TrimSpace(in.ReviewOn)
	in.EndsOn = strings.TrimSpace(in.EndsOn)
	if _, ok := CategoryLabels[in.Category]; !ok {
		f.Add("category", "Choose one of the listed kinds.")
	}
	checkFutureDate(f, "review_on", in.ReviewOn, day, MaxReviewMonths, "Choose a date to look at this again together.")
	switch {
	case in.Category == Transparency:
		checkFutureDate(f, "ends_on", in.EndsOn, day, MaxEndMonths,
			"Transparency is a bridge for a set time: choose an end date, at most 6 months ahead.")
	case in.EndsOn != "":
		f.Add("ends_on", "Only transparency agreements have an end date. Clear it, or choose transparency.")
	}
	return in, f.Err()
}

// CheckNote validates an optional note.
func CheckNote(note string) (string, error) {
	f := apperr.Form{}
	note = text.Clean(f, "note", note, text.Rule{Max: MaxNote, Multiline: true})
	return note, f.Err()
}
