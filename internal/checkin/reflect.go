package checkin

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/text"
	"github.com/mendhq/mend/internal/token"
	"github.com/mendhq/mend/internal/vault"
)

// Errors of active listening.
var (
	ErrReflectionNotFound = apperr.New(apperr.NotFound, "That reflection was not found.")
	ErrNoPartnerAnswers   = apperr.New(apperr.Conflict, "There are no answers to restate this week: they are no longer here.")
	ErrNothingExchanged   = apperr.New(apperr.Conflict, "This week passed without an exchange, so there are no answers to restate. That's all right; it'll keep.")
	ErrOnlyAuthor         = apperr.New(apperr.Forbidden, "Only the person whose answers were restated can say whether it is right.")
	ErrOnlyListener       = apperr.New(apperr.Forbidden, "Only the person who wrote what they heard can add a line to it.")
	ErrOnlyPartner        = apperr.New(apperr.Forbidden, "Only your partner can write what they heard of your answers; reflections are about the other person's answers.")
	ErrResponded          = apperr.New(apperr.Conflict, "This has already been answered.")
	ErrNotResponded       = apperr.New(apperr.Conflict, "A validating line comes after the answer to what you heard.")
	ErrNotConfirmed       = apperr.New(apperr.Conflict, "A validating line follows a reflection that was confirmed. This one was \"not quite\": say again what you heard, with what was meant in mind.")
	ErrValidated          = apperr.New(apperr.Conflict, "A line has already been added to this.")
	ErrTooMany            = apperr.New(apperr.Conflict, "That's a lot of reflections for one week. It'll keep: talk it through together.")
)

func (s *Service) reflections(ctx context.Context, coupleID, week string) ([]Reflection, error) {
	out, err := loadReflections(s.db.WithContext(ctx), coupleID, week)
	if err == nil {
		err = openReflections(ctx, vault.From(s.db), out)
	}
	if err != nil {
		return nil, fmt.Errorf("checkin: reflections: %w", err)
	}
	return out, nil
}

// openedWeekFor resolves key and requires the week to have opened: ErrNothingExchanged when it passed,
// ErrNotOpened before.
func (s *Service) openedWeekFor(ctx context.Context, m *couple.Membership, key string) (string, error) {
	w, err := s.Resolve(m, key)
	if err != nil {
		return "", err
	}
	db := s.db.WithContext(ctx)
	opened, err := isOpened(db, m.Couple.ID, w.String())
	if err != nil {
		return "", fmt.Errorf("checkin: reflection: %w", err)
	}
	if opened {
		return w.String(), nil
	}
	passed, err := isPassed(db, m.Couple.ID, w.String())
	if err != nil {
		return "", fmt.Errorf("checkin: reflection: %w", err)
	}
	if passed {
		return "", ErrNothingExchanged
	}
	return "", ErrNotOpened
}

func checkRequired(field, v string, max int) error {
	f := apperr.Form{}
	text.Clean(f, field, v, text.Rule{Max: max, Multiline: true, Missing: "Please write something here."})
	return f.Err()
}

// Reflect records what the member heard of their partner's answers for an opened week.
func (s *Service) Reflect(ctx context.Context, m *couple.Membership, key, text string) (*Reflection, error) {
	week, err := s.openedWeekFor(ctx, m, key)
	if err != nil {
		return nil, err
	}
	if m.Partner == nil {
		return nil, ErrOnlyPartner
	}
	if err := checkRequired("text", text, MaxText); err != nil {
		return nil, err
	}
	r := Reflection{ID: token.ID(), CoupleID: m.Couple.ID, Week: week, ListenerID: m.Me.UserID,
		AuthorID: m.Partner.UserID, Text: strings.TrimSpace(text), CreatedAt: s.nowUTC()}
	stored := r
	if stored.Text, err = sealReflectionText(ctx, vault.From(s.db), r.ListenerID, r.ID, "text", r.Text); err != nil {
		return nil, fmt.Errorf("checkin: reflect: %w", err)
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockCouple(tx, m.Couple.ID); err != nil {
			return err
		}
		theirs, err := loadAnswer(tx, m.Couple.ID, week, m.Partner.UserID)
		if err != nil {
			return err
		}
		if theirs == nil || theirs.Skip {
			return ErrNoPartnerAnswers
		}
		var n int64
		if err := tx.Model(&Reflection{}).Where("couple_id = ? AND week = ? AND listener_id = ?", m.Couple.ID, week, m.Me.UserID).
			Count(&n).Error; err != nil {
			return err
		}
		if n >= MaxReflection {
			return ErrTooMany
		}
		return tx.Create(&stored).Error
	})
	if err != nil {
		if apperr.As(err) != nil {
			return nil, err
		}
		return nil, fmt.Errorf("checkin: reflect: %w", err)
	}
	return &r, nil
}

// Respond records the author's answer to a reflection: accurate ("yes, that's it") or not quite, with
// an optional clarification. Only the author of the restated answers may respond, once.
func (s *Service) Respond(ctx context.Context, m *couple.Membership, key, id string, accurate bool, note string) (*Reflection, error) {
	f := apperr.Form{}
	text.Clean(f, "note", note, text.Rule{Max: MaxText, Multiline: true})
	return s.updateReflection(ctx, m, key, id, f.Err(), func(r *Reflection) (map[string]any, error) {
		if r.AuthorID != m.Me.UserID {
			return nil, ErrOnlyAuthor
		}
		if r.RespondedAt != nil {
			return nil, ErrResponded
		}
		now := s.nowUTC()
		r.Accurate, r.Note, r.RespondedAt = &accurate, strings.TrimSpace(note), &now
		sealed, err := sealReflectionText(ctx, vault.From(s.db), m.Me.UserID, r.ID, "note", r.Note)
		if err != nil {
			return nil, err
		}
		return map[string]any{"accurate": accurate, "note": sealed, "responded_at": now}, nil
	})
}

// Validate adds the listener's validating line to a reflection its author confirmed ("yes, that's
// it"): ErrNotResponded before the author answered, ErrNotConfirmed after "not quite", which invites
// another restatement instead.
func (s *Service) Validate(ctx context.Context, m *couple.Membership, key, id, text string) (*Reflection, error) {
	return s.updateReflection(ctx, m, key, id, checkRequired("text", text, MaxNote), func(r *Reflection) (map[string]any, error) {
		if r.ListenerID != m.Me.UserID {
			return nil, ErrOnlyListener
		}
		if r.RespondedAt == nil || r.Accurate == nil {
			return nil, ErrNotResponded
		}
		if !*r.Accurate {
			return nil, ErrNotConfirmed
		}
		if r.ValidatedAt != nil {
			return nil, ErrValidated
		}
		now := s.nowUTC()
		r.Validation, r.ValidatedAt = strings.TrimSpace(text), &now
		sealed, err := sealReflectionText(ctx, vault.From(s.db), m.Me.UserID, r.ID, "validation", r.Validation)
		if err != nil {
			return nil, err
		}
		return map[string]any{"validation": sealed, "validated_at": now}, nil
	})
}

// updateReflection loads reflection id of the member's couple and week (ErrReflectionNotFound
// otherwise), checks who may change it, then reports invalid input, then applies change.
func (s *Service) updateReflection(ctx context.Context, m *couple.Membership, key, id string, invalid error,
	change func(*Reflection) (map[string]any, error)) (*Reflection, error) {
	week, err := s.openedWeekFor(ctx, m, key)
	if apperr.Is(err, apperr.Conflict) {
		return nil, ErrReflectionNotFound // no reflection exists in a week that has not opened
	}
	if err != nil {
		return nil, err
	}
	var r Reflection
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockCouple(tx, m.Couple.ID); err != nil {
			return err
		}
		err := tx.Where("id = ? AND couple_id = ? AND week = ?", id, m.Couple.ID, week).Take(&r).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrReflectionNotFound
		}
		if err != nil {
			return err
		}
		if err := openReflection(ctx, vault.From(s.db), &r); err != nil {
			return err
		}
		cols, err := change(&r)
		if err != nil {
			return err
		}
		if invalid != nil {
			return invalid
		}
		if err := tx.Model(&Reflection{}).Where("id = ? AND couple_id = ?", r.ID, r.CoupleID).Updates(cols).Error; err != nil {
			return err
		}
		if r.Accurate != nil && *r.Accurate && cols["accurate"] != nil {
			return keepConfirmed(tx, r.CoupleID, r.Week)
		}
		return nil
	})
	if err != nil {
		if apperr.As(err) != nil {
			return nil, err
		}
		return nil, fmt.Errorf("checkin: reflection: %w", err)
	}
	return &r, nil
}
