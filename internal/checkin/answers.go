package checkin

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/token"
)

// KeptInput is one agreement's answer as sent by the member.
type KeptInput struct {
	AgreementID string
	Kept        string
}

// AnswerInput is what the member sends for their week. Submit shares the answers; without it they are
// a draft (and answers shared earlier go back to being a draft, as long as the week has not opened).
// Skip ("not this week") keeps no text and no ratings.
type AnswerInput struct {
	Trust        *int
	Connection   *int
	Safety       *int
	Appreciation string
	WentWell     string
	WasHard      string
	Need         string
	Agreements   []KeptInput
	Skip         bool
	Submit       bool
}

// Rating names, in form order, with how they are asked.
var Ratings = []struct{ Field, Label string }{
	{"trust", "Trust"}, {"connection", "Connection"}, {"safety", "How safe I feel"},
}

// Texts lists the text answers, in form order.
var Texts = []struct{ Field, Label string }{
	{"appreciation", "Something I appreciated"}, {"went_well", "What went well"},
	{"was_hard", "What was hard (one thing)"}, {"need", "What I need next week"},
}

func (in *AnswerInput) rating(field string) *int {
	switch field {
	case "trust":
		return in.Trust
	case "connection":
		return in.Connection
	default:
		return in.Safety
	}
}

func (in *AnswerInput) text(field string) string {
	switch field {
	case "appreciation":
		return in.Appreciation
	case "went_well":
		return in.WentWell
	case "was_hard":
		return in.WasHard
	default:
		return in.Need
	}
}

// CheckText records a field error when v is not valid UTF-8 or longer than max characters.
func CheckText(f apperr.Form, field, v string, max int) {
	if !utf8.ValidString(v) {
		f.Add(field, "Please use plain text.")
	} else if utf8.RuneCountInString(v) > max {
		f.Add(field, fmt.Sprintf("Please keep this to %d characters or fewer.", max))
	}
}

// validate checks the input against the agreements the form may ask about; it returns the agreement
// answers to store.
func (in *AnswerInput) validate(allowed []AgreementRef) ([]AgreementAnswer, error) {
	f := apperr.Form{}
	for _, r := range Ratings {
		v := in.rating(r.Field)
		if v != nil && (*v < 0 || *v > 10) {
			f.Add(r.Field, "Choose a number from 0 to 10.")
		}
		if v == nil && in.Submit && !in.Skip {
			f.Add(r.Field, "Choose a number from 0 to 10 before sharing, or choose \"not this week\".")
		}
	}
	for _, t := range Texts {
		CheckText(f, t.Field, in.text(t.Field), MaxText)
	}
	titles := map[string]string{}
	for _, a := range allowed {
		titles[a.ID] = a.Title
	}
	seen := map[string]bool{}
	var out []AgreementAnswer
	for i, k := range in.Agreements {
		field := "agreements." + strconv.Itoa(i)
		title, ok := titles[k.AgreementID]
		switch {
		case !ok:
			f.Add(field+".agreement_id", "That agreement isn't one this check-in asks about.")
		case seen[k.AgreementID]:
			f.Add(field+".agreement_id", "Each agreement can be answered once.")
		case Kept[k.Kept] == "":
			f.Add(field+".kept", "Choose kept, partly, not kept or not sure.")
		}
		seen[k.AgreementID] = true
		out = append(out, AgreementAnswer{AgreementID: k.AgreementID, Title: title, Kept: k.Kept, Position: i})
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if in.Skip {
		return nil, nil
	}
	return out, nil
}

// SaveAnswer stores the member's answers for week key. The week opens for both, in the same
// transaction, when this share makes two shared answers. It returns ErrWeekNotFound, ErrOpened,
// ErrClosed, or an Invalid error naming the fields.
func (s *Service) SaveAnswer(ctx context.Context, m *couple.Membership, key string, in AnswerInput) (*WeekView, error) {
	w, err := s.Resolve(m, key)
	if err != nil {
		return nil, err
	}
	week := w.String()
	db := s.db.WithContext(ctx)
	if opened, err := isOpened(db, m.Couple.ID, week); err != nil {
		return nil, fmt.Errorf("checkin: save: %w", err)
	} else if opened {
		return nil, ErrOpened
	}
	if !s.Editable(m, w) {
		return nil, ErrClosed
	}
	prev, err := loadAnswer(db, m.Couple.ID, week, "user_id = ?", m.Me.UserID)
	if err != nil {
		return nil, fmt.Errorf("checkin: save: %w", err)
	}
	allowed, err := s.formAgreements(ctx, m, prev)
	if err != nil {
		return nil, err
	}
	kept, err := in.validate(allowed)
	if err != nil {
		return nil, err
	}
	err = db.Transaction(func(tx *gorm.DB) error { return s.store(tx, m, week, in, kept) })
	if err != nil {
		if apperr.As(err) != nil {
			return nil, err
		}
		return nil, fmt.Errorf("checkin: save: %w", err)
	}
	return s.Week(ctx, m, week)
}

func (s *Service) store(tx *gorm.DB, m *couple.Membership, week string, in AnswerInput, kept []AgreementAnswer) error {
	if opened, err := isOpened(tx, m.Couple.ID, week); err != nil {
		return err
	} else if opened {
		return ErrOpened
	}
	now := s.nowUTC()
	a := Answer{ID: token.ID(), CoupleID: m.Couple.ID, Week: week, UserID: m.Me.UserID, CreatedAt: now}
	prev, err := loadAnswer(tx, m.Couple.ID, week, "user_id = ?", m.Me.UserID)
	if err != nil {
		return err
	}
	if prev != nil {
		a.ID, a.CreatedAt = prev.ID, prev.CreatedAt
	}
	a.UpdatedAt, a.Skip = now, in.Skip
	if !in.Skip {
		a.Appreciation, a.WentWell = strings.TrimSpace(in.Appreciation), strings.TrimSpace(in.WentWell)
		a.WasHard, a.Need = strings.TrimSpace(in.WasHard), strings.TrimSpace(in.Need)
		a.Trust, a.Connection, a.Safety = in.Trust, in.Connection, in.Safety
	}
	if in.Submit {
		a.SubmittedAt = &now
	}
	if prev == nil {
		err = tx.Create(&a).Error
	} else {
		err = tx.Model(&Answer{}).Where("id = ? AND couple_id = ?", a.ID, a.CoupleID).Select("*").Omit("id", "created_at").Updates(&a).Error
	}
	if err != nil {
		return err
	}
	if err := tx.Where("answer_id = ?", a.ID).Delete(&AgreementAnswer{}).Error; err != nil {
		return err
	}
	for i := range kept {
		kept[i].AnswerID = a.ID
	}
	if len(kept) > 0 {
		if err := tx.Create(&kept).Error; err != nil {
			return err
		}
	}
	if !in.Submit {
		return nil
	}
	var shared int64
	if err := tx.Model(&Answer{}).Where("couple_id = ? AND week = ? AND submitted_at IS NOT NULL", m.Couple.ID, week).
		Count(&shared).Error; err != nil {
		return err
	}
	if shared < 2 {
		return nil
	}
	return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&openedWeek{CoupleID: m.Couple.ID, Week: week, OpenedAt: now}).Error
}
