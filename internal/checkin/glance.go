package checkin

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/mendhq/mend/internal/couple"
)

// Glance is what the dashboard shows of check-ins on every visit.
type Glance struct {
	// Week is this week as Weeks lists it.
	Week WeekSummary
	// LowSafety is CheckLowSafety for the member: their most recent safety rating is LowSafetyAt or less.
	LowSafety bool
}

// glanceSQL reads the member's progress this week (NULL: none, 0: a draft, 1: shared), whether this
// week has opened or passed, and the member's most recent safety rating, in one statement however long
// the couple's history is.
const glanceSQL = `SELECT
	(SELECT submitted_at IS NOT NULL FROM checkin_answers WHERE couple_id = ? AND week = ? AND user_id = ?),
	EXISTS (SELECT 1 FROM checkin_weeks WHERE couple_id = ? AND week = ?),
	EXISTS (SELECT 1 FROM checkin_passed_weeks WHERE couple_id = ? AND week = ?),
	(SELECT safety FROM checkin_answers WHERE couple_id = ? AND user_id = ? AND safety IS NOT NULL ORDER BY week DESC LIMIT 1)`

// Glance returns this week's summary and whether the member's latest safety rating is low.
func (s *Service) Glance(ctx context.Context, m *couple.Membership) (Glance, error) {
	cur := s.Current(m)
	g := Glance{Week: WeekSummary{Week: cur, State: stateOf(true, ""), Mine: "none"}}
	var shared sql.NullBool
	var opened, passed bool
	var safety sql.NullInt64
	c, week, me := m.Couple.ID, cur.String(), m.Me.UserID
	err := s.db.WithContext(ctx).Raw(glanceSQL, c, week, me, c, week, c, week, c, me).Row().Scan(&shared, &opened, &passed, &safety)
	if err != nil {
		return g, fmt.Errorf("checkin: glance: %w", err)
	}
	if shared.Valid {
		g.Week.Mine = "draft"
		if shared.Bool {
			g.Week.Mine = "shared"
		}
	}
	switch {
	case opened:
		g.Week.State = StateOpened
	case passed:
		g.Week.State = StatePassed
	}
	g.LowSafety = safety.Valid && safety.Int64 <= LowSafetyAt
	return g, nil
}

// ThisWeek returns this week as Weeks lists it (Glance reads it with the safety rating).
func (s *Service) ThisWeek(ctx context.Context, m *couple.Membership) (WeekSummary, error) {
	g, err := s.Glance(ctx, m)
	return g.Week, err
}
