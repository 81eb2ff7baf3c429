package server

import (
	"strings"

	"github.com/mendhq/mend/internal/checkin"
)

// The stepped check-in form (DESIGN §5, issue "a companion on the phone"): app.js shows one section at
// a time. So that the first paint already shows one step (and the page does not jump when the script
// folds it), the server marks the step the form opens at, fills in its counter and draws each step's
// Back / Next and the review; the stylesheet shows only the marked step once early.js has said that
// scripts run. Without JavaScript none of that shows and the form is one page.

// checkinSteps is the stepped form's steps as the server draws them.
type checkinSteps struct {
	Labels []string
	// Open is the step the form opens at: the review once the answers are shared, and after a refused
	// post the first step with a message (what app.js would choose).
	Open int
	// RatingsAt, AgreementsAt (-1 without agreements) and ReviewAt are the steps after the texts.
	RatingsAt, AgreementsAt, ReviewAt int
	// Review is each step before the last in a line or two, as app.js writes it.
	Review []checkinReviewStep
}

// checkinReviewStep is one line of the review: a step's label and what was answered in it.
type checkinReviewStep struct {
	Label string
	Lines []checkinLabelled // Label: the field's label; Value: what was answered, or "Not answered"
}

const checkinNotAnswered = "Not answered"

// newCheckinSteps lays out the steps of a form with these fields; shared opens it at the review.
func newCheckinSteps(ratings, texts []checkinField, kept []checkinAgreementField, shared bool) checkinSteps {
	s := checkinSteps{RatingsAt: len(texts), AgreementsAt: -1, Open: -1}
	invalid := func(step int, bad bool) {
		if bad && s.Open < 0 {
			s.Open = step
		}
	}
	for i, t := range texts {
		s.Labels = append(s.Labels, t.Label)
		s.Review = append(s.Review, checkinReviewStep{Label: t.Label, Lines: []checkinLabelled{{Label: t.Label, Value: answered(t.Value)}}})
		invalid(i, t.Error != "")
	}
	s.Labels = append(s.Labels, "Ratings")
	rs := checkinReviewStep{Label: "Ratings"}
	for _, r := range ratings {
		rs.Lines = append(rs.Lines, checkinLabelled{Label: r.Label, Value: answered(r.Value)})
		invalid(s.RatingsAt, r.Error != "")
	}
	s.Review = append(s.Review, rs)
	if len(kept) > 0 {
		s.AgreementsAt = len(s.Labels)
		s.Labels = append(s.Labels, "Agreements")
		as := checkinReviewStep{Label: "Agreements"}
		for _, k := range kept {
			as.Lines = append(as.Lines, checkinLabelled{Label: k.Title, Value: answered(checkin.Kept[k.Value])})
			invalid(s.AgreementsAt, k.Error != "")
		}
		s.Review = append(s.Review, as)
	}
	s.ReviewAt = len(s.Labels)
	s.Labels = append(s.Labels, "Review and share")
	if s.Open < 0 {
		s.Open = 0
		if shared {
			s.Open = s.ReviewAt
		}
	}
	return s
}

func answered(v string) string {
	if v = strings.TrimSpace(v); v == "" {
		return checkinNotAnswered
	}
	return v
}

// IsOpen reports whether step i is the one the form opens at.
func (s checkinSteps) IsOpen(i int) bool { return i == s.Open }

// Count is how many steps there are.
func (s checkinSteps) Count() int { return len(s.Labels) }

// OpenNumber is the open step counted from 1, as the counter says it.
func (s checkinSteps) OpenNumber() int { return s.Open + 1 }

// OpenLabel is the open step's name.
func (s checkinSteps) OpenLabel() string { return s.Labels[s.Open] }

// checkinStepNav is a step's Back and Next (or Review) buttons.
type checkinStepNav struct {
	Back bool
	Next string // "" on the last step
}

// Nav is step i's buttons.
func (s checkinSteps) Nav(i int) checkinStepNav {
	n := checkinStepNav{Back: i > 0}
	switch {
	case i == s.ReviewAt-1:
		n.Next = "Review"
	case i < s.ReviewAt:
		n.Next = "Next"
	}
	return n
}
