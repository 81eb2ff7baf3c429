package agreement

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"github.com/mendhq/mend/internal/couple"
)

// Summaries returns the couple's agreements as List does, but with only the current version of each,
// without its body (Versions holds just that one and Previous is nil), and the log without notes: what
// the dashboard card, the plan and the check-in's question about active agreements need. It runs two
// queries, whatever the number of agreements, and scans their rows by hand (this is a hot path: every
// dashboard view and check-in save reads it).
func (s *Service) Summaries(ctx context.Context, sc *couple.Membership) ([]View, error) {
	db := s.db.WithContext(ctx)
	rows, err := db.Raw(`SELECT a.id, a.created_at, v.id, v.number, v.author_id, v.title, v.category, v.review_on,
		v.ends_on, v.created_at
		FROM agreements a JOIN agreement_versions v ON v.agreement_id = a.id
		WHERE a.couple_id = ? AND v.number = (SELECT max(number) FROM agreement_versions l WHERE l.agreement_id = a.id)`,
		sc.Couple.ID).Rows()
	if err != nil {
		return nil, fmt.Errorf("agreement: summaries: %w", err)
	}
	defer rows.Close()
	var views []View
	byID := map[string]int{}
	for rows.Next() {
		v := View{Agreement: Agreement{CoupleID: sc.Couple.ID}}
		var cur Version
		var author, ends sql.NullString
		if err := rows.Scan(&v.ID, &v.CreatedAt, &cur.ID, &cur.Number, &author, &cur.Title, &cur.Category,
			&cur.ReviewOn, &ends, &cur.CreatedAt); err != nil {
			return nil, fmt.Errorf("agreement: summaries: %w", err)
		}
		cur.AgreementID, cur.AuthorID = v.ID, author.String
		if err := s.openTitle(ctx, &cur); err != nil {
			return nil, fmt.Errorf("agreement: summaries: %w", err)
		}
		if ends.Valid {
			cur.EndsOn = &ends.String
		}
		v.Versions = []Version{cur}
		byID[v.ID] = len(views)
		views = append(views, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("agreement: summaries: %w", err)
	}
	rows.Close()
	if len(views) == 0 {
		return nil, nil
	}
	events, err := db.Raw(`SELECT e.id, e.agreement_id, e.seq, e.version, e.actor_id, e.action, e.next_review_on, e.created_at
		FROM agreements a JOIN agreement_events e ON e.agreement_id = a.id
		WHERE a.couple_id = ? ORDER BY e.agreement_id, e.seq`, sc.Couple.ID).Rows()
	if err != nil {
		return nil, fmt.Errorf("agreement: summaries: %w", err)
	}
	defer events.Close()
	for events.Next() {
		var e Event
		var actor, next sql.NullString
		if err := events.Scan(&e.ID, &e.AgreementID, &e.Seq, &e.Version, &actor, &e.Action, &next, &e.CreatedAt); err != nil {
			return nil, fmt.Errorf("agreement: summaries: %w", err)
		}
		e.ActorID = actor.String
		if next.Valid {
			e.NextReviewOn = &next.String
		}
		if i, ok := byID[e.AgreementID]; ok {
			views[i].Log = append(views[i].Log, e)
		}
	}
	if err := events.Err(); err != nil {
		return nil, fmt.Errorf("agreement: summaries: %w", err)
	}
	day := s.Today(sc)
	for i := range views {
		derive(&views[i], day)
	}
	sort.SliceStable(views, func(i, j int) bool {
		if !views[i].UpdatedAt.Equal(views[j].UpdatedAt) {
			return views[i].UpdatedAt.After(views[j].UpdatedAt)
		}
		return views[i].ID < views[j].ID
	})
	return views, nil
}
