package checkin

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/text"
	"github.com/mendhq/mend/internal/token"
	"github.com/mendhq/mend/internal/vault"
)

// MaxTimeout is the longest pause one can ask for (DESIGN §2.4).
const MaxTimeout = 24 * time.Hour

// Errors of time-outs.
var (
	ErrNoTimeout     = apperr.New(apperr.NotFound, "There is no pause right now.")
	ErrTimeoutExists = apperr.New(apperr.Conflict, "A pause is already in place. It ends by itself at its time, and a new one can be asked for after that.")
	ErrOnlyAsker     = apperr.New(apperr.Forbidden, "Only the person who asked for this pause can end it early. Otherwise it ends by itself at the time they chose.")
)

// StartTimeout asks for a pause until the given time (in the future, at most 24 hours ahead) with an
// optional note for the partner.
func (s *Service) StartTimeout(ctx context.Context, m *couple.Membership, until time.Time, note string) (*Timeout, error) {
	now := s.nowUTC()
	f := apperr.Form{}
	switch {
	case until.IsZero():
		f.Add("until", "Choose when to come back to the conversation.")
	case !until.After(now):
		f.Add("until", "Choose a time in the future.")
	case until.Sub(now) > MaxTimeout:
		f.Add("until", "A pause can last up to 24 hours. Choose a time within a day.")
	}
	text.Clean(f, "note", note, text.Rule{Max: MaxNote, Multiline: true})
	if err := f.Err(); err != nil {
		return nil, err
	}
	t := Timeout{ID: token.ID(), CoupleID: m.Couple.ID, UserID: m.Me.UserID, Note: strings.TrimSpace(note),
		CreatedAt: now, UntilAt: until.UTC()}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockCouple(tx, m.Couple.ID); err != nil {
			return err
		}
		cur, err := currentTimeout(tx, m.Couple.ID, now)
		if err != nil {
			return err
		}
		if cur != nil {
			return ErrTimeoutExists
		}
		stored := t
		if err := s.sealTimeout(ctx, &stored); err != nil {
			return err
		}
		return tx.Create(&stored).Error
	})
	if err != nil {
		if apperr.As(err) != nil {
			return nil, err
		}
		return nil, fmt.Errorf("checkin: time-out: %w", err)
	}
	return &t, nil
}

// currentTimeout reads the couple's pause in place at now, or nil. It is read on every signed-in
// home and check-in view, and there is nearly never one: the row is scanned by hand, so a miss costs
// one statement and no error value.
func currentTimeout(db *gorm.DB, coupleID string, now time.Time) (*Timeout, error) {
	rows, err := db.Raw(`SELECT id, couple_id, user_id, note, created_at, until_at, ended_at, ended_by FROM checkin_timeouts
		WHERE couple_id = ? AND ended_at IS NULL AND until_at > ? ORDER BY created_at DESC LIMIT 1`, coupleID, now).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, rows.Err()
	}
	var t Timeout
	if err := rows.Scan(&t.ID, &t.CoupleID, &t.UserID, &t.Note, &t.CreatedAt, &t.UntilAt, &t.EndedAt, &t.EndedBy); err != nil {
		return nil, err
	}
	return &t, rows.Err()
}

// CurrentTimeout returns the couple's pause in place now, or nil.
func (s *Service) CurrentTimeout(ctx context.Context, m *couple.Membership) (*Timeout, error) {
	t, err := currentTimeout(s.db.WithContext(ctx), m.Couple.ID, s.nowUTC())
	if err == nil && t != nil {
		err = s.openTimeout(ctx, t)
	}
	if err != nil {
		return nil, fmt.Errorf("checkin: time-out: %w", err)
	}
	return t, nil
}

// EndTimeout ends the couple's current pause early. Only the person who asked for it may (DESIGN
// §2.4): ErrOnlyAsker for the other, ErrNoTimeout when there is none.
func (s *Service) EndTimeout(ctx context.Context, m *couple.Membership) error {
	now := s.nowUTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockCouple(tx, m.Couple.ID); err != nil {
			return err
		}
		cur, err := currentTimeout(tx, m.Couple.ID, now)
		if err != nil {
			return err
		}
		if cur == nil {
			return ErrNoTimeout
		}
		if cur.UserID != m.Me.UserID {
			return ErrOnlyAsker
		}
		return tx.Model(&Timeout{}).Where("id = ? AND couple_id = ?", cur.ID, m.Couple.ID).
			Updates(map[string]any{"ended_at": now, "ended_by": m.Me.UserID}).Error
	})
	if err != nil {
		if apperr.As(err) != nil {
			return err
		}
		return fmt.Errorf("checkin: end time-out: %w", err)
	}
	return nil
}

// TimeoutColumns lists the time-outs' sealed column (internal/vault): the note, its asker's words under
// their own data key.
func TimeoutColumns() []vault.Column {
	return []vault.Column{{Table: "checkin_timeouts", Name: "note", OwnerColumn: "user_id", Kind: vault.KindPerson}}
}

func (s *Service) sealTimeout(ctx context.Context, t *Timeout) error {
	return vault.From(s.db).SealRow(ctx, vault.Person(t.UserID), "checkin_timeouts", t.ID, vault.Col{Name: "note", Text: &t.Note})
}

func (s *Service) openTimeout(ctx context.Context, t *Timeout) error {
	return vault.From(s.db).OpenRow(ctx, "checkin_timeouts", t.ID, vault.Col{Name: "note", Text: &t.Note})
}

// openTimeouts opens the notes of list in place.
func (s *Service) openTimeouts(ctx context.Context, list []Timeout) error {
	for i := range list {
		if err := s.openTimeout(ctx, &list[i]); err != nil {
			return err
		}
	}
	return nil
}
