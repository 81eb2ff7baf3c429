package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/token"
)

// touchEvery bounds how often a session's last-seen time is written: at most once a minute, and at least
// every quarter of the idle timeout, so a short timeout (MEND_SESSION_IDLE=1m) never signs out someone
// who is using Mend.
func (s *Service) touchEvery() time.Duration {
	return min(time.Minute, s.idle/4)
}

// ErrSessionInvalid is returned for a revoked, expired or unknown session.
var ErrSessionInvalid = apperr.New(apperr.Unauthorized, "Please sign in again.")

// CreateSession starts a new session for the user; a new login counts as recent authentication.
func (s *Service) CreateSession(ctx context.Context, userID, kind, userAgent string) (*Session, error) {
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	userAgent = strings.ToValidUTF8(userAgent, "")
	now := s.Now()
	sess := &Session{ID: token.ID(), UserID: userID, Kind: kind, UserAgent: userAgent, CreatedAt: now, LastSeenAt: now, ReauthAt: &now}
	if err := s.db.WithContext(ctx).Create(sess).Error; err != nil {
		return nil, fmt.Errorf("account: create session: %w", err)
	}
	return sess, nil
}

// Expiry returns when the session ends at the latest (its absolute lifetime).
func (s *Service) Expiry(sess *Session) time.Time { return sess.CreatedAt.Add(s.maxLife) }

// CheckSession returns the live session sid of userID and its user, refreshing last-seen.
// A revoked, idle, too old or unknown session is ErrSessionInvalid (SECURITY B5, B6).
func (s *Service) CheckSession(ctx context.Context, sid, userID string) (*Session, *User, error) {
	// Scanned by hand: this runs on every signed-in request, and GORM's reflective Scan cost more than
	// the query itself.
	var r SessionRow
	err := s.db.WithContext(ctx).Raw(sessionSQL, sid, userID).Row().Scan(r.Dest()...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrSessionInvalid
	}
	if err != nil {
		return nil, nil, fmt.Errorf("account: check session: %w", err)
	}
	return s.Admit(ctx, &r)
}

// Admit decides whether a session read with its user (SessionRow) is live, as CheckSession does: a
// revoked, idle or too old one is ErrSessionInvalid, as is one whose device stayed unused longer than
// its owner's auto-lock allows (which ends it). A live session's last-seen is refreshed, and its user's
// display name opened.
func (s *Service) Admit(ctx context.Context, r *SessionRow) (*Session, *User, error) {
	sess := Session{ID: r.ID, UserID: r.UserID, Kind: r.Kind, UserAgent: r.UserAgent, CreatedAt: r.CreatedAt,
		LastSeenAt: r.LastSeenAt, ReauthAt: r.ReauthAt, RevokedAt: r.RevokedAt}
	now := s.Now()
	if sess.RevokedAt != nil || now.After(sess.CreatedAt.Add(s.maxLife)) ||
		(sess.Kind == KindBrowser && now.After(sess.LastSeenAt.Add(s.idle))) {
		return nil, nil, ErrSessionInvalid
	}
	if sess.Kind == KindBrowser && r.AutoLock > 0 && now.After(sess.LastSeenAt.Add(time.Duration(r.AutoLock)*time.Minute)) {
		// Auto-lock: this device went unused longer than its owner allows. The session ends, so the
		// next page asks for the password (or passkey) again.
		if err := s.db.WithContext(ctx).Model(&Session{}).Where("id = ? AND revoked_at IS NULL", sess.ID).Update("revoked_at", now).Error; err != nil {
			return nil, nil, fmt.Errorf("account: auto-lock: %w", err)
		}
		return nil, nil, ErrSessionInvalid
	}
	u := &User{ID: r.UserID, Email: r.Email, DisplayName: r.DisplayName, PasswordHash: r.PasswordHash,
		AutoLockMinutes: r.AutoLock, CreatedAt: r.UserCreatedAt, UpdatedAt: r.UserUpdatedAt}
	if err := s.openUser(ctx, u); err != nil {
		return nil, nil, fmt.Errorf("account: check session: %w", err)
	}
	if now.Sub(sess.LastSeenAt) >= s.touchEvery() {
		sess.LastSeenAt = now
		if err := s.db.WithContext(ctx).Model(&Session{}).Where("id = ?", sess.ID).Update("last_seen_at", now).Error; err != nil {
			return nil, nil, fmt.Errorf("account: touch session: %w", err)
		}
	}
	return &sess, u, nil
}

// SessionRow is a session with its user as a lookup reads them (SessionColumns), before Admit has
// decided whether the session is live.
type SessionRow struct {
	ID, UserID, Kind, UserAgent      string
	CreatedAt, LastSeenAt            time.Time
	ReauthAt, RevokedAt              *time.Time
	Email, DisplayName, PasswordHash string
	UserCreatedAt, UserUpdatedAt     time.Time
	AutoLock                         int
}

// Dest returns where a row of SessionColumns scans to, in their order.
func (r *SessionRow) Dest() []any {
	return []any{&r.ID, &r.UserID, &r.Kind, &r.UserAgent, &r.CreatedAt, &r.LastSeenAt, &r.ReauthAt, &r.RevokedAt,
		&r.Email, &r.DisplayName, &r.PasswordHash, &r.UserCreatedAt, &r.UserUpdatedAt, &r.AutoLock}
}

// SessionColumns are the columns a session lookup reads, from SessionTables, in SessionRow.Dest's
// order. A statement that reads more with the session (couple.Service.SignedIn: the user's couple)
// starts with them and finds the session as sessionSQL does, by s.id and s.user_id.
const SessionColumns = `s.id, s.user_id, s.kind, s.user_agent, s.created_at, s.last_seen_at, s.reauth_at, s.revoked_at,
	u.email, u.display_name, u.password_hash, u.created_at AS user_created_at, u.updated_at AS user_updated_at,
	u.auto_lock_minutes`

// SessionTables are the tables of a session lookup: the session (s) and its user (u).
const SessionTables = `sessions s JOIN users u ON u.id = s.user_id`

// sessionSQL reads a session and its user at once.
const sessionSQL = `SELECT ` + SessionColumns + `
FROM ` + SessionTables + `
WHERE s.id = ? AND s.user_id = ?`

// RecentlyAuthenticated reports whether the session re-entered its password within RecentAuthWindow.
func (s *Service) RecentlyAuthenticated(sess *Session) bool {
	return sess != nil && sess.ReauthAt != nil && s.Now().Sub(*sess.ReauthAt) <= RecentAuthWindow
}

// Reauthenticate checks the password and marks the session as recently authenticated.
func (s *Service) Reauthenticate(ctx context.Context, sess *Session, password string) error {
	if sess == nil {
		return ErrSessionInvalid
	}
	if err := s.VerifyPassword(ctx, sess.UserID, password); err != nil {
		return err
	}
	now := s.Now()
	if err := s.db.WithContext(ctx).Model(&Session{}).Where("id = ?", sess.ID).Update("reauth_at", now).Error; err != nil {
		return fmt.Errorf("account: reauthenticate: %w", err)
	}
	sess.ReauthAt = &now
	return nil
}

// Revoke ends one of the user's sessions; another user's session is apperr.NotFound (SECURITY B9).
func (s *Service) Revoke(ctx context.Context, userID, sid string) error {
	res := s.db.WithContext(ctx).Model(&Session{}).Where("id = ? AND user_id = ? AND revoked_at IS NULL", sid, userID).
		Update("revoked_at", s.Now())
	if res.Error != nil {
		return fmt.Errorf("account: revoke: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return apperr.NotFoundf("The session")
	}
	return nil
}

// RevokeOthers ends every session of the user except keepSID (empty: all of them).
func (s *Service) RevokeOthers(ctx context.Context, userID, keepSID string) error {
	return s.RevokeOthersIn(ctx, s.db, userID, keepSID)
}

// RevokeOthersIn is RevokeOthers inside the caller's transaction tx.
func (s *Service) RevokeOthersIn(ctx context.Context, tx *gorm.DB, userID, keepSID string) error {
	err := tx.WithContext(ctx).Model(&Session{}).Where("user_id = ? AND id <> ? AND revoked_at IS NULL", userID, keepSID).
		Update("revoked_at", s.Now()).Error
	if err != nil {
		return fmt.Errorf("account: revoke others: %w", err)
	}
	return nil
}

// Sessions lists the user's live sessions, newest first.
func (s *Service) Sessions(ctx context.Context, userID string) ([]Session, error) {
	var out []Session
	now := s.Now()
	err := s.db.WithContext(ctx).Where("user_id = ? AND revoked_at IS NULL AND created_at > ?", userID, now.Add(-s.maxLife)).
		Order("last_seen_at DESC").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("account: sessions: %w", err)
	}
	live := out[:0]
	for _, se := range out {
		if se.Kind == KindBrowser && now.After(se.LastSeenAt.Add(s.idle)) {
			continue
		}
		live = append(live, se)
	}
	return live, nil
}
