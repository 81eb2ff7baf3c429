// Package plan holds the couple's action plan, the acknowledgment, connection moments, the therapy
// decision and prompt, and the progress series (DESIGN §2.5–§2.7).
//
// Facts owned by other features (agreements, check-ins) come in through the Sources interface, so this
// package never reads their tables.
package plan

import (
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/vault"
)

// DateLayout is how dates are written: YYYY-MM-DD.
const DateLayout = "2006-01-02"

// Limits on text fields.
const (
	MaxTitle = 120
	MaxNotes = 2000
	MaxNote  = 1000
	MaxLong  = 5000
	// MaxCommitments is how many commitments an acknowledgment may list.
	MaxCommitments = 20
	// MaxCommitment is the length of one commitment.
	MaxCommitment = 300
)

// Service runs the plan feature over a database and the other features' facts.
type Service struct {
	db    *gorm.DB
	vault *vault.Vault
	now   func() time.Time
	src   Sources
}

// NewService returns a Service; src supplies agreement and check-in facts (nil means none).
func NewService(db *gorm.DB, now func() time.Time, src Sources) *Service {
	if now == nil {
		now = time.Now
	}
	if src == nil {
		src = NoSources{}
	}
	return &Service{db: db, vault: vault.From(db), now: now, src: src}
}

func (s *Service) nowUTC() time.Time { return s.now().UTC() }

// Today returns the date in the couple's time zone as YYYY-MM-DD.
func (s *Service) Today(sc *couple.Membership) string {
	return s.now().In(sc.Zone()).Format(DateLayout)
}

func parseDate(v string) (time.Time, bool) {
	t, err := time.Parse(DateLayout, v)
	var b [len(DateLayout)]byte
	if err != nil || string(t.AppendFormat(b[:0], DateLayout)) != v {
		return time.Time{}, false
	}
	return t, true
}
