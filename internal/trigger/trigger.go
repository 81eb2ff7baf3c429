// Package trigger holds the trigger log (DESIGN §5.4): a private note of a moment that brought the hurt
// back, which its author may signal to the partner (without its text, or with it after a preview), and
// the partner's responses to a signal.
//
// The privacy rules live here, not in the handlers:
//   - a trigger is only ever read by its author: every query for triggers is scoped to the author, so
//     the partner's id, like another couple's, is simply not found;
//   - the partner sees a signal, never the trigger behind it: the signal carries the text only when the
//     author chose to include it, as a copy made at that moment;
//   - only the person who received a signal may respond to it;
//   - nothing here is counted for anyone but the author.
//
// Account deletion removes everything a person wrote here through the schema's ON DELETE CASCADE:
// their triggers with their signals, and the responses they wrote. A response someone else wrote to a
// signal that is gone stays with its responder (signal_id NULL), in their export only.
package trigger

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mendhq/mend/internal/apperr"
)

// Limits on text, in characters, and on how many responses one signal may have.
const (
	MaxWhat        = 2000
	MaxHelped      = 2000
	MaxResponse    = 1000
	MaxResponses   = 20
	MaxStrength    = 10
	maxBack        = 2 * 365 * 24 * time.Hour
	maxAheadLeeway = 5 * time.Minute
)

// SignalMessage is what the partner reads of every signal, with or without the trigger's text.
const SignalMessage = "Something brought the hurt back. I'd like some reassurance."

// Response kinds, written from the "own the moment" practice: acknowledge the feeling, reassure with a
// fact, ask what would help.
const (
	Acknowledge = "acknowledge"
	Reassure    = "reassure"
	Ask         = "ask"
)

// ResponseKinds lists the kinds in the order forms show them, each with its label and a hint.
var ResponseKinds = []struct{ Key, Label, Hint string }{
	{Acknowledge, "Acknowledge it", "Say that you hear it and that it makes sense, without explaining or defending yourself."},
	{Reassure, "Reassure with a fact", "Something true and plain about now: where you are, what you are doing, what has ended."},
	{Ask, "Ask what would help", "Ask what would help right now: a call, some quiet, company when you are home."},
}

// KindLabel returns the label of a response kind, or "" when it is not one.
func KindLabel(kind string) string {
	for _, k := range ResponseKinds {
		if k.Key == kind {
			return k.Label
		}
	}
	return ""
}

// Trigger is one entry of a person's private log.
type Trigger struct {
	ID        string
	CoupleID  string
	AuthorID  string
	At        time.Time
	What      string
	Strength  int
	Helped    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Signal says to the partner that the author was triggered. Text is set only when the author chose to
// include the trigger's text; it is the text as it was then.
type Signal struct {
	ID        string
	CoupleID  string
	TriggerID string
	AuthorID  string
	Text      *string
	CreatedAt time.Time
}

// TableName names the signals table.
func (Signal) TableName() string { return "trigger_signals" }

// Response is the partner's answer to a signal. SignalID is nil once the signal has been taken back.
type Response struct {
	ID          string
	CoupleID    string
	SignalID    *string
	ResponderID string
	Kind        string
	Text        string
	CreatedAt   time.Time
}

// TableName names the responses table.
func (Response) TableName() string { return "trigger_responses" }

// Entry is a trigger as its author sees it: with its signal, if any, and the responses to it.
type Entry struct {
	Trigger
	Signal    *Signal
	Responses []Response
}

// Received is a signal as the partner who received it sees it: no trigger, only what was shared.
type Received struct {
	Signal
	Responses []Response
}

// Input is a new trigger. At zero means now; Strength is required.
type Input struct {
	At       time.Time
	What     string
	Strength *int
	Helped   string
}

// Patch changes some fields of a trigger; nil leaves a field as it is.
type Patch struct {
	At       *time.Time
	What     *string
	Strength *int
	Helped   *string
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

func checkAt(f apperr.Form, at, now time.Time) {
	switch {
	case at.After(now.Add(maxAheadLeeway)):
		f.Add("at", "Choose a moment that has already happened.")
	case at.Before(now.Add(-maxBack)):
		f.Add("at", "Choose a moment within the last two years.")
	}
}

func checkStrength(f apperr.Form, v *int) {
	if v == nil || *v < 0 || *v > MaxStrength {
		f.Add("strength", "Choose how strong it was, from 0 to 10.")
	}
}

// validate checks a new trigger at now, returning the row to store (without ids).
func (in Input) validate(now time.Time) (Trigger, error) {
	f := apperr.Form{}
	t := Trigger{At: in.At.UTC()}
	if in.At.IsZero() {
		t.At = now
	}
	checkAt(f, t.At, now)
	t.What = cleanText(f, "what", "Write a few words about what set it off.", in.What, MaxWhat)
	checkStrength(f, in.Strength)
	if in.Strength != nil {
		t.Strength = *in.Strength
	}
	t.Helped = cleanText(f, "helped", "", in.Helped, MaxHelped)
	return t, f.Err()
}

// apply checks p against t at now and returns t changed by it.
func (p Patch) apply(t Trigger, now time.Time) (Trigger, error) {
	f := apperr.Form{}
	if p.At != nil {
		t.At = p.At.UTC()
		if p.At.IsZero() {
			f.Add("at", "Choose when it happened.")
		} else {
			checkAt(f, t.At, now)
		}
	}
	if p.What != nil {
		t.What = cleanText(f, "what", "Write a few words about what set it off.", *p.What, MaxWhat)
	}
	if p.Strength != nil {
		checkStrength(f, p.Strength)
		t.Strength = *p.Strength
	}
	if p.Helped != nil {
		t.Helped = cleanText(f, "helped", "", *p.Helped, MaxHelped)
	}
	return t, f.Err()
}
