package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/mendhq/mend/internal/mail"
)

// weekKey is the ISO week (2026-W48) that t falls in, seen from loc, as check-ins name weeks.
func weekKey(t time.Time, loc *time.Location) string {
	y, w := t.In(loc).ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// ReminderDue returns when the reminder of the week containing now is due: the couple's check-in
// weekday (0 is Sunday, as time.Weekday) of that ISO week, at hour, in loc, and that week's key.
func ReminderDue(now time.Time, loc *time.Location, weekday, hour int) (time.Time, string) {
	local := now.In(loc)
	monday := local.AddDate(0, 0, -((int(local.Weekday()) + 6) % 7))
	day := monday.AddDate(0, 0, (weekday+6)%7)
	return time.Date(day.Year(), day.Month(), day.Day(), hour, 0, 0, 0, loc), weekKey(now, loc)
}

func sameDay(a, b time.Time, loc *time.Location) bool {
	ya, ma, da := a.In(loc).Date()
	yb, mb, db := b.In(loc).Date()
	return ya == yb && ma == mb && da == db
}

// reminderCandidate is a person who asked for reminders.
type reminderCandidate struct {
	UserID         string
	ReminderHour   int
	ConfirmedEmail *string
	Email          string
}

// ScheduleReminders queues this week's reminder for everyone who asked for one, once its time has come
// on the check-in day, unless they have shared this week's answers. It is idempotent per person and
// week: running it again, on this instance or another, adds nothing. It returns how many it queued.
func (s *Service) ScheduleReminders(ctx context.Context) (int, error) {
	var people []reminderCandidate
	err := s.db.WithContext(ctx).Table("notification_settings s").Select("s.user_id, s.reminder_hour, s.confirmed_email, u.email").
		Joins("JOIN users u ON u.id = s.user_id").Where("s.email_reminders = ?", true).Scan(&people).Error
	if err != nil {
		return 0, fmt.Errorf("notify: schedule: %w", err)
	}
	now, added := s.now(), 0
	for _, p := range people {
		if p.ConfirmedEmail == nil || *p.ConfirmedEmail != p.Email {
			continue
		}
		m, err := s.src.Membership(ctx, p.UserID)
		if err != nil {
			return added, err
		}
		if m == nil {
			continue
		}
		due, week := ReminderDue(now, m.Location, m.Couple.CheckinWeekday, p.ReminderHour)
		if now.Before(due) || !sameDay(now, due, m.Location) {
			continue
		}
		current, shared, err := s.src.Shared(ctx, m)
		if err != nil {
			return added, err
		}
		if shared && current == week {
			continue
		}
		ok, err := s.enqueued(ctx, s.db, p.UserID, mail.Reminder, week, due)
		if err != nil {
			return added, err
		}
		if ok {
			added++
		}
	}
	return added, nil
}

// EnqueueUpdates queues the one "something new is waiting" message of the day for userID, if they
// asked for it; more news the same day (in the couple's time zone, else UTC) joins the same message.
func (s *Service) EnqueueUpdates(ctx context.Context, userID string) error {
	st, err := s.load(ctx, s.db, userID)
	if err != nil || !st.EmailUpdates || !s.mail {
		return err
	}
	loc := time.UTC
	if m, err := s.src.Membership(ctx, userID); err != nil {
		return err
	} else if m != nil {
		loc = m.Location
	}
	now := s.now()
	return s.enqueue(ctx, s.db, userID, mail.Updates, now.In(loc).Format("2006-01-02"), now)
}

// EnqueueSignInAlert queues a "new sign-in" message for userID, if they asked for it: at most one an
// hour, however many devices sign in.
func (s *Service) EnqueueSignInAlert(ctx context.Context, userID string) error {
	st, err := s.load(ctx, s.db, userID)
	if err != nil || !st.EmailSignInAlerts || !s.mail {
		return err
	}
	now := s.nowUTC()
	return s.enqueue(ctx, s.db, userID, mail.SignInAlert, now.Format("2006-01-02T15"), now)
}
