package question

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/token"
	"github.com/mendhq/mend/internal/vault"
)

// Errors a request can meet; each message is safe to show.
var (
	// ErrNotFound is the answer for a missing question, another couple's, and one still waiting for
	// its day, to anyone but its asker.
	ErrNotFound   = apperr.NotFoundf("That question")
	ErrOwnAnswer  = apperr.New(apperr.Forbidden, "You asked this one, so the answer comes from your partner. You can add a follow-up.")
	ErrWaiting    = apperr.New(apperr.Conflict, "This question is waiting for the day you chose. It opens for both of you then.")
	ErrTooMany    = apperr.New(apperr.Conflict, "This question holds as much as it can. You can ask a new one.")
	ErrRaced      = apperr.New(apperr.Conflict, "Another answer arrived at the same moment. Read it, then send yours again; nothing is lost.")
	ErrNoPartner  = apperr.New(apperr.Conflict, "Questions are for the two of you. Once your partner joins, you can ask one.")
	ErrPaused     = apperr.New(apperr.Conflict, "The questions are paused for now. They will open again when the pause ends.")
	ErrPausedAsk  = apperr.New(apperr.Conflict, "The questions are paused for now. You can still write one down to wait for your next check-in or a later day.")
	ErrPauseExist = apperr.New(apperr.Conflict, "The questions are already paused.")
	ErrNoPause    = apperr.New(apperr.NotFound, "The questions are not paused right now.")
	ErrNotYours   = apperr.New(apperr.Forbidden, "Only the person who asked for the pause can end it early. Otherwise it ends by itself.")
)

// Service manages questions.
type Service struct {
	db    *gorm.DB
	now   func() time.Time
	vault *vault.Vault
}

// NewService returns a Service over db with the clock now (nil means time.Now). Texts are sealed with
// db's vault (vault.From).
func NewService(db *gorm.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, now: now, vault: vault.From(db)}
}

func (s *Service) nowUTC() time.Time { return s.now().UTC() }

// Now returns the current time, for forms that default to it.
func (s *Service) Now() time.Time { return s.now() }

// Today returns the date in the member's couple's time zone, as midnight UTC standing for that date.
func (s *Service) Today(m *couple.Membership) time.Time {
	d, _ := time.Parse(DateLayout, s.now().In(m.Location).Format(DateLayout))
	return d
}

func wrap(what string, err error) error {
	if err == nil || apperr.As(err) != nil {
		return err
	}
	return fmt.Errorf("question: %s: %w", what, err)
}

// visible scopes a query to the questions the member may see: their own, and their partner's once the
// day they wait for has come (dates are YYYY-MM-DD text, so they compare in order).
func visible(db *gorm.DB, m *couple.Membership, today string) *gorm.DB {
	return db.Where("couple_id = ? AND (asker_id = ? OR wait_on IS NULL OR wait_on <= ?)", m.Couple.ID, m.Me.UserID, today)
}

func (s *Service) today(m *couple.Membership) string { return s.Today(m).Format(DateLayout) }

// List returns the questions the member may see, newest first, each with every version of its answer,
// its follow-ups and the earlier answered questions it resembles.
func (s *Service) List(ctx context.Context, m *couple.Membership) ([]View, error) {
	var list []Question
	if err := visible(s.db.WithContext(ctx), m, s.today(m)).Order("created_at, id").Find(&list).Error; err != nil {
		return nil, wrap("list", err)
	}
	views, err := s.views(ctx, list, s.today(m))
	if err != nil {
		return nil, wrap("list", err)
	}
	linkSimilar(views)
	sort.SliceStable(views, func(i, j int) bool { return views[j].CreatedAt.Before(views[i].CreatedAt) })
	return views, nil
}

// linkSimilar sets, for each question of views (oldest first), the earlier answered ones it resembles.
func linkSimilar(views []View) {
	for i := range views {
		for j := i - 1; j >= 0 && len(views[i].Similar) < 3; j-- {
			if len(views[j].Versions) > 0 && Similar(views[j].Text, views[i].Text) {
				views[i].Similar = append(views[i].Similar, Earlier{ID: views[j].ID, AskerID: views[j].AskerID, CreatedAt: views[j].CreatedAt})
			}
		}
	}
}

// views loads the answers and follow-ups of list.
func (s *Service) views(ctx context.Context, list []Question, today string) ([]View, error) {
	out := make([]View, len(list))
	if len(list) == 0 {
		return out, nil
	}
	if err := s.openQuestions(ctx, list); err != nil {
		return nil, err
	}
	ids := make([]string, len(list))
	at := map[string]*View{}
	for i, q := range list {
		ids[i] = q.ID
		out[i] = View{Question: q, Waiting: q.WaitOn != nil && *q.WaitOn > today}
		at[q.ID] = &out[i]
	}
	db := s.db.WithContext(ctx)
	var answers []Answer
	if err := db.Where("question_id IN ?", ids).Order("version").Find(&answers).Error; err != nil {
		return nil, err
	}
	if err := s.openAnswers(ctx, answers); err != nil {
		return nil, err
	}
	for _, a := range answers {
		v := at[*a.QuestionID]
		v.Versions = append(v.Versions, a)
	}
	var follow []FollowUp
	if err := db.Where("question_id IN ?", ids).Order("created_at, id").Find(&follow).Error; err != nil {
		return nil, err
	}
	if err := s.openFollowUps(ctx, follow); err != nil {
		return nil, err
	}
	for _, f := range follow {
		v := at[*f.QuestionID]
		v.FollowUps = append(v.FollowUps, f)
	}
	return out, nil
}

// Get returns one question the member may see, or ErrNotFound.
func (s *Service) Get(ctx context.Context, m *couple.Membership, id string) (*View, error) {
	views, err := s.List(ctx, m)
	if err != nil {
		return nil, err
	}
	for i := range views {
		if views[i].ID == id {
			return &views[i], nil
		}
	}
	return nil, ErrNotFound
}

func (s *Service) find(tx *gorm.DB, m *couple.Membership, id string) (*Question, error) {
	if id == "" || len(id) > 64 {
		return nil, ErrNotFound
	}
	var q Question
	err := visible(tx, m, s.today(m)).Where("id = ?", id).Take(&q).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return &q, nil
}

// paused returns ErrPaused while the couple's questions are paused.
func (s *Service) paused(tx *gorm.DB, m *couple.Membership) error {
	p, err := currentPause(tx, m.Couple.ID, s.nowUTC())
	if err != nil {
		return err
	}
	if p != nil {
		return ErrPaused
	}
	return nil
}

// Ask records a question by the member. waitUntil is "" (now), NextCheckin, or a date (YYYY-MM-DD):
// until that day only the member sees it. While the questions are paused, a question can still be
// written down to wait (ErrPausedAsk otherwise).
func (s *Service) Ask(ctx context.Context, m *couple.Membership, text, waitUntil string) (*View, error) {
	f := apperr.Form{}
	q := Question{ID: token.ID(), CoupleID: m.Couple.ID, AskerID: m.Me.UserID, CreatedAt: s.nowUTC()}
	q.Text = cleanText(f, "text", "Write your question.", text, MaxText)
	q.WaitKind, q.WaitOn = waitFor(f, waitUntil, s.Today(m), m.Couple.CheckinWeekday)
	if err := f.Err(); err != nil {
		return nil, err
	}
	if m.Partner == nil {
		return nil, ErrNoPartner
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if q.WaitOn == nil {
			if err := s.paused(tx, m); err == ErrPaused {
				return ErrPausedAsk
			} else if err != nil {
				return err
			}
		}
		stored := q
		if err := s.seal(ctx, q.AskerID, "questions", q.ID, &stored.Text); err != nil {
			return err
		}
		return tx.Create(&stored).Error
	})
	if err != nil {
		return nil, wrap("ask", err)
	}
	return s.Get(ctx, m, q.ID)
}

// Answer writes the member's answer to a question their partner asked: the first version, or a
// correction as the next one. The asker cannot answer (ErrOwnAnswer).
func (s *Service) Answer(ctx context.Context, m *couple.Membership, id, text string) (*View, error) {
	f := apperr.Form{}
	text = cleanText(f, "text", "Write your answer.", text, MaxAnswer)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q, err := s.find(tx, m, id)
		if err != nil {
			return err
		}
		if q.AskerID == m.Me.UserID {
			return ErrOwnAnswer
		}
		if err := f.Err(); err != nil {
			return err
		}
		if err := s.paused(tx, m); err != nil {
			return err
		}
		var last struct{ Version int }
		if err := tx.Model(&Answer{}).Select("COALESCE(MAX(version), 0) AS version").Where("question_id = ?", q.ID).Scan(&last).Error; err != nil {
			return err
		}
		if last.Version >= MaxVersions {
			return ErrTooMany
		}
		a := Answer{ID: token.ID(), CoupleID: m.Couple.ID, QuestionID: &q.ID, AuthorID: m.Me.UserID, Version: last.Version + 1,
			Text: text, CreatedAt: s.nowUTC()}
		if err := s.seal(ctx, a.AuthorID, "question_answers", a.ID, &a.Text); err != nil {
			return err
		}
		return tx.Create(&a).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		err = ErrRaced
	}
	if err != nil {
		return nil, wrap("answer", err)
	}
	return s.Get(ctx, m, id)
}

// FollowUp adds a follow-up by either partner to a question both can see.
func (s *Service) FollowUp(ctx context.Context, m *couple.Membership, id, text string) (*View, error) {
	f := apperr.Form{}
	text = cleanText(f, "text", "Write your follow-up.", text, MaxText)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q, err := s.find(tx, m, id)
		if err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		if q.WaitOn != nil && *q.WaitOn > s.today(m) {
			return ErrWaiting
		}
		if err := s.paused(tx, m); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&FollowUp{}).Where("question_id = ?", q.ID).Count(&n).Error; err != nil {
			return err
		}
		if n >= MaxFollowUps {
			return ErrTooMany
		}
		fu := FollowUp{ID: token.ID(), CoupleID: m.Couple.ID, QuestionID: &q.ID, AuthorID: m.Me.UserID, Text: text, CreatedAt: s.nowUTC()}
		if err := s.seal(ctx, fu.AuthorID, "question_follow_ups", fu.ID, &fu.Text); err != nil {
			return err
		}
		return tx.Create(&fu).Error
	})
	if err != nil {
		return nil, wrap("follow-up", err)
	}
	return s.Get(ctx, m, id)
}
