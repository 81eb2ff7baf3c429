package agreement

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/mendhq/mend/internal/couple"
)

// Summaries returns the couple's agreements as List does, most recently changed first, but read from
// the state kept at write time (agreement_facts, see factsOfSQL) instead of the whole consent log: what
// the dashboard card, the plan, "For you" and the reminders need. Of the current version, Current (and
// Versions, which holds just it) has the id, number, title, end date and creation instant, and Previous
// is nil; Status, ReviewOn, DueForReview, AcceptedBy, UpdatedAt and FirstBothAccepted are as List says;
// Log holds only the withdrawals of consent, without notes. It runs one statement, whatever the number
// of agreements, which reads no log entry but the withdrawals (each one is shown as it is). Whether an
// agreement has ended or is due for review is worked out here, from the couple's calendar, so a change
// of day needs no write.
func (s *Service) Summaries(ctx context.Context, sc *couple.Membership) ([]View, error) {
	rows, err := s.db.WithContext(ctx).Raw(summariesSQL, sc.Couple.ID, sc.Couple.ID).Rows()
	if err != nil {
		return nil, fmt.Errorf("agreement: summaries: %w", err)
	}
	defer rows.Close()
	day := s.Today(sc)
	// A couple has a handful of agreements: room for eight saves growing the arrays row by row.
	var (
		views       = make([]View, 0, 8)
		versions    = make([]Version, 0, 8) // each view's one version, in one array
		withdrawals []Event
		r           summaryRow
	)
	dest := r.dest()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("agreement: summaries: %w", err)
		}
		if r.kind == 1 {
			withdrawals = append(withdrawals, Event{ID: r.rowID, AgreementID: r.id, Version: r.number, ActorID: r.first.String,
				Action: ActionWithdrawn, CreatedAt: r.created})
			continue
		}
		views = append(views, View{Agreement: Agreement{ID: r.id, CoupleID: sc.Couple.ID}, ReviewOn: r.reviewOn,
			UpdatedAt: r.updated.Time, FirstBothAccepted: r.firstBoth.Time, AcceptedBy: make(map[string]bool, 2),
			Current: Version{ID: r.rowID, AgreementID: r.id, Number: r.number, Title: r.title, CreatedAt: r.created}})
		v := &views[len(views)-1]
		if !r.updated.Valid {
			v.UpdatedAt = r.created
		}
		if err := s.openTitle(ctx, &v.Current); err != nil {
			return nil, fmt.Errorf("agreement: summaries: %w", err)
		}
		if r.ends.Valid {
			ends := r.ends.String
			v.Current.EndsOn = &ends
		}
		if r.first.Valid {
			v.AcceptedBy[r.first.String] = true
		}
		if r.other.Valid {
			v.AcceptedBy[r.other.String] = true
		}
		v.settle(r.withdrawn, day)
		versions = append(versions, v.Current)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("agreement: summaries: %w", err)
	}
	if len(views) == 0 {
		return nil, nil
	}
	for i := range views {
		views[i].Versions = versions[i : i+1 : i+1]
	}
	slices.SortFunc(views, func(a, b View) int {
		if c := b.UpdatedAt.Compare(a.UpdatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	// Each agreement's withdrawals, in the order they were made (one per version at most), share one
	// array.
	slices.SortFunc(withdrawals, func(a, b Event) int {
		if c := cmp.Compare(a.AgreementID, b.AgreementID); c != 0 {
			return c
		}
		return cmp.Compare(a.Version, b.Version)
	})
	for lo := 0; lo < len(withdrawals); {
		hi := lo + 1
		for hi < len(withdrawals) && withdrawals[hi].AgreementID == withdrawals[lo].AgreementID {
			hi++
		}
		for i := range views {
			if views[i].ID == withdrawals[lo].AgreementID {
				views[i].Log = withdrawals[lo:hi:hi]
				break
			}
		}
		lo = hi
	}
	return views, nil
}

// summaryRow is one row of summariesSQL, scanned into the same variables row after row.
type summaryRow struct {
	kind, number       int
	id, rowID, title   string
	reviewOn           string
	ends, first, other sql.NullString
	withdrawn          bool
	created            time.Time
	updated, firstBoth sql.NullTime
}

// dest is what rows.Scan fills, in the order of summariesSQL's columns.
func (r *summaryRow) dest() []any {
	return []any{&r.kind, &r.id, &r.rowID, &r.number, &r.title, &r.ends, &r.reviewOn, &r.first, &r.other, &r.withdrawn,
		&r.created, &r.updated, &r.firstBoth}
}

// summariesSQL reads each agreement's current version with its kept state (kind 0), then the
// withdrawals in its consent log (kind 1: agreement, entry, version, actor and instant in the same
// columns), found through the partial index agreement_events_withdrawn. The agreements come first so
// that, on SQLite, the instant columns take the declared type of agreement_versions.created_at.
const summariesSQL = `SELECT 0, f.agreement_id, v.id, v.number, v.title, v.ends_on, coalesce(f.review_on, v.review_on), f.accepted_by, f.also_accepted_by,
	f.withdrawn, v.created_at, f.updated_at, f.first_both_accepted_at
FROM agreement_facts f JOIN agreement_versions v ON v.agreement_id = f.agreement_id AND v.number = f.version
WHERE f.couple_id = ?
UNION ALL
SELECT 1, e.agreement_id, e.id, e.version, '', NULL, '', e.actor_id, NULL, false, e.created_at, e.created_at, NULL
FROM agreement_facts f JOIN agreement_events e ON e.agreement_id = f.agreement_id
WHERE f.couple_id = ? AND e.action = 'withdrawn'`
