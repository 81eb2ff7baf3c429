package trigger

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/token"
	"github.com/mendhq/mend/internal/vault"
)

// Errors a request can meet; each message is safe to show.
var (
	// ErrNotFound is the answer for a missing trigger, the partner's, and another couple's alike.
	ErrNotFound       = apperr.NotFoundf("That entry")
	ErrSignalNotFound = apperr.NotFoundf("That signal")
	ErrSignalled      = apperr.New(apperr.Conflict, "You have already let your partner know about this one.")
	ErrNoPartner      = apperr.New(apperr.Conflict, "There is no one to let know yet. Once your partner joins, you can.")
	ErrOwnSignal      = apperr.New(apperr.Forbidden, "This is your own signal; only the person who received it can respond.")
	ErrTooMany        = apperr.New(apperr.Conflict, "This signal has as many responses as it can hold.")
)

// Service manages the trigger log.
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

// wrap returns an *apperr.Error as it is and gives anything else context.
func wrap(what string, err error) error {
	if err == nil || apperr.As(err) != nil {
		return err
	}
	return fmt.Errorf("trigger: %s: %w", what, err)
}

// own scopes a query to the member's own triggers in their couple.
func own(db *gorm.DB, m *couple.Membership) *gorm.DB {
	return db.Where("couple_id = ? AND author_id = ?", m.Couple.ID, m.Me.UserID)
}

func (s *Service) ownTrigger(db *gorm.DB, m *couple.Membership, id string) (*Trigger, error) {
	if id == "" || len(id) > 64 {
		return nil, ErrNotFound
	}
	var t Trigger
	err := own(db, m).Where("id = ?", id).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// List returns the member's own triggers in their couple, the most recent moment first, each with its
// signal and the responses to it.
func (s *Service) List(ctx context.Context, m *couple.Membership) ([]Entry, error) {
	var list []Trigger
	if err := own(s.db.WithContext(ctx), m).Order("at DESC, id").Find(&list).Error; err != nil {
		return nil, wrap("list", err)
	}
	out, err := s.entries(ctx, list)
	return out, wrap("list", err)
}

// entries adds to each trigger its signal and the responses to it.
func (s *Service) entries(ctx context.Context, list []Trigger) ([]Entry, error) {
	out := make([]Entry, len(list))
	if len(list) == 0 {
		return out, nil
	}
	if err := s.openTriggers(ctx, list); err != nil {
		return nil, err
	}
	ids := make([]string, len(list))
	at := map[string]*Entry{}
	for i, t := range list {
		ids[i] = t.ID
		out[i] = Entry{Trigger: t}
		at[t.ID] = &out[i]
	}
	var signals []Signal
	if err := s.db.WithContext(ctx).Where("trigger_id IN ?", ids).Find(&signals).Error; err != nil {
		return nil, err
	}
	received, err := s.withResponses(ctx, signals)
	if err != nil {
		return nil, err
	}
	for i := range received {
		e := at[received[i].TriggerID]
		e.Signal, e.Responses = &received[i].Signal, received[i].Responses
	}
	return out, nil
}

// withResponses adds to each signal the responses to it, oldest first.
func (s *Service) withResponses(ctx context.Context, signals []Signal) ([]Received, error) {
	out := make([]Received, len(signals))
	if len(signals) == 0 {
		return out, nil
	}
	at := map[string]*Received{}
	ids := make([]string, len(signals))
	for i := range signals {
		if err := s.openSignal(ctx, &signals[i]); err != nil {
			return nil, err
		}
		out[i] = Received{Signal: signals[i]}
		at[signals[i].ID] = &out[i]
		ids[i] = signals[i].ID
	}
	var responses []Response
	if err := s.db.WithContext(ctx).Where("signal_id IN ?", ids).Order("created_at, id").Find(&responses).Error; err != nil {
		return nil, err
	}
	if err := s.openResponses(ctx, responses); err != nil {
		return nil, err
	}
	for _, r := range responses {
		at[*r.SignalID].Responses = append(at[*r.SignalID].Responses, r)
	}
	return out, nil
}

// Get returns one of the member's own triggers, or ErrNotFound (for the partner's too).
func (s *Service) Get(ctx context.Context, m *couple.Membership, id string) (*Entry, error) {
	t, err := s.ownTrigger(s.db.WithContext(ctx), m, id)
	if err != nil {
		return nil, wrap("get", err)
	}
	out, err := s.entries(ctx, []Trigger{*t})
	if err != nil {
		return nil, wrap("get", err)
	}
	return &out[0], nil
}

// Create logs a trigger for the member; it is private to them.
func (s *Service) Create(ctx context.Context, m *couple.Membership, in Input) (*Entry, error) {
	now := s.nowUTC()
	t, err := in.validate(now)
	if err != nil {
		return nil, err
	}
	t.ID, t.CoupleID, t.AuthorID, t.CreatedAt, t.UpdatedAt = token.ID(), m.Couple.ID, m.Me.UserID, now, now
	stored := t
	if err := s.sealTrigger(ctx, &stored); err != nil {
		return nil, wrap("create", err)
	}
	if err := s.db.WithContext(ctx).Create(&stored).Error; err != nil {
		return nil, wrap("create", err)
	}
	return &Entry{Trigger: t}, nil
}

// Update changes one of the member's own triggers. A signal already sent keeps the text it was sent with.
func (s *Service) Update(ctx context.Context, m *couple.Membership, id string, p Patch) (*Entry, error) {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := s.ownTrigger(tx, m, id)
		if err != nil {
			return err
		}
		if err := s.openTrigger(ctx, t); err != nil {
			return err
		}
		now := s.nowUTC()
		changed, err := p.apply(*t, now)
		if err != nil {
			return err
		}
		if err := s.sealTrigger(ctx, &changed); err != nil {
			return err
		}
		return own(tx.Model(&Trigger{}), m).Where("id = ?", id).Updates(map[string]any{"at": changed.At, "what": changed.What,
			"strength": changed.Strength, "helped": changed.Helped, "updated_at": now}).Error
	})
	if err != nil {
		return nil, wrap("update", err)
	}
	return s.Get(ctx, m, id)
}

// Delete removes one of the member's own triggers, and with it its signal: the partner no longer sees it.
func (s *Service) Delete(ctx context.Context, m *couple.Membership, id string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := s.ownTrigger(tx, m, id); err != nil {
			return err
		}
		return own(tx, m).Where("id = ?", id).Delete(&Trigger{}).Error
	})
	return wrap("delete", err)
}

// Signal lets the partner know about one of the member's own triggers, with its text only when
// includeText is set. Each trigger is signalled at most once (ErrSignalled); ErrNoPartner while the
// couple waits for the partner.
func (s *Service) Signal(ctx context.Context, m *couple.Membership, id string, includeText bool) (*Entry, error) {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := s.ownTrigger(tx, m, id)
		if err != nil {
			return err
		}
		if m.Partner == nil {
			return ErrNoPartner
		}
		sig := Signal{ID: token.ID(), CoupleID: m.Couple.ID, TriggerID: t.ID, AuthorID: m.Me.UserID, CreatedAt: s.nowUTC()}
		if includeText {
			if err := s.openTrigger(ctx, t); err != nil {
				return err
			}
			text, err := s.vault.Seal(ctx, vault.Person(sig.AuthorID), vault.Field{Table: "trigger_signals", Column: "text", Row: sig.ID}, t.What)
			if err != nil {
				return err
			}
			sig.Text = &text
		}
		return tx.Create(&sig).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		err = ErrSignalled
	}
	if err != nil {
		return nil, wrap("signal", err)
	}
	return s.Get(ctx, m, id)
}

// Received returns the signals the member received from their partner in their couple, newest first,
// each with the responses to it.
func (s *Service) Received(ctx context.Context, m *couple.Membership) ([]Received, error) {
	var signals []Signal
	err := s.db.WithContext(ctx).Where("couple_id = ? AND author_id <> ?", m.Couple.ID, m.Me.UserID).
		Order("created_at DESC, id").Find(&signals).Error
	if err != nil {
		return nil, wrap("received", err)
	}
	out, err := s.withResponses(ctx, signals)
	return out, wrap("received", err)
}

// Respond answers a signal the member received. A signal of another couple, or one that does not exist,
// is ErrSignalNotFound; the member's own signal is ErrOwnSignal.
func (s *Service) Respond(ctx context.Context, m *couple.Membership, signalID, kind, text string) (*Response, error) {
	f := apperr.Form{}
	if KindLabel(kind) == "" {
		f.Add("kind", "Choose acknowledge, reassure or ask.")
	}
	text = cleanText(f, "text", "Write a few words of your own.", text, MaxResponse)
	r := Response{ID: token.ID(), CoupleID: m.Couple.ID, SignalID: &signalID, ResponderID: m.Me.UserID, Kind: kind, Text: text,
		CreatedAt: s.nowUTC()}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var sig Signal
		if signalID == "" || len(signalID) > 64 {
			return ErrSignalNotFound
		}
		err := tx.Where("id = ? AND couple_id = ?", signalID, m.Couple.ID).Take(&sig).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrSignalNotFound
		}
		if err != nil {
			return err
		}
		if sig.AuthorID == m.Me.UserID {
			return ErrOwnSignal
		}
		if err := f.Err(); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&Response{}).Where("signal_id = ?", signalID).Count(&n).Error; err != nil {
			return err
		}
		if n >= MaxResponses {
			return ErrTooMany
		}
		stored := r
		if err := s.sealResponse(ctx, &stored); err != nil {
			return err
		}
		return tx.Create(&stored).Error
	})
	if err != nil {
		return nil, wrap("respond", err)
	}
	return &r, nil
}

// Export is what the trigger log holds for one person: their own triggers (in every couple they were
// part of), the signals they received in their current couple, and every response they wrote.
type Export struct {
	Mine     []Entry
	Received []Received
	Written  []Response
}

// ExportFor returns userID's export; m is their current membership, nil when they have none.
func (s *Service) ExportFor(ctx context.Context, userID string, m *couple.Membership) (*Export, error) {
	db := s.db.WithContext(ctx)
	var mine []Trigger
	if err := db.Where("author_id = ?", userID).Order("at, id").Find(&mine).Error; err != nil {
		return nil, wrap("export", err)
	}
	ex := &Export{}
	var err error
	if ex.Mine, err = s.entries(ctx, mine); err != nil {
		return nil, wrap("export", err)
	}
	if m != nil {
		if ex.Received, err = s.Received(ctx, m); err != nil {
			return nil, err
		}
	}
	if err := db.Where("responder_id = ?", userID).Order("created_at, id").Find(&ex.Written).Error; err != nil {
		return nil, wrap("export", err)
	}
	if err := s.openResponses(ctx, ex.Written); err != nil {
		return nil, wrap("export", err)
	}
	return ex, nil
}

// Archive returns what userID noted in the trigger log of the (ended) couple coupleID, oldest first:
// their own entries only.
func (s *Service) Archive(ctx context.Context, userID, coupleID string) ([]Trigger, error) {
	var out []Trigger
	err := s.db.WithContext(ctx).Where("couple_id = ? AND author_id = ?", coupleID, userID).Order("at, id").Find(&out).Error
	if err == nil {
		err = s.openTriggers(ctx, out)
	}
	return out, wrap("archive", err)
}
