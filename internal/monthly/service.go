package monthly

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/token"
)

// Errors a request can meet; none says who is waiting.
var (
	ErrNotFound = apperr.New(apperr.NotFound, "There is no monthly look for that week. It comes in the first check-in week of each month.")
	ErrOpened   = apperr.New(apperr.Conflict, "This month's answers have opened, so they can't be changed any more.")
	ErrClosed   = apperr.New(apperr.Conflict, "This monthly look has closed. It takes answers in its own week and the week after.")
)

// State names, as for the weekly check-in.
const (
	StateOpen   = string(checkin.StateOpen)
	StateSealed = string(checkin.StateSealed)
	StateOpened = string(checkin.StateOpened)
)

// Service manages the monthly look.
type Service struct {
	db  *gorm.DB
	now func() time.Time
}

// NewService returns a Service over db with the clock now (nil means time.Now).
func NewService(db *gorm.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, now: now}
}

func wrap(what string, err error) error {
	if err == nil || apperr.As(err) != nil {
		return err
	}
	return fmt.Errorf("monthly: %s: %w", what, err)
}

// Current returns this week in the couple's time zone.
func (s *Service) Current(m *couple.Membership) checkin.Week {
	return checkin.WeekOf(s.now(), m.Location)
}

// Editable reports whether week w takes answers: this week and last week do.
func (s *Service) Editable(m *couple.Membership, w checkin.Week) bool {
	cur := s.Current(m)
	return w == cur || w == cur.Prev()
}

// Resolve checks a week key for the member's couple: a monthly week that has begun, from the couple's
// first month on. Anything else is ErrNotFound.
func (s *Service) Resolve(m *couple.Membership, key string) (checkin.Week, error) {
	w, ok := checkin.ParseWeek(key)
	cur := s.Current(m)
	switch {
	case !ok || cur.Before(w) || !IsMonthly(w, m.Couple.CheckinWeekday):
		return checkin.Week{}, ErrNotFound
	case w.Before(cur.Prev()) && w.Before(checkin.WeekOf(m.Couple.CreatedAt, m.Location)):
		return checkin.Week{}, ErrNotFound
	}
	return w, nil
}

// View is one monthly look as the member may see it.
type View struct {
	Week       checkin.Week
	CheckinDay time.Time
	State      string
	Editable   bool
	Mine       *Answer
	// Partner is set only once the look has opened, and its EmotionalSafety is always nil.
	Partner *Answer
}

func (s *Service) load(db *gorm.DB, m *couple.Membership, week string) (opened bool, mine, partner *Answer, err error) {
	var o int64
	if err = db.Model(&openedWeek{}).Where("couple_id = ? AND week = ?", m.Couple.ID, week).Count(&o).Error; err != nil {
		return
	}
	opened = o > 0
	q := db.Where("couple_id = ? AND week = ?", m.Couple.ID, week)
	if !opened {
		q = q.Where("user_id = ?", m.Me.UserID)
	}
	var rows []Answer
	if err = q.Find(&rows).Error; err != nil {
		return
	}
	for i := range rows {
		if rows[i].UserID == m.Me.UserID {
			mine = &rows[i]
		} else {
			rows[i].EmotionalSafety = nil
			partner = &rows[i]
		}
	}
	return
}

// Look returns the monthly look of week key for the member, or ErrNotFound.
func (s *Service) Look(ctx context.Context, m *couple.Membership, key string) (*View, error) {
	w, err := s.Resolve(m, key)
	if err != nil {
		return nil, err
	}
	opened, mine, partner, err := s.load(s.db.WithContext(ctx), m, w.String())
	if err != nil {
		return nil, wrap("look", err)
	}
	v := &View{Week: w, CheckinDay: CheckinDay(w, m.Couple.CheckinWeekday), Mine: mine, Partner: partner}
	v.Editable = !opened && s.Editable(m, w)
	switch {
	case opened:
		v.State = StateOpened
	case s.Editable(m, w):
		v.State = StateOpen
	default:
		v.State = StateSealed
	}
	return v, nil
}

// Save stores the member's look for week key; with Submit it is shared, and the look opens for both, in
// the same transaction, when this makes two shared answers. ErrNotFound, ErrOpened, ErrClosed, or an
// Invalid error naming the areas.
func (s *Service) Save(ctx context.Context, m *couple.Membership, key string, in Input) (*View, error) {
	w, err := s.Resolve(m, key)
	if err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	week := w.String()
	now := s.now().UTC()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		opened, mine, _, err := s.load(tx, m, week)
		if err != nil {
			return err
		}
		if opened {
			return ErrOpened
		}
		if !s.Editable(m, w) {
			return ErrClosed
		}
		a := Answer{ID: token.ID(), CoupleID: m.Couple.ID, Week: week, UserID: m.Me.UserID, CreatedAt: now}
		if mine != nil {
			a.ID, a.CreatedAt = mine.ID, mine.CreatedAt
		}
		a.Honesty, a.Reliability, a.EmotionalSafety = in.Ratings["honesty"], in.Ratings["reliability"], in.Ratings["emotional_safety"]
		a.Closeness, a.Hope, a.UpdatedAt = in.Ratings["closeness"], in.Ratings["hope"], now
		if in.Submit {
			a.SubmittedAt = &now
		}
		if mine == nil {
			err = tx.Create(&a).Error
		} else {
			err = tx.Model(&Answer{}).Where("id = ? AND couple_id = ?", a.ID, m.Couple.ID).Updates(map[string]any{
				"honesty": a.Honesty, "reliability": a.Reliability, "emotional_safety": a.EmotionalSafety, "closeness": a.Closeness,
				"hope": a.Hope, "updated_at": now, "submitted_at": a.SubmittedAt}).Error
		}
		if err != nil {
			return err
		}
		if !in.Submit {
			return nil
		}
		var shared int64
		if err := tx.Model(&Answer{}).Where("couple_id = ? AND week = ? AND submitted_at IS NOT NULL", m.Couple.ID, week).Count(&shared).Error; err != nil {
			return err
		}
		if shared < 2 {
			return nil
		}
		return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&openedWeek{CoupleID: m.Couple.ID, Week: week, OpenedAt: now}).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		err = apperr.New(apperr.Conflict, "Your answers were saved from another window at the same moment. Read them, then save again.")
	}
	if err != nil {
		return nil, wrap("save", err)
	}
	return s.Look(ctx, m, week)
}

// Point is one of the member's shared looks, with each area's change from their baseline (nil where
// either is not rated).
type Point struct {
	Week    checkin.Week
	Answer  Answer
	Changes map[string]*int
}

// Trend is the member's own monthly looks in their couple, oldest first; the first is the baseline.
type Trend struct {
	Baseline *Point
	Later    []Point
}

// Trend returns the member's own trend: their shared looks only, never the partner's.
func (s *Service) Trend(ctx context.Context, m *couple.Membership) (Trend, error) {
	var rows []Answer
	err := s.db.WithContext(ctx).Where("couple_id = ? AND user_id = ? AND submitted_at IS NOT NULL", m.Couple.ID, m.Me.UserID).
		Order("week").Find(&rows).Error
	if err != nil {
		return Trend{}, wrap("trend", err)
	}
	return trendOf(rows), nil
}

// Export is what the monthly look holds for one person: their own answers (every couple, with their
// emotional safety) and, in their current couple, the partner's opened answers without it.
type Export struct {
	Mine, Partner []Answer
}

// ExportFor returns userID's export; m is their current membership, nil when they have none.
func (s *Service) ExportFor(ctx context.Context, userID string, m *couple.Membership) (*Export, error) {
	db := s.db.WithContext(ctx)
	ex := &Export{}
	if err := db.Where("user_id = ?", userID).Order("week").Find(&ex.Mine).Error; err != nil {
		return nil, wrap("export", err)
	}
	if m == nil {
		return ex, nil
	}
	err := db.Where("couple_id = ? AND user_id <> ? AND week IN (?)", m.Couple.ID, userID,
		db.Model(&openedWeek{}).Select("week").Where("couple_id = ?", m.Couple.ID)).Order("week").Find(&ex.Partner).Error
	if err != nil {
		return nil, wrap("export", err)
	}
	for i := range ex.Partner {
		ex.Partner[i].EmotionalSafety = nil
	}
	return ex, nil
}
