package question

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/token"
	"github.com/mendhq/mend/internal/vault"
)

func currentPause(db *gorm.DB, coupleID string, now time.Time) (*Pause, error) {
	var p Pause
	err := db.Where("couple_id = ? AND ended_at IS NULL AND until_at > ?", coupleID, now).Order("created_at DESC").Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// CurrentPause returns the couple's pause of the questions in place now, or nil.
func (s *Service) CurrentPause(ctx context.Context, m *couple.Membership) (*Pause, error) {
	p, err := currentPause(s.db.WithContext(ctx), m.Couple.ID, s.nowUTC())
	if err == nil {
		err = s.openPause(ctx, p)
	}
	return p, wrap("pause", err)
}

// StartPause pauses the couple's questions until the given time (in the future, at most MaxPause ahead),
// with an optional note for the partner. ErrPauseExist when a pause is already in place.
func (s *Service) StartPause(ctx context.Context, m *couple.Membership, until time.Time, note string) (*Pause, error) {
	now := s.nowUTC()
	f := apperr.Form{}
	switch {
	case until.IsZero():
		f.Add("until", "Choose when the questions open again.")
	case !until.After(now):
		f.Add("until", "Choose a time in the future.")
	case until.Sub(now) > MaxPause:
		f.Add("until", "A pause can last up to a week.")
	}
	note = cleanText(f, "note", "", note, MaxNote)
	if err := f.Err(); err != nil {
		return nil, err
	}
	p := Pause{ID: token.ID(), CoupleID: m.Couple.ID, UserID: m.Me.UserID, Note: note, CreatedAt: now, UntilAt: until.UTC()}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := currentPause(tx, m.Couple.ID, now)
		if err != nil {
			return err
		}
		if cur != nil {
			return ErrPauseExist
		}
		stored := p
		if err := s.vault.SealRow(ctx, vault.Person(p.UserID), "question_pauses", p.ID, vault.Col{Name: "note", Text: &stored.Note}); err != nil {
			return err
		}
		return tx.Create(&stored).Error
	})
	if err != nil {
		return nil, wrap("pause", err)
	}
	return &p, nil
}

// EndPause ends the couple's pause early. Only the person who asked for it may (ErrNotYours); otherwise
// it ends by itself. ErrNoPause when there is none.
func (s *Service) EndPause(ctx context.Context, m *couple.Membership) error {
	now := s.nowUTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := currentPause(tx, m.Couple.ID, now)
		if err != nil {
			return err
		}
		if cur == nil {
			return ErrNoPause
		}
		if cur.UserID != m.Me.UserID {
			return ErrNotYours
		}
		return tx.Model(&Pause{}).Where("id = ? AND couple_id = ?", cur.ID, m.Couple.ID).Update("ended_at", now).Error
	})
	return wrap("end pause", err)
}

// Export is what the questions hold for one person: the questions they asked (in every couple they were
// part of), the ones their partner asked that they can see now, and every answer and follow-up they wrote.
type Export struct {
	Asked, Received []View
	Answers         []Answer
	FollowUps       []FollowUp
}

// ExportFor returns userID's export; m is their current membership, nil when they have none.
func (s *Service) ExportFor(ctx context.Context, userID string, m *couple.Membership) (*Export, error) {
	db := s.db.WithContext(ctx)
	ex := &Export{}
	var asked []Question
	if err := db.Where("asker_id = ?", userID).Order("created_at, id").Find(&asked).Error; err != nil {
		return nil, wrap("export", err)
	}
	var err error
	if ex.Asked, err = s.views(ctx, asked, ""); err != nil {
		return nil, wrap("export", err)
	}
	for i := range ex.Asked {
		ex.Asked[i].Waiting = false
	}
	if m != nil {
		var received []Question
		if err := visible(db, m, s.today(m)).Where("asker_id <> ?", userID).Order("created_at, id").Find(&received).Error; err != nil {
			return nil, wrap("export", err)
		}
		if ex.Received, err = s.views(ctx, received, s.today(m)); err != nil {
			return nil, wrap("export", err)
		}
	}
	if err := db.Where("author_id = ?", userID).Order("created_at, id").Find(&ex.Answers).Error; err != nil {
		return nil, wrap("export", err)
	}
	if err := db.Where("author_id = ?", userID).Order("created_at, id").Find(&ex.FollowUps).Error; err != nil {
		return nil, wrap("export", err)
	}
	if err := s.openAnswers(ctx, ex.Answers); err != nil {
		return nil, wrap("export", err)
	}
	if err := s.openFollowUps(ctx, ex.FollowUps); err != nil {
		return nil, wrap("export", err)
	}
	return ex, nil
}

// Archive is what one person wrote in the questions of an ended couple: the questions they asked, the
// answers and the follow-ups they wrote. The other person's words are not in it.
type Archive struct {
	Asked     []Question
	Answers   []Answer
	FollowUps []FollowUp
}

// Empty reports whether the archive holds nothing.
func (a *Archive) Empty() bool { return len(a.Asked)+len(a.Answers)+len(a.FollowUps) == 0 }

// ArchiveOf returns what userID wrote in the questions of the couple coupleID, oldest first.
func (s *Service) ArchiveOf(ctx context.Context, userID, coupleID string) (*Archive, error) {
	db := s.db.WithContext(ctx)
	a := &Archive{}
	if err := db.Where("couple_id = ? AND asker_id = ?", coupleID, userID).Order("created_at, id").Find(&a.Asked).Error; err != nil {
		return nil, wrap("archive", err)
	}
	if err := db.Where("couple_id = ? AND author_id = ?", coupleID, userID).Order("created_at, id").Find(&a.Answers).Error; err != nil {
		return nil, wrap("archive", err)
	}
	if err := db.Where("couple_id = ? AND author_id = ?", coupleID, userID).Order("created_at, id").Find(&a.FollowUps).Error; err != nil {
		return nil, wrap("archive", err)
	}
	if err := s.openQuestions(ctx, a.Asked); err != nil {
		return nil, wrap("archive", err)
	}
	if err := s.openAnswers(ctx, a.Answers); err != nil {
		return nil, wrap("archive", err)
	}
	if err := s.openFollowUps(ctx, a.FollowUps); err != nil {
		return nil, wrap("archive", err)
	}
	return a, nil
}
