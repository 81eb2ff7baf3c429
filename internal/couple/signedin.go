package couple

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/mendhq/mend/internal/account"
)

// signedInSQL is the lookup of every signed-in request, in one statement and one row: the session
// with its user (account.SessionColumns), and the user's current couple with its other current
// member, if any (NULLs when the user has no couple, or the couple waits for the partner). A couple
// has at most two current members, so the row is one.
const signedInSQL = `SELECT ` + account.SessionColumns + `,
	c.id, c.timezone, c.checkin_weekday, c.created_at, c.ended_at, me.role, me.joined_at,
	p.user_id, pu.display_name, p.role, p.joined_at
FROM ` + account.SessionTables + `
LEFT JOIN couple_members me ON me.user_id = s.user_id AND me.left_at IS NULL
LEFT JOIN couples c ON c.id = me.couple_id
LEFT JOIN couple_members p ON p.couple_id = me.couple_id AND p.left_at IS NULL AND p.user_id <> s.user_id
LEFT JOIN users pu ON pu.id = p.user_id
WHERE s.id = ? AND s.user_id = ?`

// signedInRow is the couple's part of a signedInSQL row.
type signedInRow struct {
	coupleID, timezone            sql.NullString
	weekday                       sql.NullInt64
	createdAt, endedAt            sql.NullTime
	role                          sql.NullString
	joinedAt                      sql.NullTime
	partnerID, partnerName, pRole sql.NullString
	partnerJoined                 sql.NullTime
}

// SignedIn reads session sid of userID with its user and the user's current couple, in one
// statement, and lets accounts decide whether the session is live (account.Service.Admit): the
// session, its user and their current membership (nil when they have no couple, as Current), or
// account.ErrSessionInvalid (and no membership) for a session that is not live or not userID's.
func (s *Service) SignedIn(ctx context.Context, accounts *account.Service, sid, userID string) (*account.Session, *account.User, *Membership, error) {
	var r account.SessionRow
	var c signedInRow
	dest := append(r.Dest(), &c.coupleID, &c.timezone, &c.weekday, &c.createdAt, &c.endedAt, &c.role, &c.joinedAt,
		&c.partnerID, &c.partnerName, &c.pRole, &c.partnerJoined)
	err := s.db.WithContext(ctx).Raw(signedInSQL, sid, userID).Row().Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil, account.ErrSessionInvalid
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("couple: signed in: %w", err)
	}
	sess, u, err := accounts.Admit(ctx, &r)
	if err != nil {
		return nil, nil, nil, err
	}
	if !c.coupleID.Valid {
		return sess, u, nil, nil
	}
	// The user's own name was opened with the user.
	m := s.membership(Couple{ID: c.coupleID.String, Timezone: c.timezone.String, CheckinWeekday: int(c.weekday.Int64),
		CreatedAt: c.createdAt.Time, EndedAt: nullTime(c.endedAt)},
		Person{UserID: u.ID, DisplayName: u.DisplayName, Role: c.role.String, JoinedAt: c.joinedAt.Time})
	if c.partnerID.Valid {
		name, err := s.openName(ctx, c.partnerID.String, c.partnerName.String)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("couple: signed in: %w", err)
		}
		m.Partner = &Person{UserID: c.partnerID.String, DisplayName: name, Role: c.pRole.String, JoinedAt: c.partnerJoined.Time}
	}
	return sess, u, m, nil
}

// nullTime is t as a pointer, nil when NULL.
func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	return &t.Time
}
