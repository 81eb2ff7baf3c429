package checkin

import (
	"context"
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
	err := s.db.WithContext(ctx).Model(&openedWeek{}).Select("week, opened_at").
		Where("couple_id = ? AND opened_at >= ?", m.Couple.ID, since.UTC()).Order("opened_at DESC").Scan(&out).Error
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
	var rows []Reflection
	me := m.Me.UserID
	err := s.db.WithContext(ctx).Select("id, week, listener_id, author_id, created_at, responded_at").
		Where("couple_id = ? AND ((author_id = ? AND responded_at IS NULL AND created_at >= ?) OR (listener_id = ? AND responded_at >= ?))",
			m.Couple.ID, me, since.UTC(), me, since.UTC()).Order("created_at DESC, id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("checkin: reflection news: %w", err)
	}
	out := make([]ReflectionNews, 0, len(rows))
	for _, r := range rows {
		n := ReflectionNews{ID: r.ID, Week: r.Week, ToConfirm: r.AuthorID == me, At: r.CreatedAt}
		if !n.ToConfirm && r.RespondedAt != nil {
			n.At = *r.RespondedAt
		}
		out = append(out, n)
	}
	return out, nil
}
