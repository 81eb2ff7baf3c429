// Package question holds the questions answered once and kept (DESIGN §5.4): one partner asks, the
// other answers in writing, and an answer is never changed in place. A correction is the next version,
// and every version stays, so a changed answer is always visible as a correction and silent rewriting
// is impossible. A question may wait for an agreed day (the next check-in, or a date), and either
// partner may pause the questions for a while; only the one who paused may end it early.
//
// The rules live here, not in the handlers:
//   - a question waiting for its day is seen by its asker only; to the partner it does not exist yet;
//   - only the partner who did not ask answers; either may add a follow-up;
//   - while the questions are paused, nothing new is asked, answered or followed up.
//
// Account deletion removes a person's questions, answers, follow-ups and pauses through the schema's ON
// DELETE CASCADE. What the other person wrote about a deleted question stays theirs (question_id NULL),
// in their export only.
package question

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mendhq/mend/internal/apperr"
)

// Limits.
const (
	MaxText      = 2000
	MaxAnswer    = 8000
	MaxNote      = 500
	MaxVersions  = 50
	MaxFollowUps = 50
	// MaxWaitDays is how far ahead a question may wait.
	MaxWaitDays = 60
	// MaxPause is the longest pause one can ask for.
	MaxPause = 7 * 24 * time.Hour
	// DateLayout is how dates are written: YYYY-MM-DD.
	DateLayout = "2006-01-02"
)

// How a question waits.
const (
	WaitNone    = ""
	WaitCheckin = "checkin"
	WaitDate    = "date"
)

// NextCheckin is the wait_until value that means "until our next check-in".
const NextCheckin = "next_checkin"

// Question is one question of a couple.
type Question struct {
	ID        string
	CoupleID  string
	AskerID   string
	Text      string
	WaitKind  string
	WaitOn    *string
	CreatedAt time.Time
}

// Answer is one version of the answer to a question. QuestionID is nil once the question has gone
// with its asker's account.
type Answer struct {
	ID         string
	CoupleID   string
	QuestionID *string
	AuthorID   string
	Version    int
	Text       string
	CreatedAt  time.Time
}

// TableName names the answers table.
func (Answer) TableName() string { return "question_answers" }

// FollowUp is a further line on a question, by either partner.
type FollowUp struct {
	ID         string
	CoupleID   string
	QuestionID *string
	AuthorID   string
	Text       string
	CreatedAt  time.Time
}

// TableName names the follow-ups table.
func (FollowUp) TableName() string { return "question_follow_ups" }

// Pause is a pause of the couple's questions.
type Pause struct {
	ID        string
	CoupleID  string
	UserID    string
	Note      string
	CreatedAt time.Time
	UntilAt   time.Time
	EndedAt   *time.Time
}

// TableName names the pauses table.
func (Pause) TableName() string { return "question_pauses" }

// Earlier is an earlier question that resembles this one (Similar) and has an answer.
type Earlier struct {
	ID        string
	AskerID   string
	CreatedAt time.Time
}

// View is a question as a member sees it: every version of its answer, oldest first, its follow-ups,
// and the earlier answered questions it resembles.
type View struct {
	Question
	Versions  []Answer
	FollowUps []FollowUp
	Similar   []Earlier
	// Waiting is set while the question waits for its day (only its asker ever sees it then).
	Waiting bool
}

// Latest returns the current version of the answer, or nil when there is none yet.
func (v *View) Latest() *Answer {
	if len(v.Versions) == 0 {
		return nil
	}
	return &v.Versions[len(v.Versions)-1]
}

// cleanText trims v and records a field error when it is missing (and required), not valid text, or
// longer than max characters.
func cleanText(f apperr.Form, field, missing, v string, max int) string {
	v = strings.TrimSpace(strings.ReplaceAll(v, "\r\n", "\n"))
	switch {
	case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
		f.Add(field, "Please use plain text.")
	case missing != "" && v == "":
		f.Add(field, missing)
	case utf8.RuneCountInString(v) > max:
		f.Add(field, "Please keep this to "+strconv.Itoa(max)+" characters or fewer.")
	}
	return v
}

// NextCheckinDay returns the date of the couple's next check-in day on or after today (YYYY-MM-DD),
// weekday numbered as time.Weekday.
func NextCheckinDay(today time.Time, weekday int) time.Time {
	days := (weekday - int(today.Weekday()) + 7) % 7
	return today.AddDate(0, 0, days)
}

// waitFor reads wait_until ("", NextCheckin or a date) for a question asked on today: the kind and the
// day, or a field error.
func waitFor(f apperr.Form, v string, today time.Time, weekday int) (string, *string) {
	v = strings.TrimSpace(v)
	switch v {
	case "":
		return WaitNone, nil
	case NextCheckin:
		day := NextCheckinDay(today, weekday).Format(DateLayout)
		return WaitCheckin, &day
	}
	d, err := time.Parse(DateLayout, v)
	switch {
	case err != nil:
		f.Add("wait_until", "Choose the next check-in, or a date written as YYYY-MM-DD.")
	case d.Before(today):
		f.Add("wait_until", "Choose today or a later day.")
	case d.After(today.AddDate(0, 0, MaxWaitDays)):
		f.Add("wait_until", "Choose a day within the next two months.")
	default:
		day := d.Format(DateLayout)
		return WaitDate, &day
	}
	return WaitNone, nil
}
