// Package checkin holds the weekly check-in (DESIGN §2.4): ISO weeks in the couple's time zone, each
// partner's sealed answers that open for both at once, active-listening reflections and time-outs.
//
// The privacy rules live here, not in the handlers:
//   - until a week has opened, nothing about the partner's answers is returned, not even whether they
//     exist: a week's state is the same for both partners and depends only on the calendar and on
//     whether the week has opened or passed;
//   - a week opens only when both have shared answers and neither chose "not this week"; when both
//     have shared and one of them skipped, the week passes: nothing opens, each keeps their own
//     answers (concludeWeek holds the rule, and the opened weeks are the rows of checkin_weeks);
//   - the safety rating is returned only to its author: the partner's answers always come back with
//     Safety nil, in views and exports alike.
//
// Account deletion (Erase, then the database cascade) removes everything the user wrote here: their
// answers and per-agreement answers, the reflections they wrote, their responses to the other person's
// reflections, and the pauses they asked for. What the other person wrote stays theirs: their own answers,
// and what they heard (without the deleted person's response). Deletion ends the couple, so the other
// person then sees the couple's weeks only through their archive and export, which hold their own writing;
// were an opened week read after its other half was deleted, it would stay opened and say that those
// answers are no longer available (WeekView.PartnerGone).
package checkin

import (
	"context"
	"time"
)

// State is a week's state, the same for both partners.
type State string

// The states of a week (DESIGN §3.2).
const (
	// StateOpen: the week takes answers (this week or last week) and has not opened yet.
	StateOpen State = "open"
	// StateSealed: the week has closed without both sharing; answers stay with their authors.
	StateSealed State = "sealed"
	// StateOpened: both shared, and both sets of answers are visible to both.
	StateOpened State = "opened"
	// StatePassed: both shared and one of them (or both) chose "not this week": the week passed without
	// an exchange. Each keeps their own answers, fixed from then on, and neither reads the other's.
	StatePassed State = "passed"
)

// Kept answers for an agreement.
var Kept = map[string]string{"kept": "Kept", "partly": "Partly", "not_kept": "Not kept", "not_sure": "Not sure"}

// KeptOrder lists the kept answers in the order forms show them.
var KeptOrder = []string{"kept", "partly", "not_kept", "not_sure"}

// LowSafetyAt is the highest safety rating that counts as low (DESIGN §2.4).
const LowSafetyAt = 3

// Text limits, in characters.
const (
	MaxText       = 4000
	MaxNote       = 500
	MaxReflection = 20 // reflections one person may write per week
)

// AgreementRef is an active agreement that a check-in asks about.
type AgreementRef struct {
	ID    string
	Title string
}

// ActiveAgreements lists a couple's active agreements on the couple's calendar (loc is the couple's
// time zone). The server wires it to the agreements feature.
type ActiveAgreements func(ctx context.Context, coupleID string, loc *time.Location) ([]AgreementRef, error)

// NoAgreements is an ActiveAgreements with none, for a Mend without the agreements feature.
func NoAgreements(context.Context, string, *time.Location) ([]AgreementRef, error) { return nil, nil }

// Answer is one person's answers for one week.
type Answer struct {
	ID           string
	CoupleID     string
	Week         string
	UserID       string
	Skip         bool
	Appreciation string
	WentWell     string
	WasHard      string
	Need         string
	Trust        *int
	Connection   *int
	Safety       *int
	CreatedAt    time.Time
	UpdatedAt    time.Time
	SubmittedAt  *time.Time
	// Agreements is filled by the service from checkin_agreement_answers.
	Agreements []AgreementAnswer `gorm:"-"`
}

// TableName names the answers table.
func (Answer) TableName() string { return "checkin_answers" }

// Shared reports whether the answers have been shared (submitted).
func (a *Answer) Shared() bool { return a != nil && a.SubmittedAt != nil }

// AgreementAnswer says whether one agreement was kept this week.
type AgreementAnswer struct {
	AnswerID    string
	AgreementID string
	Title       string
	Kept        string
	Position    int
}

// TableName names the per-agreement answers table.
func (AgreementAnswer) TableName() string { return "checkin_agreement_answers" }

// openedWeek records the moment a week opened for both.
type openedWeek struct {
	CoupleID string
	Week     string
	OpenedAt time.Time
}

func (openedWeek) TableName() string { return "checkin_weeks" }

// passedWeek records the moment a week passed without an exchange.
type passedWeek struct {
	CoupleID string
	Week     string
	PassedAt time.Time
}

func (passedWeek) TableName() string { return "checkin_passed_weeks" }

// Reflection is what the listener heard of the author's answers, the author's response and the
// listener's validating line.
type Reflection struct {
	ID          string
	CoupleID    string
	Week        string
	ListenerID  string
	AuthorID    string
	Text        string
	Accurate    *bool
	Note        string
	RespondedAt *time.Time
	Validation  string
	ValidatedAt *time.Time
	CreatedAt   time.Time
}

// TableName names the reflections table.
func (Reflection) TableName() string { return "checkin_reflections" }

// Timeout is a pause in a heated conversation.
type Timeout struct {
	ID        string
	CoupleID  string
	UserID    string
	Note      string
	CreatedAt time.Time
	UntilAt   time.Time
	EndedAt   *time.Time
	EndedBy   *string
}

// TableName names the time-outs table.
func (Timeout) TableName() string { return "checkin_timeouts" }
