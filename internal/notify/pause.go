package notify

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// Pause is the Safety Check's one switch: every e-mail of userID stops (reminders, updates, sign-in
// alerts) and the calendar feed link is revoked, in one transaction. Messages already queued are not
// sent either: the sender reads the settings again just before sending. Other settings (the confirmed
// address, the hour, the titles) stay, so turning one kind back on is one click on /notifications.
func (s *Service) Pause(ctx context.Context, userID string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st, err := s.load(ctx, tx, userID)
		if err != nil {
			return err
		}
		st.EmailReminders, st.EmailUpdates, st.EmailSignInAlerts = false, false, false
		st.UpdatedAt = s.nowUTC()
		if err := s.save(ctx, tx, &st); err != nil {
			return err
		}
		return tx.Where("user_id = ? AND purpose = ?", userID, PurposeCalendar).Delete(&Token{}).Error
	})
	if err != nil {
		return fmt.Errorf("notify: pause: %w", err)
	}
	return nil
}

// Paused reports whether v sends nothing: no e-mail of any kind and no calendar feed.
func (v *View) Paused() bool {
	return !v.EmailReminders && !v.EmailUpdates && !v.EmailSignInAlerts && !v.CalendarFeed
}
