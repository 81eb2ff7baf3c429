package plan

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/token"

	"github.com/mendhq/mend/internal/couple"
)

// Therapy decisions (DESIGN §2.6).
const (
	TherapySeeing      = "seeing"
	TherapyConsidering = "considering"
	TherapyNotNow      = "not_now"
)

// TherapyLabels name the decisions in plain words.
var TherapyLabels = map[string]string{
	TherapySeeing:      "We are seeing someone",
	TherapyConsidering: "We are considering it",
	TherapyNotNow:      "Not now",
}

// Prompt variants.
const (
	PromptCouple     = "couple"
	PromptIndividual = "individual"
)

// quietAfterDecision is how long a decision without a revisit date quiets the therapy prompt.
const quietAfterDecision = 8 * 7 * 24 * time.Hour

// MaxRevisitMonths is how far ahead a revisit date may be.
const MaxRevisitMonths = 12

// Decision is a recorded decision about couples therapy; the latest one is the couple's.
type Decision struct {
	ID        string
	CoupleID  string
	UserID    string
	Decision  string
	RevisitOn *string
	CreatedAt time.Time
}

// TableName names the decisions table.
func (Decision) TableName() string { return "plan_therapy_decisions" }

// Ask is one person's private wish to look into couples therapy together.
type Ask struct {
	CoupleID string
	UserID   string
	AskedAt  time.Time
}

// TableName names the asks table.
func (Ask) TableName() string { return "plan_therapy_asks" }

// TherapyInput records a decision, an ask, or both; nil fields are left alone.
type TherapyInput struct {
	Decision  *string
	RevisitOn string
	Ask       *bool
}

// TherapyView is the therapy decision as one person sees it.
type TherapyView struct {
	// Decision is empty when none is recorded.
	Decision    string
	RevisitOn   string
	DecidedAt   *time.Time
	DecidedByMe bool
	// Asked is the asking user's own private wish; BothAsked is set only once both have asked.
	Asked     bool
	BothAsked bool
}

// DecisionLabel names the recorded decision in plain words, or "" when none is recorded.
func (v TherapyView) DecisionLabel() string { return TherapyLabels[v.Decision] }

// Prompt is the therapy card (DESIGN §2.6): shown with its reasons in plain words, or, for a person
// whose own safety answer is low, the individual variant, which only that person ever sees.
type Prompt struct {
	Show    bool
	Variant string
	Reasons []string
}

// therapySQL reads the couple's latest decision (kind 0: its author, decision, revisit date and instant),
// then the asks (kind 1: the asking user and when), in one statement. The decision comes first so that,
// on SQLite, the instant column takes the declared type of plan_therapy_decisions.created_at.
const therapySQL = `SELECT 0, d.user_id, d.decision, d.revisit_on, d.created_at FROM (SELECT user_id, decision, revisit_on, created_at
	FROM plan_therapy_decisions WHERE couple_id = ? ORDER BY created_at DESC, id DESC LIMIT 1) d
UNION ALL
SELECT 1, user_id, '', NULL, asked_at FROM plan_therapy_asks WHERE couple_id = ?`

func (s *Service) therapyView(ctx context.Context, sc *couple.Membership) (TherapyView, error) {
	var v TherapyView
	rows, err := s.db.WithContext(ctx).Raw(therapySQL, sc.Couple.ID, sc.Couple.ID).Rows()
	if err != nil {
		return v, err
	}
	defer rows.Close()
	// One row's columns, scanned into the same variables row after row.
	var r struct {
		kind             int
		userID, decision string
		revisit          sql.NullString
		at               time.Time
	}
	dest := []any{&r.kind, &r.userID, &r.decision, &r.revisit, &r.at}
	partnerAsked := false
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return v, err
		}
		userID := r.userID
		if r.kind == 0 {
			decidedAt := r.at
			v.Decision, v.DecidedAt, v.DecidedByMe, v.RevisitOn = r.decision, &decidedAt, userID == sc.Me.UserID, r.revisit.String
			continue
		}
		v.Asked = v.Asked || userID == sc.Me.UserID
		partnerAsked = partnerAsked || (sc.PartnerID() != "" && userID == sc.PartnerID())
	}
	if err := rows.Err(); err != nil {
		return v, err
	}
	v.BothAsked = v.Asked && partnerAsked
	return v, nil
}

// RecordTherapy records the couple's decision about therapy and/or the user's own private ask.
func (s *Service) RecordTherapy(ctx context.Context, sc *couple.Membership, in TherapyInput) (*TherapyView, error) {
	f := apperr.Form{}
	if in.Decision == nil && in.Ask == nil {
		f.Add("decision", "Choose seeing someone, considering it, or not now.")
	}
	if in.Decision != nil {
		if _, ok := TherapyLabels[*in.Decision]; !ok {
			f.Add("decision", "Choose seeing someone, considering it, or not now.")
		}
	}
	var revisit *string
	if in.RevisitOn != "" {
		today := s.Today(sc)
		t, ok := parseDate(in.RevisitOn)
		switch {
		case in.Decision == nil:
			f.Add("revisit_on", "A date to revisit goes with a decision.")
		case !ok:
			f.Add("revisit_on", "Enter a date as YYYY-MM-DD.")
		case in.RevisitOn <= today:
			f.Add("revisit_on", "Choose a date after today.")
		case t.After(mustDate(today).AddDate(0, MaxRevisitMonths, 0)):
			f.Add("revisit_on", fmt.Sprintf("Choose a date no more than %d months ahead.", MaxRevisitMonths))
		}
		revisit = &in.RevisitOn
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	now := s.nowUTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if in.Decision != nil {
			d := Decision{ID: token.ID(), CoupleID: sc.Couple.ID, UserID: sc.Me.UserID, Decision: *in.Decision, RevisitOn: revisit, CreatedAt: now}
			if err := tx.Create(&d).Error; err != nil {
				return err
			}
		}
		switch {
		case in.Ask == nil:
		case *in.Ask:
			return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&Ask{CoupleID: sc.Couple.ID, UserID: sc.Me.UserID, AskedAt: now}).Error
		default:
			return tx.Where("couple_id = ? AND user_id = ?", sc.Couple.ID, sc.Me.UserID).Delete(&Ask{}).Error
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("plan: therapy: %w", err)
	}
	v, err := s.therapyView(ctx, sc)
	if err != nil {
		return nil, fmt.Errorf("plan: therapy: %w", err)
	}
	return &v, nil
}

func mustDate(d string) time.Time {
	t, _ := parseDate(d)
	return t
}

// prompt decides the therapy card for the asking user from the facts.
func (s *Service) prompt(sc *couple.Membership, f *facts, th TherapyView) Prompt {
	if f.lowSafety {
		return Prompt{Show: true, Variant: PromptIndividual, Reasons: []string{
			"Couples therapy can be unsafe where there is abuse or fear at home; a therapist may not see what happens between sessions.",
			"Individual help is a safer place to start: someone who listens to you alone, in confidence.",
		}}
	}
	var reasons []string
	if trustNotImproved(f.weeks) {
		reasons = append(reasons, "Trust ratings have not risen over the last six check-ins you both opened.")
	}
	if n := unkeptWeeks(f, s.now(), sc.Zone()); n >= 3 {
		reasons = append(reasons, fmt.Sprintf("In %d of the last six weeks an agreement was withdrawn or reported as not kept.", n))
	}
	if th.BothAsked {
		reasons = append(reasons, "You both said you would like to look into it.")
	}
	p := Prompt{Variant: PromptCouple, Reasons: reasons}
	p.Show = len(reasons) > 0 && !quieted(th, s.Today(sc), s.nowUTC())
	return p
}

// quieted reports whether a recorded decision holds the prompt back: seeing someone always does;
// another decision does until its revisit date, or for eight weeks without one.
func quieted(th TherapyView, today string, now time.Time) bool {
	switch {
	case th.Decision == "":
		return false
	case th.Decision == TherapySeeing:
		return true
	case th.RevisitOn != "":
		return today < th.RevisitOn
	default:
		return th.DecidedAt != nil && now.Sub(*th.DecidedAt) < quietAfterDecision
	}
}

// trustNotImproved reports whether, over the last six opened weeks with trust ratings, the couple's
// average trust (the two people's, or the one rating given) in the last three weeks is less than a point
// above the first three.
func trustNotImproved(weeks []OpenedWeek) bool {
	var last [6]float64
	n := 0
	for i := len(weeks) - 1; i >= 0 && n < len(last); i-- {
		sum, rated := 0, 0
		for _, t := range [2]*int{weeks[i].Me.Trust, weeks[i].Partner.Trust} {
			if t != nil {
				sum += *t
				rated++
			}
		}
		if rated > 0 {
			n++
			last[len(last)-n] = float64(sum) / float64(rated)
		}
	}
	if n < len(last) {
		return false
	}
	first := (last[0] + last[1] + last[2]) / 3
	recent := (last[3] + last[4] + last[5]) / 3
	return recent-first < 1
}

// promptWeeks is how many weeks, ending with the current one, the therapy prompt looks back over.
const promptWeeks = 6

// unkeptWeeks counts, of the six weeks ending with the current one, those in which consent to an
// agreement was withdrawn or an opened check-in reported an agreement not kept.
func unkeptWeeks(f *facts, now time.Time, loc *time.Location) int {
	first, last := recentWeeks(now, loc, promptWeeks)
	var hit [promptWeeks]bool
	mark := func(monday time.Time) {
		if i := weekIndex(first, monday); i >= 0 && i < len(hit) && !monday.After(last) {
			hit[i] = true
		}
	}
	for i := range f.weeks {
		if w := &f.weeks[i]; w.NotKept > 0 {
			mark(w.Week.Monday())
		}
	}
	for _, t := range f.agreements.Withdrawals {
		mark(mondayOf(t, loc))
	}
	n := 0
	for _, h := range hit {
		if h {
			n++
		}
	}
	return n
}
