// Package agreement holds the couple's agreements (DESIGN §2.3): immutable numbered versions, an
// append-only consent log, and the status derived from that log.
package agreement

import (
	"time"
)

// Categories an agreement may have, in the order forms show them.
var Categories = []string{"honesty", "fidelity", "respect", "transparency", "boundary", "communication", "other"}

// CategoryLabels are the plain-language names of the categories.
var CategoryLabels = map[string]string{
	"honesty": "Honesty", "fidelity": "Fidelity", "respect": "Respect", "transparency": "Transparency",
	"boundary": "Boundary", "communication": "Communication", "other": "Other",
}

// Transparency is the one category with an end date.
const Transparency = "transparency"

// Statuses derived from the consent log.
const (
	StatusProposed  = "proposed"
	StatusActive    = "active"
	StatusWithdrawn = "withdrawn"
	StatusEnded     = "ended"
)

// Log actions.
const (
	ActionProposed  = "proposed"
	ActionAccepted  = "accepted"
	ActionWithdrawn = "withdrawn"
	ActionReviewed  = "reviewed"
)

// DateLayout is how dates are stored and sent (YYYY-MM-DD).
const DateLayout = "2006-01-02"

// Agreement is one agreement of a couple; its text lives in its versions.
type Agreement struct {
	ID        string
	CoupleID  string
	CreatedAt time.Time
}

// Version is one immutable text of an agreement. Dates are YYYY-MM-DD strings. AuthorID is empty for a
// joint text whose author has deleted their account (DESIGN §2.9).
type Version struct {
	ID          string
	AgreementID string
	Number      int
	AuthorID    string
	Title       string
	Body        string
	Category    string
	ReviewOn    string
	EndsOn      *string
	CreatedAt   time.Time
}

// TableName names the versions table.
func (Version) TableName() string { return "agreement_versions" }

// Event is one row of the append-only consent log. ActorID is empty, and Note too, for the entries on a
// joint text of a partner who has since deleted their account.
type Event struct {
	ID           string
	AgreementID  string
	Seq          int
	Version      int
	ActorID      string
	Action       string
	Note         string
	NextReviewOn *string
	CreatedAt    time.Time
}

// TableName names the consent log table.
func (Event) TableName() string { return "agreement_events" }

// View is an agreement with its versions, log and derived state, as of a given day.
type View struct {
	Agreement
	// Current is the latest version; Previous the one before it, or nil.
	Current  Version
	Previous *Version
	// Versions are oldest first; Log is in the order it was written.
	Versions []Version
	Log      []Event
	Status   string
	// ReviewOn is the date the agreement is next due for review (after any reviews of this version).
	ReviewOn     string
	DueForReview bool
	// AcceptedBy holds the users who accepted the current version (proposing counts); a deleted
	// account's acceptance, kept on a joint text, is under "".
	AcceptedBy map[string]bool
	UpdatedAt  time.Time
	// FirstBothAccepted is when a version of it was first accepted by two people (proposing a version
	// counts as its author accepting it); zero when no version ever was.
	FirstBothAccepted time.Time
}

// AcceptedByUser reports whether userID accepted the current version.
func (v *View) AcceptedByUser(userID string) bool { return v.AcceptedBy[userID] }

// WaitingFor reports whether the current version waits for userID's acceptance.
func (v *View) WaitingFor(userID string) bool {
	return v.Status == StatusProposed && !v.AcceptedBy[userID]
}

// CanAccept reports whether userID may accept the current version now.
func (v *View) CanAccept(userID string) bool { return v.WaitingFor(userID) }

// CanWithdraw reports whether userID can withdraw consent now: the agreement is proposed or active and
// userID's acceptance of the current version (proposing counts) is in the log.
func (v *View) CanWithdraw(userID string) bool {
	return (v.Status == StatusProposed || v.Status == StatusActive) && v.AcceptedBy[userID]
}

// CanReview reports whether a review can be recorded now.
func (v *View) CanReview() bool { return v.Status == StatusActive || v.Status == StatusEnded }

// Version returns version number n, or nil.
func (v *View) Version(n int) *Version {
	for i := range v.Versions {
		if v.Versions[i].Number == n {
			return &v.Versions[i]
		}
	}
	return nil
}

// Before returns the version preceding number n, or nil.
func (v *View) Before(n int) *Version {
	var prev *Version
	for i := range v.Versions {
		if v.Versions[i].Number >= n {
			break
		}
		prev = &v.Versions[i]
	}
	return prev
}

// EndsWithin reports whether a current transparency agreement ends within days of today (inclusive).
func (v *View) EndsWithin(today string, days int) bool {
	if v.Current.EndsOn == nil || v.Status != StatusActive {
		return false
	}
	t, err := time.Parse(DateLayout, today)
	if err != nil {
		return false
	}
	limit := t.AddDate(0, 0, days).Format(DateLayout)
	return *v.Current.EndsOn >= today && *v.Current.EndsOn <= limit
}

// derive fills the derived fields of v from its versions and log, as of today (YYYY-MM-DD). The
// summaries (Summaries) read the same fields from the state kept at write time (factsOfSQL) instead;
// TestKeptStateFollowsRandomHistories keeps the two in step.
func derive(v *View, today string) {
	if len(v.Versions) == 0 {
		return
	}
	v.Current = v.Versions[len(v.Versions)-1]
	v.Previous = v.Before(v.Current.Number)
	v.AcceptedBy = map[string]bool{}
	v.ReviewOn = v.Current.ReviewOn
	v.UpdatedAt = v.Current.CreatedAt
	v.FirstBothAccepted = firstBothAccepted(v.Log)
	withdrawn := false
	for _, e := range v.Log {
		if e.CreatedAt.After(v.UpdatedAt) {
			v.UpdatedAt = e.CreatedAt
		}
		if e.Version != v.Current.Number {
			continue
		}
		switch e.Action {
		case ActionProposed, ActionAccepted:
			v.AcceptedBy[e.ActorID] = true
		case ActionWithdrawn:
			withdrawn = true
		case ActionReviewed:
			if e.NextReviewOn != nil {
				v.ReviewOn = *e.NextReviewOn
			}
		}
	}
	v.settle(withdrawn, today)
}

// settle sets v's status and whether it is due for review, as of today, from its current version, who
// accepted it and whether consent to it was withdrawn. Proposed: the latest version lacks someone's
// acceptance. Active: two people accepted it. Withdrawn: someone withdrew consent to it. Ended: a
// transparency version past its end date.
func (v *View) settle(withdrawn bool, today string) {
	switch {
	case withdrawn:
		v.Status = StatusWithdrawn
	case v.Current.EndsOn != nil && today > *v.Current.EndsOn:
		v.Status = StatusEnded
	case len(v.AcceptedBy) >= 2:
		v.Status = StatusActive
	default:
		v.Status = StatusProposed
	}
	v.DueForReview = v.Status == StatusActive && today >= v.ReviewOn
}

// firstBothAccepted is when a version was first accepted by two people in log (proposing a version
// counts as its author accepting it): the earliest entry that follows another person's on the same
// version; zero when none does.
func firstBothAccepted(log []Event) time.Time {
	var first time.Time
	for i, e := range log {
		if e.Action != ActionProposed && e.Action != ActionAccepted {
			continue
		}
		for _, o := range log[:i] {
			if o.Version == e.Version && o.ActorID != e.ActorID && (o.Action == ActionProposed || o.Action == ActionAccepted) {
				if first.IsZero() || e.CreatedAt.Before(first) {
					first = e.CreatedAt
				}
				break
			}
		}
	}
	return first
}
