package agreement

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/token"
	"github.com/mendhq/mend/internal/vault"

	"github.com/mendhq/mend/internal/couple"
)

// ErrNotFound is the answer for a missing agreement and for another couple's: they look the same.
var ErrNotFound = apperr.NotFoundf("That agreement")

// ErrStale is the answer to an edit or acceptance that names a version that is no longer the latest.
var ErrStale = apperr.New(apperr.Conflict, "This agreement changed in the meantime. Read the latest version first; nothing you wrote has been lost.")

// Service manages agreements. Every method is scoped to the couple of its Scope.
type Service struct {
	db    *gorm.DB
	now   func() time.Time
	vault *vault.Vault
}

// NewService returns a Service over db with the clock now (nil means time.Now), sealing the agreements'
// texts with db's vault (vault.From).
func NewService(db *gorm.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, now: now, vault: vault.From(db)}
}

func (s *Service) nowUTC() time.Time { return s.now().UTC() }

// Today returns the date in the scope's time zone as YYYY-MM-DD.
func (s *Service) Today(sc *couple.Membership) string { return today(s.now(), sc.Location) }

// load returns the views of the given agreements, in the order of ids, their texts opened.
func (s *Service) load(ctx context.Context, db *gorm.DB, list []Agreement, day string) ([]View, error) {
	if len(list) == 0 {
		return nil, nil
	}
	ids := make([]string, len(list))
	for i, a := range list {
		ids[i] = a.ID
	}
	var versions []Version
	if err := db.WithContext(ctx).Where("agreement_id IN ?", ids).Order("agreement_id, number").Find(&versions).Error; err != nil {
		return nil, err
	}
	var events []Event
	if err := db.WithContext(ctx).Where("agreement_id IN ?", ids).Order("agreement_id, seq").Find(&events).Error; err != nil {
		return nil, err
	}
	byID := map[string]*View{}
	views := make([]View, len(list))
	for i, a := range list {
		views[i] = View{Agreement: a}
		byID[a.ID] = &views[i]
	}
	for i := range versions {
		if err := s.openVersion(ctx, &versions[i]); err != nil {
			return nil, err
		}
		byID[versions[i].AgreementID].Versions = append(byID[versions[i].AgreementID].Versions, versions[i])
	}
	for i := range events {
		if err := s.openNote(ctx, &events[i]); err != nil {
			return nil, err
		}
		byID[events[i].AgreementID].Log = append(byID[events[i].AgreementID].Log, events[i])
	}
	out := views[:0]
	for i := range views {
		if len(views[i].Versions) == 0 {
			continue
		}
		derive(&views[i], day)
		out = append(out, views[i])
	}
	return out, nil
}

// List returns the couple's agreements, most recently changed first.
func (s *Service) List(ctx context.Context, sc *couple.Membership) ([]View, error) {
	var list []Agreement
	if err := s.db.WithContext(ctx).Where("couple_id = ?", sc.Couple.ID).Find(&list).Error; err != nil {
		return nil, fmt.Errorf("agreement: list: %w", err)
	}
	views, err := s.load(ctx, s.db, list, s.Today(sc))
	if err != nil {
		return nil, fmt.Errorf("agreement: list: %w", err)
	}
	sort.SliceStable(views, func(i, j int) bool {
		if !views[i].UpdatedAt.Equal(views[j].UpdatedAt) {
			return views[i].UpdatedAt.After(views[j].UpdatedAt)
		}
		return views[i].ID < views[j].ID
	})
	return views, nil
}

// Get returns one agreement of the couple, or ErrNotFound.
func (s *Service) Get(ctx context.Context, sc *couple.Membership, id string) (*View, error) {
	v, err := s.get(ctx, s.db, sc, id)
	if err != nil && apperr.As(err) == nil {
		return nil, fmt.Errorf("agreement: get: %w", err)
	}
	return v, err
}

func (s *Service) get(ctx context.Context, db *gorm.DB, sc *couple.Membership, id string) (*View, error) {
	if id == "" || len(id) > 64 {
		return nil, ErrNotFound
	}
	var a Agreement
	err := db.WithContext(ctx).Where("id = ? AND couple_id = ?", id, sc.Couple.ID).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	views, err := s.load(ctx, db, []Agreement{a}, s.Today(sc))
	if err != nil {
		return nil, err
	}
	if len(views) == 0 {
		return nil, ErrNotFound
	}
	return &views[0], nil
}

// Create proposes a new agreement; proposing counts as the author's acceptance.
func (s *Service) Create(ctx context.Context, sc *couple.Membership, in Input) (*View, error) {
	in, err := in.validate(s.Today(sc))
	if err != nil {
		return nil, err
	}
	now := s.nowUTC()
	a := Agreement{ID: token.ID(), CoupleID: sc.Couple.ID, CreatedAt: now}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&a).Error; err != nil {
			return err
		}
		if err := s.propose(ctx, tx, sc.Me.UserID, a.ID, 1, in, now); err != nil {
			return err
		}
		return keepFacts(tx, a.ID)
	})
	if err != nil {
		return nil, fmt.Errorf("agreement: create: %w", err)
	}
	return s.Get(ctx, sc, a.ID)
}

// Edit proposes the next version of an agreement. base names the version the edit started from; when
// it is not the latest the answer is ErrStale and nothing is written. The check and the insert share
// one transaction (immediate on SQLite; holding the agreement's lock on PostgreSQL: lockAgreement), and
// the unique (agreement, number) index backs it up.
func (s *Service) Edit(ctx context.Context, sc *couple.Membership, id string, base int, in Input) (*View, error) {
	in, verr := in.validate(s.Today(sc))
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockAgreement(tx, id, sc.Couple.ID); err != nil {
			return err
		}
		v, err := s.get(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if verr != nil {
			return verr
		}
		if base != v.Current.Number {
			return ErrStale
		}
		if err := s.propose(ctx, tx, sc.Me.UserID, id, base+1, in, s.nowUTC()); err != nil {
			return err
		}
		return keepFacts(tx, id)
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		err = ErrStale
	}
	if err != nil {
		if apperr.As(err) != nil {
			return nil, err
		}
		return nil, fmt.Errorf("agreement: edit: %w", err)
	}
	return s.Get(ctx, sc, id)
}

// propose writes version number of agreement id, sealed under the author's key, and the author's
// "proposed" event.
func (s *Service) propose(ctx context.Context, tx *gorm.DB, author, id string, number int, in Input, now time.Time) error {
	v := Version{ID: token.ID(), AgreementID: id, Number: number, AuthorID: author, Title: in.Title, Body: in.Body,
		Category: in.Category, ReviewOn: in.ReviewOn, CreatedAt: now}
	if in.Category == Transparency {
		ends := in.EndsOn
		v.EndsOn = &ends
	}
	if err := s.sealVersion(ctx, vault.Person(author), &v); err != nil {
		return err
	}
	if err := tx.Create(&v).Error; err != nil {
		return err
	}
	return s.appendEvent(ctx, tx, Event{AgreementID: id, Version: number, ActorID: author, Action: ActionProposed, CreatedAt: now})
}

// appendEvent adds e to the end of its agreement's log, its note sealed under the actor's key. Log rows
// are only ever inserted.
func (s *Service) appendEvent(ctx context.Context, tx *gorm.DB, e Event) error {
	var last struct{ Seq int }
	if err := tx.Model(&Event{}).Select("COALESCE(MAX(seq), 0) AS seq").Where("agreement_id = ?", e.AgreementID).Scan(&last).Error; err != nil {
		return err
	}
	e.ID = token.ID()
	e.Seq = last.Seq + 1
	if err := s.vault.SealRow(ctx, vault.Person(e.ActorID), "agreement_events", e.ID, vault.Col{Name: "note", Text: &e.Note}); err != nil {
		return err
	}
	return tx.Create(&e).Error
}

// Active returns the couple's agreements that both partners hold today (status active), for features
// that ask about them, such as the weekly check-in: each with its current version's id, number, title
// and end date (Current and Versions), its status, most recently changed first, as in Summaries. It
// applies in SQL, to the state kept at write time (agreement_facts), the rule settle applies (accepted
// by two people, not withdrawn, not past its end date), since every check-in save asks it;
// TestActiveMatchesSummaries keeps the two in step.
func (s *Service) Active(ctx context.Context, sc *couple.Membership) ([]View, error) {
	rows, err := s.db.WithContext(ctx).Raw(activeSQL, sc.Couple.ID, s.Today(sc)).Rows()
	if err != nil {
		return nil, fmt.Errorf("agreement: active: %w", err)
	}
	defer rows.Close()
	var out []View
	for rows.Next() {
		v := View{Agreement: Agreement{CoupleID: sc.Couple.ID}, Status: StatusActive}
		var cur Version
		var ends sql.NullString
		if err := rows.Scan(&v.ID, &cur.ID, &cur.Number, &cur.Title, &ends); err != nil {
			return nil, fmt.Errorf("agreement: active: %w", err)
		}
		if err := s.openTitle(ctx, &cur); err != nil {
			return nil, fmt.Errorf("agreement: active: %w", err)
		}
		cur.AgreementID = v.ID
		if ends.Valid {
			cur.EndsOn = &ends.String
		}
		v.Current, v.Versions = cur, []Version{cur}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("agreement: active: %w", err)
	}
	return out, nil
}

// activeSQL selects the current version of each active agreement of a couple (parameters: couple id,
// today), from the kept state.
const activeSQL = `SELECT f.agreement_id, v.id, v.number, v.title, v.ends_on
FROM agreement_facts f JOIN agreement_versions v ON v.agreement_id = f.agreement_id AND v.number = f.version
WHERE f.couple_id = ? AND f.both_accepted AND NOT f.withdrawn AND (f.ends_on IS NULL OR f.ends_on >= ?)
ORDER BY f.updated_at DESC, f.agreement_id`
