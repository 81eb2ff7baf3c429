package plan

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/text"
	"github.com/mendhq/mend/internal/token"

	"github.com/mendhq/mend/internal/couple"
)

// MomentKinds name the kinds of connection moment (DESIGN §2.7), in the order forms list them.
var MomentKinds = []struct{ Key, Label string }{
	{"routine", "A shared routine"},
	{"conversation", "A meaningful conversation"},
	{"daily_checkin", "A brief daily check-in"},
	{"kindness", "A kindness"},
	{"other", "Something else"},
}

// MomentKindLabel returns the label of a kind, or the key itself when unknown.
func MomentKindLabel(k string) string {
	for _, m := range MomentKinds {
		if m.Key == k {
			return m.Label
		}
	}
	return k
}

// MaxMomentsBack is how far back a moment's date may be.
const MaxMomentsBack = 2 * 365

// Moment is a small act of connection, private to its author unless shared.
type Moment struct {
	ID        string
	CoupleID  string
	AuthorID  string
	Kind      string
	OnDate    string
	Note      string
	Shared    bool
	CreatedAt time.Time
}

// MomentInput is a new moment; On is YYYY-MM-DD (empty means today).
type MomentInput struct {
	Kind   string
	On     string
	Note   string
	Shared bool
}

// Mine reports whether userID wrote the moment.
func (m Moment) Mine(userID string) bool { return m.AuthorID == userID }

// visibleMoments scopes a query to the moments userID may see: their own, and shared ones of the couple.
func visibleMoments(db *gorm.DB, sc *couple.Membership) *gorm.DB {
	return db.Where("couple_id = ? AND (author_id = ? OR shared = ?)", sc.Couple.ID, sc.Me.UserID, true)
}

// Moments returns the moments the user may see, newest first.
func (s *Service) Moments(ctx context.Context, sc *couple.Membership) ([]Moment, error) {
	var out []Moment
	err := visibleMoments(s.db.WithContext(ctx), sc).Order("on_date DESC, created_at DESC").Find(&out).Error
	if err == nil {
		err = s.openMoments(ctx, out)
	}
	if err != nil {
		return nil, fmt.Errorf("plan: moments: %w", err)
	}
	return out, nil
}

// AddMoment logs a moment written by the user.
func (s *Service) AddMoment(ctx context.Context, sc *couple.Membership, in MomentInput) (*Moment, error) {
	f := apperr.Form{}
	if MomentKindLabel(in.Kind) == in.Kind {
		f.Add("kind", "Choose one of the listed kinds.")
	}
	today := s.Today(sc)
	if in.On == "" {
		in.On = today
	}
	if t, ok := parseDate(in.On); !ok {
		f.Add("on", "Enter a date as YYYY-MM-DD.")
	} else if in.On > today {
		f.Add("on", "Choose today or an earlier day.")
	} else if t.Before(mustDate(today).AddDate(0, 0, -MaxMomentsBack)) {
		f.Add("on", "Choose a date within the last two years.")
	}
	in.Note = text.Clean(f, "note", in.Note, text.Rule{Max: MaxNote, Multiline: true})
	if err := f.Err(); err != nil {
		return nil, err
	}
	m := &Moment{ID: token.ID(), CoupleID: sc.Couple.ID, AuthorID: sc.Me.UserID, Kind: in.Kind, OnDate: in.On, Note: in.Note,
		Shared: in.Shared, CreatedAt: s.nowUTC()}
	stored := *m
	if err := s.sealMoment(ctx, &stored); err != nil {
		return nil, fmt.Errorf("plan: add moment: %w", err)
	}
	if err := s.db.WithContext(ctx).Create(&stored).Error; err != nil {
		return nil, fmt.Errorf("plan: add moment: %w", err)
	}
	return m, nil
}

func (s *Service) ownMoment(ctx context.Context, sc *couple.Membership, id string) (*Moment, error) {
	var m Moment
	err := visibleMoments(s.db.WithContext(ctx), sc).Where("id = ?", id).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apperr.NotFoundf("That moment")
	}
	if err != nil {
		return nil, err
	}
	if m.AuthorID != sc.Me.UserID {
		return nil, apperr.New(apperr.Forbidden, "Only the person who wrote a moment can change or remove it.")
	}
	if err := s.openMoment(ctx, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// DeleteMoment removes one of the user's own moments; a moment the user cannot see is apperr.NotFound,
// and the partner's shared moment is apperr.Forbidden.
func (s *Service) DeleteMoment(ctx context.Context, sc *couple.Membership, id string) error {
	m, err := s.ownMoment(ctx, sc, id)
	if err != nil {
		return err
	}
	if err := s.db.WithContext(ctx).Where("couple_id = ? AND id = ?", sc.Couple.ID, m.ID).Delete(&Moment{}).Error; err != nil {
		return fmt.Errorf("plan: delete moment: %w", err)
	}
	return nil
}

// ShareMoment shares one of the user's own private moments with the partner.
func (s *Service) ShareMoment(ctx context.Context, sc *couple.Membership, id string) (*Moment, error) {
	m, err := s.ownMoment(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	if err := s.db.WithContext(ctx).Model(&Moment{}).Where("couple_id = ? AND id = ?", sc.Couple.ID, m.ID).Update("shared", true).Error; err != nil {
		return nil, fmt.Errorf("plan: share moment: %w", err)
	}
	m.Shared = true
	return m, nil
}
