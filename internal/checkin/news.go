package checkin

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/mendhq/mend/internal/couple"
)

// What changed for one member since a moment, for their home's "For you" list. Only facts that member
// may know: weeks that opened for both, and reflections in which they are the author waiting to answer
// or the listener who was answered. Never any text, and nothing about a partner's unopened answers.

// OpenedWeek is a week that opened for both partners, and when.
type OpenedWeek struct {
	Week     string
	OpenedAt time.Time
}

// OpenedSince returns the couple's weeks that opened at since or later, newest first.
func (s *Service) OpenedSince(ctx context.Context, m *couple.Membership, since time.Time) ([]OpenedWeek, error) {
	var out []OpenedWeek
	err := eachRow(s.db.WithContext(ctx).Raw(`SELECT week, opened_at FROM checkin_weeks WHERE couple_id = ? AND opened_at >= ?
		ORDER BY opened_at DESC`, m.Couple.ID, since.UTC()), func(rows *sql.Rows) error {
		var w OpenedWeek
		if err := rows.Scan(&w.Week, &w.OpenedAt); err != nil {
			return err
		}
		out = append(out, w)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("checkin: opened weeks: %w", err)
	}
	return out, nil
}

// ReflectionNews is a reflection that concerns the member now: ToConfirm when it restates the
// member's answers and waits for them to say whether it is right; otherwise the member wrote it and
// their partner has answered it (At is then when).
type ReflectionNews struct {
	ID        string
	Week      string
	ToConfirm bool
	At        time.Time
}

// ReflectionNews returns the reflections of the couple, written or answered at since or later, that
// wait for the member's confirmation or that the member wrote and were answered.
func (s *Service) ReflectionNews(ctx context.Context, m *couple.Membership, since time.Time) ([]ReflectionNews, error) {
	me := m.Me.UserID
	var out []ReflectionNews
	err := eachRow(s.db.WithContext(ctx).Raw(`SELECT id, week, author_id, created_at, responded_at FROM checkin_reflections
		WHERE couple_id = ? AND ((author_id = ? AND responded_at IS NULL AND created_at >= ?) OR (listener_id = ? AND responded_at >= ?))
		ORDER BY created_at DESC, id`, m.Couple.ID, me, since.UTC(), me, since.UTC()), func(rows *sql.Rows) error {
		var n ReflectionNews
		var author sql.NullString
		var responded sql.NullTime
		if err := rows.Scan(&n.ID, &n.Week, &author, &n.At, &responded); err != nil {
			return err
		}
		n.ToConfirm = author.String == me
		if !n.ToConfirm && responded.Valid {
			n.At = responded.Time
		}
		out = append(out, n)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("checkin: reflection news: %w", err)
	}
	return out, nil
}
