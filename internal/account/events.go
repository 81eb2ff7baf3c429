package account

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/token"
)

// Event is one entry of an account's sign-in history (SECURITY K4): what happened, when, and from which
// device, named from the user agent. No address and no place is ever kept.
type Event struct {
	ID        string
	UserID    string
	Kind      string
	Device    string
	CreatedAt time.Time
}

// TableName names the table of account events.
func (Event) TableName() string { return "account_events" }

// Event kinds.
const (
	EventSignIn             = "sign_in"
	EventSignInFailed       = "sign_in_failed"
	EventSecondFactorFailed = "second_factor_failed"
	EventPasswordChanged    = "password_changed"
	EventPasswordReset      = "password_reset"
	EventSecondFactorOn     = "second_factor_on"
	EventSecondFactorOff    = "second_factor_off"
	EventRecoveryCodeUsed   = "recovery_code_used"
	EventSessionRevoked     = "session_revoked"
	EventSessionsRevoked    = "sessions_revoked"
	EventPasskeyAdded       = "passkey_added"
	EventPasskeyRemoved     = "passkey_removed"
)

// EventLabel returns the plain words for an event kind, as the Safety Check shows them.
func EventLabel(kind string) string {
	return map[string]string{
		EventSignIn:             "Signed in",
		EventSignInFailed:       "A sign-in with a wrong password",
		EventSecondFactorFailed: "A wrong two-step code",
		EventPasswordChanged:    "Password changed",
		EventPasswordReset:      "Password reset with a link",
		EventSecondFactorOn:     "Two-step sign-in turned on",
		EventSecondFactorOff:    "Two-step sign-in turned off",
		EventRecoveryCodeUsed:   "Signed in with a recovery code",
		EventSessionRevoked:     "A device was signed out",
		EventSessionsRevoked:    "Every other device was signed out",
		EventPasskeyAdded:       "A passkey was added",
		EventPasskeyRemoved:     "A passkey was removed",
	}[kind]
}

// HistoryKept is how long the sign-in history keeps an event.
const HistoryKept = 90 * 24 * time.Hour

// historyLimit bounds how many events one read returns.
const (
	historyLimit    = 200
	historyLimitSQL = "200"
)

// Record adds an event to userID's history, from the device userAgent names, and drops that account's
// events older than HistoryKept.
func (s *Service) Record(ctx context.Context, userID, kind, userAgent string) error {
	return s.recordIn(ctx, s.db, userID, kind, userAgent)
}

func (s *Service) recordIn(ctx context.Context, db *gorm.DB, userID, kind, userAgent string) error {
	now := s.Now()
	ev := Event{ID: token.ID(), UserID: userID, Kind: kind, Device: DeviceName(userAgent), CreatedAt: now}
	if err := db.WithContext(ctx).Create(&ev).Error; err != nil {
		return fmt.Errorf("account: record %s: %w", kind, err)
	}
	if err := db.WithContext(ctx).Where("user_id = ? AND created_at < ?", userID, now.Add(-HistoryKept)).
		Delete(&Event{}).Error; err != nil {
		return fmt.Errorf("account: prune history: %w", err)
	}
	return nil
}

// History returns userID's own events of the last HistoryKept, newest first.
func (s *Service) History(ctx context.Context, userID string) ([]Event, error) {
	var out []Event
	err := s.db.WithContext(ctx).Where("user_id = ? AND created_at >= ?", userID, s.Now().Add(-HistoryKept)).
		Order("created_at DESC").Limit(historyLimit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("account: history: %w", err)
	}
	return out, nil
}

// NewDevice reports whether a sign-in from the device userAgent names would be from a device new to
// userID's account: the account has signed in before (within HistoryKept), never from that device.
// The very first sign-in of an account is from no new device: it is where the account began.
func (s *Service) NewDevice(ctx context.Context, userID, userAgent string) (bool, error) {
	var row struct{ All, Same int64 }
	err := s.db.WithContext(ctx).Raw(`SELECT count(*) AS "all", count(CASE WHEN device = ? THEN 1 END) AS same
		FROM account_events WHERE user_id = ? AND kind = ? AND created_at >= ?`,
		DeviceName(userAgent), userID, EventSignIn, s.Now().Add(-HistoryKept)).Scan(&row).Error
	if err != nil {
		return false, fmt.Errorf("account: new device: %w", err)
	}
	return row.All > 0 && row.Same == 0, nil
}

// NewDeviceSignIns returns userID's sign-ins of the last HistoryKept that came from a device the
// account had not signed in from before them (NewDevice at the time), newest first. The home reads it
// on every view and it is nearly always empty, so the database picks the sign-ins out
// (newDeviceSignInsSQL) instead of sending the history to be walked.
func (s *Service) NewDeviceSignIns(ctx context.Context, userID string) ([]Event, error) {
	since := s.Now().Add(-HistoryKept)
	rows, err := s.db.WithContext(ctx).Raw(newDeviceSignInsSQL, userID, EventSignIn, since, since, since).Rows()
	if err != nil {
		return nil, fmt.Errorf("account: new-device sign-ins: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.ID, &e.UserID, &e.Kind, &e.Device, &e.CreatedAt); err != nil {
			return nil, fmt.Errorf("account: new-device sign-ins: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("account: new-device sign-ins: %w", err)
	}
	return out, nil
}

// newDeviceSignInsSQL selects the sign-ins since a moment that have an earlier sign-in since then (the
// account's first is where it began) but none earlier from the same device, newest first, at most
// historyLimit of them. Earlier means an earlier time, or the same time and a smaller id.
const newDeviceSignInsSQL = `SELECT e.id, e.user_id, e.kind, e.device, e.created_at FROM account_events AS e
WHERE e.user_id = ? AND e.kind = ? AND e.created_at >= ?
	AND EXISTS (SELECT 1 FROM account_events AS f WHERE f.user_id = e.user_id AND f.kind = e.kind AND f.created_at >= ?
		AND (f.created_at < e.created_at OR (f.created_at = e.created_at AND f.id < e.id)))
	AND NOT EXISTS (SELECT 1 FROM account_events AS f WHERE f.user_id = e.user_id AND f.kind = e.kind AND f.created_at >= ?
		AND f.device = e.device AND (f.created_at < e.created_at OR (f.created_at = e.created_at AND f.id < e.id)))
ORDER BY e.created_at DESC, e.id DESC
LIMIT ` + historyLimitSQL

// Failed sign-in attempts are shown to the owner once there are FailedNoticeThreshold of them within
// FailedNoticeWindow: a wrong password, or a wrong code or passkey after a right password.
const (
	FailedNoticeThreshold = 3
	FailedNoticeWindow    = 7 * 24 * time.Hour
)

// FailedAttempts is what the owner is told of recent failed sign-ins.
type FailedAttempts struct {
	// Count is how many failed within FailedNoticeWindow; Last is the newest (zero when none).
	Count int
	Last  time.Time
	// Notice is set once Count reaches FailedNoticeThreshold.
	Notice bool
}

// RecentFailures counts userID's own failed sign-in attempts of the last FailedNoticeWindow.
func (s *Service) RecentFailures(ctx context.Context, userID string) (FailedAttempts, error) {
	var evs []Event
	err := s.db.WithContext(ctx).Where("user_id = ? AND kind IN ? AND created_at >= ?", userID,
		[]string{EventSignInFailed, EventSecondFactorFailed}, s.Now().Add(-FailedNoticeWindow)).
		Order("created_at DESC").Limit(historyLimit).Find(&evs).Error
	if err != nil {
		return FailedAttempts{}, fmt.Errorf("account: failed attempts: %w", err)
	}
	out := FailedAttempts{Count: len(evs), Notice: len(evs) >= FailedNoticeThreshold}
	if len(evs) > 0 {
		out.Last = evs[0].CreatedAt
	}
	return out, nil
}
