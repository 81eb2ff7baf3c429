package checkin

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/vault"
)

// Errors a check-in request can meet; each message is safe to show and never says who is waiting.
var (
	ErrWeekNotFound = apperr.New(apperr.NotFound, "There is no check-in for that week.")
	ErrOpened       = apperr.New(apperr.Conflict, "These answers have opened, so they can't be changed any more. You can still write what you heard below.")
	ErrClosed       = apperr.New(apperr.Conflict, "This week's check-in has closed. Only this week and last week take answers; older weeks are kept to read.")
	ErrNotOpened    = apperr.New(apperr.Conflict, "You can write what you heard once the answers open, when you have both shared.")
	ErrPassed       = apperr.New(apperr.Conflict, "This week passed without an exchange, so the answers stay as they are. Each of you keeps your own.")
)

// concludedErr is the error for a change to answers in a week that opened or passed.
func concludedErr(st State) error {
	if st == StatePassed {
		return ErrPassed
	}
	return ErrOpened
}

// Service manages check-ins.
type Service struct {
	db         *gorm.DB
	now        func() time.Time
	agreements ActiveAgreements
}

// NewService returns a Service over db. agreements lists the couple's active agreements (nil means none).
func NewService(db *gorm.DB, now func() time.Time, agreements ActiveAgreements) *Service {
	if now == nil {
		now = time.Now
	}
	if agreements == nil {
		agreements = noAgreements
	}
	return &Service{db: db, now: now, agreements: agreements}
}

func (s *Service) nowUTC() time.Time { return s.now().UTC() }

// Current returns this week in the couple's time zone.
func (s *Service) Current(m *couple.Membership) Week { return WeekOf(s.now(), m.Location) }

// Editable reports whether week w takes answers: this week and last week do.
func (s *Service) Editable(m *couple.Membership, w Week) bool {
	cur := s.Current(m)
	return w == cur || w == cur.Prev()
}

// Resolve checks a week key for the member's couple. Malformed keys, weeks that have not started and
// closed weeks from before the couple began are ErrWeekNotFound.
func (s *Service) Resolve(m *couple.Membership, key string) (Week, error) {
	w, ok := ParseWeek(key)
	if !ok {
		return Week{}, ErrWeekNotFound
	}
	cur := s.Current(m)
	if cur.Before(w) {
		return Week{}, ErrWeekNotFound
	}
	if w.Before(cur.Prev()) && w.Before(WeekOf(m.Couple.CreatedAt, m.Location)) {
		return Week{}, ErrWeekNotFound
	}
	return w, nil
}

// stateOf is a week's state: concluded (StateOpened, StatePassed or "") wins over the calendar.
func stateOf(editable bool, concluded State) State {
	switch {
	case concluded != "":
		return concluded
	case editable:
		return StateOpen
	default:
		return StateSealed
	}
}

// WeekView is one week as the signed-in member may see it.
type WeekView struct {
	Week     Week
	State    State
	Current  bool
	Editable bool // the member may still change their answers
	Mine     *Answer
	// Partner is set only once the week has opened (never when it passed), and its Safety is always nil.
	Partner     *Answer
	PartnerGone bool // opened, but the partner's answers were deleted with their account
	Reflections []Reflection
	// Agreements are what the answer form asks about: the active ones and any already answered.
	Agreements []AgreementRef
	LowSafety  bool // the member's own safety rating this week is LowSafetyAt or less
}

// Week returns week key for the member, or ErrWeekNotFound.
func (s *Service) Week(ctx context.Context, m *couple.Membership, key string) (*WeekView, error) {
	w, err := s.Resolve(m, key)
	if err != nil {
		return nil, err
	}
	concluded, mine, partner, err := weekAnswers(s.db.WithContext(ctx), m.Couple.ID, w.String(), m.Me.UserID)
	if err == nil && mine != nil {
		err = openAnswer(ctx, vault.From(s.db), mine)
	}
	if err == nil && partner != nil {
		err = openAnswer(ctx, vault.From(s.db), partner)
	}
	if err != nil {
		return nil, fmt.Errorf("checkin: week: %w", err)
	}
	v := &WeekView{Week: w, Current: w == s.Current(m), Editable: concluded == "" && s.Editable(m, w), Mine: mine}
	v.State = stateOf(s.Editable(m, w), concluded)
	v.LowSafety = lowSafety(mine)
	if concluded == StateOpened {
		v.Partner, v.PartnerGone = partner, partner == nil
		if v.Partner != nil {
			v.Partner.Safety = nil
		}
		if v.Reflections, err = s.reflections(ctx, m.Couple.ID, w.String()); err != nil {
			return nil, err
		}
	}
	if v.Editable {
		active, err := s.agreements(ctx, m)
		if err != nil {
			return nil, fmt.Errorf("checkin: active agreements: %w", err)
		}
		v.Agreements = formAgreements(active, answeredAbout(mine))
	}
	return v, nil
}

// lowSafety reports whether a's safety rating is LowSafetyAt or less.
func lowSafety(a *Answer) bool { return a != nil && a.Safety != nil && *a.Safety <= LowSafetyAt }

func isOpened(db *gorm.DB, coupleID, week string) (bool, error) {
	var n int64
	err := db.Model(&openedWeek{}).Where("couple_id = ? AND week = ?", coupleID, week).Count(&n).Error
	return n > 0, err
}

func isPassed(db *gorm.DB, coupleID, week string) (bool, error) {
	var n int64
	err := db.Model(&passedWeek{}).Where("couple_id = ? AND week = ?", coupleID, week).Count(&n).Error
	return n > 0, err
}

// loadAnswer returns userID's answer in the couple's week, without its per-agreement answers, or nil.
func loadAnswer(db *gorm.DB, coupleID, week, userID string) (*Answer, error) {
	var a Answer
	err := db.Where("couple_id = ? AND week = ? AND user_id = ?", coupleID, week, userID).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// answeredAbout lists the agreements a's per-agreement answers speak of.
func answeredAbout(a *Answer) []AgreementRef {
	if a == nil {
		return nil
	}
	refs := make([]AgreementRef, 0, len(a.Agreements))
	for _, k := range a.Agreements {
		refs = append(refs, AgreementRef{ID: k.AgreementID, Title: k.Title})
	}
	return refs
}

// formAgreements merges the active agreements with those the member already answered about.
func formAgreements(active, answered []AgreementRef) []AgreementRef {
	seen := make(map[string]bool, len(active)+len(answered))
	var out []AgreementRef
	for _, list := range [][]AgreementRef{active, answered} {
		for _, a := range list {
			if !seen[a.ID] {
				seen[a.ID] = true
				out = append(out, a)
			}
		}
	}
	return out
}

// WeekSummary is one week in the member's list.
type WeekSummary struct {
	Week  Week
	State State
	// Mine is the member's own progress: "none", "draft" or "shared". It never reflects the partner's.
	Mine string
}

// concludedWeeksSQL lists the couple's weeks that opened or passed, with which.
const concludedWeeksSQL = `SELECT week, 'opened' FROM checkin_weeks WHERE couple_id = ?
UNION ALL SELECT week, 'passed' FROM checkin_passed_weeks WHERE couple_id = ?`

// Weeks lists this week, last week, and every older week the member answered or that opened or
// passed, newest first. Which weeks are listed never depends on the partner's unconcluded answers.
func (s *Service) Weeks(ctx context.Context, m *couple.Membership) (Week, []WeekSummary, error) {
	db := s.db.WithContext(ctx)
	cur := s.Current(m)
	var mine []Answer
	if err := db.Select("week", "submitted_at").Where("couple_id = ? AND user_id = ?", m.Couple.ID, m.Me.UserID).Find(&mine).Error; err != nil {
		return cur, nil, fmt.Errorf("checkin: weeks: %w", err)
	}
	type concludedWeek struct {
		week  string
		state State
	}
	var concluded []concludedWeek
	err := eachRow(db.Raw(concludedWeeksSQL, m.Couple.ID, m.Couple.ID), func(rows *sql.Rows) error {
		var c concludedWeek
		err := rows.Scan(&c.week, &c.state)
		concluded = append(concluded, c)
		return err
	})
	if err != nil {
		return cur, nil, fmt.Errorf("checkin: weeks: %w", err)
	}
	byKey := map[string]*WeekSummary{}
	add := func(key string) *WeekSummary {
		if ws, ok := byKey[key]; ok {
			return ws
		}
		w, ok := ParseWeek(key)
		if !ok || cur.Before(w) {
			return nil
		}
		byKey[key] = &WeekSummary{Week: w, State: stateOf(s.Editable(m, w), ""), Mine: "none"}
		return byKey[key]
	}
	add(cur.String())
	add(cur.Prev().String())
	for _, a := range mine {
		if ws := add(a.Week); ws != nil {
			ws.Mine = "draft"
			if a.Shared() {
				ws.Mine = "shared"
			}
		}
	}
	for _, c := range concluded {
		if ws := add(c.week); ws != nil {
			ws.State = c.state
		}
	}
	out := make([]WeekSummary, 0, len(byKey))
	for _, ws := range byKey {
		out = append(out, *ws)
	}
	sort.Slice(out, func(i, j int) bool { return out[j].Week.Before(out[i].Week) })
	return cur, out, nil
}
