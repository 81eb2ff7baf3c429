package agreement

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/couple"
)

// Facts summarise a couple's agreements for the features that reason about them (the action plan's
// evidence, the therapy prompt, the progress page's small wins).
type Facts struct {
	// Active counts agreements both partners accepted in their latest version.
	Active int
	// FirstBothAccepted is when an agreement first became accepted by two people; zero when never.
	FirstBothAccepted time.Time
	// Withdrawals holds the moment of each withdrawal of consent.
	Withdrawals []time.Time
}

// Facts returns the couple's agreement facts. Within a request that carries a memo (WithMemo: the
// dashboard, whose agreements card reads the summaries anyway) they are derived from the shared
// summaries; otherwise they are read, in one statement, from the facts kept at write time
// (agreement_facts) and the withdrawals in the consent log. Whether an agreement is active today is
// worked out from those and the couple's calendar, so an end date passing needs no write.
func (s *Service) Facts(ctx context.Context, sc *couple.Membership) (Facts, error) {
	if m, _ := ctx.Value(memoKey{}).(*memo); m != nil {
		views, err := s.SharedSummaries(ctx, sc)
		if err != nil {
			return Facts{}, err
		}
		return factsOf(views), nil
	}
	return s.keptFacts(ctx, sc)
}

// factsOf derives the facts from the couple's summaries.
func factsOf(views []View) Facts {
	var out Facts
	for _, v := range views {
		if v.Status == StatusActive {
			out.Active++
		}
		if at := v.FirstBothAccepted; !at.IsZero() && (out.FirstBothAccepted.IsZero() || at.Before(out.FirstBothAccepted)) {
			out.FirstBothAccepted = at
		}
		for _, e := range v.Log {
			if e.Action == ActionWithdrawn {
				out.Withdrawals = append(out.Withdrawals, e.CreatedAt)
			}
		}
	}
	return out
}

// keptFactsSQL reads the couple's withdrawals (kind 1), through the partial index
// agreement_events_withdrawn (the action is written out for the planners to see it applies), and each
// agreement's kept facts (kind 0). The withdrawals come first so that, on SQLite, the instant column
// takes the declared type of agreement_events.created_at.
const keptFactsSQL = `SELECT 1, false, false, NULL, e.created_at FROM agreement_facts f JOIN agreement_events e ON e.agreement_id = f.agreement_id
	WHERE f.couple_id = ? AND e.action = 'withdrawn'
UNION ALL
SELECT 0, f.both_accepted, f.withdrawn, f.ends_on, f.first_both_accepted_at FROM agreement_facts f WHERE f.couple_id = ?`

// keptFacts reads the facts kept at write time.
func (s *Service) keptFacts(ctx context.Context, sc *couple.Membership) (Facts, error) {
	rows, err := s.db.WithContext(ctx).Raw(keptFactsSQL, sc.Couple.ID, sc.Couple.ID).Rows()
	if err != nil {
		return Facts{}, fmt.Errorf("agreement: facts: %w", err)
	}
	defer rows.Close()
	day := s.Today(sc)
	var out Facts
	for rows.Next() {
		var (
			kind                    int
			bothAccepted, withdrawn bool
			endsOn                  sql.NullString
			at                      sql.NullTime
		)
		if err := rows.Scan(&kind, &bothAccepted, &withdrawn, &endsOn, &at); err != nil {
			return Facts{}, fmt.Errorf("agreement: facts: %w", err)
		}
		if kind == 1 {
			out.Withdrawals = append(out.Withdrawals, at.Time)
			continue
		}
		// The rule of derive: withdrawn, then ended, then accepted by two people.
		if bothAccepted && !withdrawn && (!endsOn.Valid || day <= endsOn.String) {
			out.Active++
		}
		if at.Valid && (out.FirstBothAccepted.IsZero() || at.Time.Before(out.FirstBothAccepted)) {
			out.FirstBothAccepted = at.Time
		}
	}
	if err := rows.Err(); err != nil {
		return Facts{}, fmt.Errorf("agreement: facts: %w", err)
	}
	return out, nil
}

// factsOfSQL computes agreement_facts rows from the versions and the consent log, for the agreements
// the statement that ends it picks: whether the latest version is accepted by two people (a deleted
// account's consent, kept with no actor, counts as one person, as in derive), whether consent to it was
// withdrawn, its end date, and the first moment any version had two people's acceptance; and, for the
// summaries (Summaries), the latest version's number, who accepted it (the least and, when there are
// two, the greatest of the actors, with the empty string for a deleted account: a couple has at most
// two members, and a deleted account's entries stand in for that person's), the next review date after
// any reviews of it, and when the agreement last changed (the latest of the version's and the log's
// instants, taken with the aggregate max over one column, which compares instants as values on
// PostgreSQL). Migration 00020 backfills the same.
const factsOfSQL = `INSERT INTO agreement_facts (agreement_id, couple_id, both_accepted, withdrawn, ends_on, first_both_accepted_at,
	version, accepted_by, also_accepted_by, review_on, updated_at)
SELECT a.id, a.couple_id,
	(SELECT count(DISTINCT coalesce(e.actor_id, '')) FROM agreement_events e
		WHERE e.agreement_id = a.id AND e.version = v.number AND e.action IN ('proposed', 'accepted')) >= 2,
	EXISTS (SELECT 1 FROM agreement_events e WHERE e.agreement_id = a.id AND e.version = v.number AND e.action = 'withdrawn'),
	v.ends_on,
	(SELECT min(e.created_at) FROM agreement_events e
		WHERE e.agreement_id = a.id AND e.action IN ('proposed', 'accepted')
		AND EXISTS (SELECT 1 FROM agreement_events o WHERE o.agreement_id = e.agreement_id AND o.version = e.version
			AND o.seq < e.seq AND o.action IN ('proposed', 'accepted') AND coalesce(o.actor_id, '') <> coalesce(e.actor_id, ''))),
	v.number,
	(SELECT min(coalesce(e.actor_id, '')) FROM agreement_events e
		WHERE e.agreement_id = a.id AND e.version = v.number AND e.action IN ('proposed', 'accepted')),
	(SELECT CASE WHEN count(DISTINCT coalesce(e.actor_id, '')) >= 2 THEN max(coalesce(e.actor_id, '')) END FROM agreement_events e
		WHERE e.agreement_id = a.id AND e.version = v.number AND e.action IN ('proposed', 'accepted')),
	coalesce((SELECT e.next_review_on FROM agreement_events e
		WHERE e.agreement_id = a.id AND e.version = v.number AND e.action = 'reviewed' AND e.next_review_on IS NOT NULL
		ORDER BY e.seq DESC LIMIT 1), v.review_on),
	(SELECT max(c.at) FROM (SELECT v.created_at AS at
		UNION ALL SELECT e.created_at FROM agreement_events e WHERE e.agreement_id = a.id) c)
FROM agreements a JOIN agreement_versions v ON v.agreement_id = a.id
WHERE v.number = (SELECT max(number) FROM agreement_versions l WHERE l.agreement_id = a.id)`

// factsUpsert ends factsOfSQL: rows already there take the new values.
const factsUpsert = `
ON CONFLICT (agreement_id) DO UPDATE SET both_accepted = excluded.both_accepted, withdrawn = excluded.withdrawn,
	ends_on = excluded.ends_on, first_both_accepted_at = excluded.first_both_accepted_at, version = excluded.version,
	accepted_by = excluded.accepted_by, also_accepted_by = excluded.also_accepted_by, review_on = excluded.review_on,
	updated_at = excluded.updated_at`

// keepFacts writes agreement id's facts; every write to its versions or its consent log calls it in
// the same transaction.
func keepFacts(tx *gorm.DB, id string) error {
	return tx.Exec(factsOfSQL+` AND a.id = ?`+factsUpsert, id).Error
}

// keepFactsOfUser writes the facts of every agreement of the couples userID belongs or belonged to
// (account deletion changes their versions and consent log; agreements left with no version are gone,
// and their facts with them).
func keepFactsOfUser(tx *gorm.DB, userID string) error {
	return tx.Exec(factsOfSQL+` AND a.couple_id IN (SELECT couple_id FROM couple_members WHERE user_id = ?)`+factsUpsert, userID).Error
}

// memo keeps, for one request, the summaries more than one feature reads, so a page that shows several
// features' cards (the dashboard) reads them once. It lives in the request's context only: nothing is
// shared between requests, so nothing can go stale or cross from one person to another.
type memo struct {
	coupleID  string // the couple the summaries are of; empty until they are read
	summaries []View
}

type memoKey struct{}

// WithMemo returns ctx with a memo in which SharedSummaries keeps what it reads. Callers within one
// request run one after another, so the memo needs no lock.
func WithMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, memoKey{}, &memo{})
}

// SharedSummaries returns Summaries, read once per request when ctx carries a memo (WithMemo).
func (s *Service) SharedSummaries(ctx context.Context, sc *couple.Membership) ([]View, error) {
	m, _ := ctx.Value(memoKey{}).(*memo)
	if m != nil && m.coupleID == sc.Couple.ID {
		return m.summaries, nil
	}
	views, err := s.Summaries(ctx, sc)
	if err == nil && m != nil {
		m.coupleID, m.summaries = sc.Couple.ID, views
	}
	return views, err
}
