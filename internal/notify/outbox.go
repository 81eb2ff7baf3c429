package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/mendhq/mend/internal/mail"
	"github.com/mendhq/mend/internal/token"
)

// Message is one row of the outbox: who it is for and what kind, never its text or address (both are
// made at the moment it is sent).
type Message struct {
	ID     string
	UserID string
	Kind   mail.Kind
	// Period makes the message unique for its person and kind: the ISO week of a reminder, the day of
	// an updates message.
	Period     string
	DueAt      time.Time
	Attempts   int
	LastError  string
	LeaseUntil time.Time
	SentAt     *time.Time
	DroppedAt  *time.Time
	CreatedAt  time.Time
}

// TableName names the outbox table.
func (Message) TableName() string { return "outbox" }

// Outbox timing.
const (
	// Lease is how long a sender holds a message it has chosen: longer than one attempt can take
	// (mail.Timeout), so a message is only taken again when its sender has died.
	Lease = 2 * time.Minute
	// MaxAttempts is how often a message is tried before it is given up.
	MaxAttempts = 8
	// firstRetry doubles after each failed attempt, up to maxRetry.
	firstRetry = time.Minute
	maxRetry   = 6 * time.Hour
)

// free is the lease_until of a message nobody holds: before any "now".
var free = time.Unix(0, 0).UTC()

// enqueue adds a message unless the person already has one of that kind for that period; it reports
// whether a row was added.
func (s *Service) enqueue(ctx context.Context, db *gorm.DB, userID string, kind mail.Kind, period string, due time.Time) error {
	_, err := s.enqueued(ctx, db, userID, kind, period, due)
	return err
}

func (s *Service) enqueued(ctx context.Context, db *gorm.DB, userID string, kind mail.Kind, period string, due time.Time) (bool, error) {
	m := Message{ID: token.ID(), UserID: userID, Kind: kind, Period: period, DueAt: due.UTC(), LeaseUntil: free, CreatedAt: s.nowUTC()}
	res := db.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "user_id"}, {Name: "kind"}, {Name: "period"}}, DoNothing: true}).Create(&m)
	if res.Error != nil {
		return false, fmt.Errorf("notify: enqueue %s: %w", kind, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// claim chooses the next due message and takes its lease in the same transaction, with an UPDATE
// that succeeds only while nobody else holds it (lease_until < now), so two senders, on one database
// or several instances, never both take it. It returns nil when nothing is due.
func (s *Service) claim(ctx context.Context) (*Message, error) {
	now := s.nowUTC()
	var got *Message
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var m Message
		err := tx.Where("sent_at IS NULL AND dropped_at IS NULL AND due_at <= ? AND lease_until < ?", now, now).
			Order("due_at, id").Take(&m).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		// Whole milliseconds, so finish's "lease_until = ?" matches on either engine (PostgreSQL keeps
		// microseconds, SQLite the text it was given).
		m.LeaseUntil, m.Attempts = now.Add(Lease).Truncate(time.Millisecond), m.Attempts+1
		res := tx.Model(&Message{}).Where("id = ? AND sent_at IS NULL AND dropped_at IS NULL AND lease_until < ?", m.ID, now).
			Updates(map[string]any{"lease_until": m.LeaseUntil, "attempts": m.Attempts})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 1 {
			got = &m
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("notify: claim: %w", err)
	}
	return got, nil
}

// finish records what became of a message this sender holds: sent, dropped with a reason, or failed
// (tried again later with backoff, or given up after MaxAttempts). It reports false when the lease was
// no longer this sender's.
func (s *Service) finish(ctx context.Context, m *Message, outcome string, sendErr error) (bool, error) {
	now := s.nowUTC()
	set := map[string]any{}
	switch outcome {
	case "sent":
		set["sent_at"], set["last_error"] = now, ""
	case "dropped":
		set["dropped_at"], set["last_error"] = now, sendErr.Error()
	default:
		msg := sendErr.Error()
		if len(msg) > 300 {
			msg = msg[:300]
		}
		set["last_error"] = msg
		if m.Attempts >= MaxAttempts {
			set["dropped_at"] = now
		} else {
			set["due_at"], set["lease_until"] = now.Add(backoff(m.Attempts)), free
		}
	}
	res := s.db.WithContext(ctx).Model(&Message{}).Where("id = ? AND lease_until = ? AND sent_at IS NULL", m.ID, m.LeaseUntil).Updates(set)
	if res.Error != nil {
		return false, fmt.Errorf("notify: finish: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// backoff is the wait after the given number of failed attempts.
func backoff(attempts int) time.Duration {
	d := firstRetry
	for i := 1; i < attempts && d < maxRetry; i++ {
		d *= 2
	}
	return min(d, maxRetry)
}

// Queue returns userID's messages, oldest first (for tests and the operator's view of the outbox).
func (s *Service) Queue(ctx context.Context, userID string) ([]Message, error) {
	var out []Message
	if err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("created_at, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("notify: queue: %w", err)
	}
	return out, nil
}
