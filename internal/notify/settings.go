package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/text"
	"github.com/mendhq/mend/internal/vault"
)

// Defaults of a person who never changed a setting: everything off.
const (
	DefaultReminderHour  = 19
	DefaultCalendarTitle = "Weekly time"
	DefaultReviewTitle   = "A date to look again"
	// MaxTitle is the longest calendar title, in characters.
	MaxTitle = 100
)

// Settings are one person's notification settings.
type Settings struct {
	UserID            string `gorm:"primaryKey"`
	EmailReminders    bool
	EmailUpdates      bool
	EmailSignInAlerts bool
	// ReminderHour is 0–23 in the couple's time zone: when the reminder is sent and the calendar's
	// weekly event starts.
	ReminderHour int
	// CalendarTitle names the weekly event and ReviewTitle the review dates in the calendar feed.
	CalendarTitle  string
	ReviewTitle    string
	ConfirmedEmail *string
	ConfirmedAt    *time.Time
	UpdatedAt      time.Time
}

// TableName names the settings table.
func (Settings) TableName() string { return "notification_settings" }

// View is a person's settings as they see them.
type View struct {
	Settings
	// EmailConfirmed: the account's current address was confirmed.
	EmailConfirmed bool
	// CalendarFeed: a calendar feed link is live.
	CalendarFeed bool
	// MailEnabled: this Mend can send e-mail at all.
	MailEnabled bool
}

func defaults(userID string) Settings {
	return Settings{UserID: userID, ReminderHour: DefaultReminderHour, CalendarTitle: DefaultCalendarTitle, ReviewTitle: DefaultReviewTitle}
}

func (s *Service) load(ctx context.Context, db *gorm.DB, userID string) (Settings, error) {
	st := defaults(userID)
	err := db.WithContext(ctx).Where("user_id = ?", userID).Take(&st).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return st, fmt.Errorf("notify: settings: %w", err)
	}
	if err := vault.From(db).OpenRow(ctx, "notification_settings", userID, titleCols(&st)...); err != nil {
		return st, fmt.Errorf("notify: settings: %w", err)
	}
	return st, nil
}

// Columns lists the notification settings' sealed columns (internal/vault): the titles a person
// chose for their calendar, under their own key.
func Columns() []vault.Column {
	return []vault.Column{
		{Table: "notification_settings", Name: "calendar_title", OwnerColumn: "user_id", Kind: vault.KindPerson, Key: []string{"user_id"}},
		{Table: "notification_settings", Name: "review_title", OwnerColumn: "user_id", Kind: vault.KindPerson, Key: []string{"user_id"}},
	}
}

func titleCols(st *Settings) []vault.Col {
	return []vault.Col{{Name: "calendar_title", Text: &st.CalendarTitle}, {Name: "review_title", Text: &st.ReviewTitle}}
}

// Get returns the settings of userID, whose account address is email.
func (s *Service) Get(ctx context.Context, userID, email string) (*View, error) {
	st, err := s.load(ctx, s.db, userID)
	if err != nil {
		return nil, err
	}
	var feeds int64
	if err := s.db.WithContext(ctx).Model(&Token{}).Where("user_id = ? AND purpose = ?", userID, PurposeCalendar).Count(&feeds).Error; err != nil {
		return nil, fmt.Errorf("notify: settings: %w", err)
	}
	return &View{Settings: st, EmailConfirmed: confirmed(st, email), CalendarFeed: feeds > 0, MailEnabled: s.mail}, nil
}

func confirmed(st Settings, email string) bool {
	return st.ConfirmedEmail != nil && email != "" && *st.ConfirmedEmail == email
}

// Input changes settings; a nil field keeps its value.
type Input struct {
	EmailReminders    *bool
	EmailUpdates      *bool
	EmailSignInAlerts *bool
	ReminderHour      *int
	CalendarTitle     *string
	ReviewTitle       *string
}

// Update changes the settings of userID (account address email). Turning on an e-mail setting needs
// e-mail to be set up and the address confirmed; field problems are apperr.Invalid naming the field.
func (s *Service) Update(ctx context.Context, userID, email string, in Input) (*View, error) {
	st, err := s.load(ctx, s.db, userID)
	if err != nil {
		return nil, err
	}
	f := apperr.Form{}
	for _, b := range []struct {
		field string
		in    *bool
		to    *bool
	}{{"email_reminders", in.EmailReminders, &st.EmailReminders}, {"email_updates", in.EmailUpdates, &st.EmailUpdates},
		{"email_sign_in_alerts", in.EmailSignInAlerts, &st.EmailSignInAlerts}} {
		if b.in == nil {
			continue
		}
		switch {
		case *b.in && !s.mail:
			f.Add(b.field, "E-mail is not set up on this server, so it can't send messages.")
		case *b.in && !confirmed(st, email):
			f.Add(b.field, "Confirm your e-mail address first.")
		}
		*b.to = *b.in
	}
	if in.ReminderHour != nil {
		if *in.ReminderHour < 0 || *in.ReminderHour > 23 {
			f.Add("reminder_hour", "Choose an hour from 0 to 23.")
		}
		st.ReminderHour = *in.ReminderHour
	}
	if in.CalendarTitle != nil {
		st.CalendarTitle = title(f, "calendar_title", *in.CalendarTitle, DefaultCalendarTitle)
	}
	if in.ReviewTitle != nil {
		st.ReviewTitle = title(f, "review_title", *in.ReviewTitle, DefaultReviewTitle)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	st.UpdatedAt = s.nowUTC()
	if err := s.save(ctx, s.db, &st); err != nil {
		return nil, err
	}
	return s.Get(ctx, userID, email)
}

func (s *Service) save(ctx context.Context, db *gorm.DB, st *Settings) error {
	sealed := *st
	if err := vault.From(db).SealRow(ctx, vault.Person(st.UserID), "notification_settings", st.UserID, titleCols(&sealed)...); err != nil {
		return fmt.Errorf("notify: settings: %w", err)
	}
	if err := db.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&sealed).Error; err != nil {
		return fmt.Errorf("notify: settings: %w", err)
	}
	return nil
}

// title checks a calendar title (internal/text's one rule for a line): empty means the default.
func title(f apperr.Form, field, v, def string) string {
	v = text.Clean(f, field, v, text.Rule{Max: MaxTitle})
	if text.Blank(v) {
		return def
	}
	return v
}
