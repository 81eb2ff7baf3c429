// Package notify is the weekly pulse (DESIGN §5.2): each person's notification settings, the
// confirmation of their e-mail address, their calendar feed, and the outbox through which every
// message leaves Mend, with the scheduler that fills it.
//
// The rules live here:
//   - everything is off until the person turns it on, and e-mail needs a confirmed address;
//   - a person's settings are theirs alone: nothing here is ever read for, or shown to, the partner;
//   - at most one reminder a person a week (on the couple's day, at the person's hour, only while they
//     have not shared that week's answers) and at most one updates message a day;
//   - a message is sent once: a sender takes it with a lease (a conditional UPDATE in the transaction
//     that chooses it), so a crash between choosing and sending leaves it to be sent again once the
//     lease has passed, and two senders never hold it at once;
//   - no message carries personal text, a name, or a secret other than its own confirmation link
//     (internal/mail writes them).
//
// Every table here references users ON DELETE CASCADE, so deleting an account deletes its settings,
// queued messages, confirmation links and feeds.
package notify

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/couple"
)

// Sources are what the pulse reads of other features, each for one person.
type Sources struct {
	// Membership returns the person's current couple, or nil when they have none.
	Membership func(ctx context.Context, userID string) (*couple.Membership, error)
	// Shared returns the current check-in week's key and whether the person has shared their answers
	// for it (checkin.Service.ThisWeek): the scheduler never reminds someone who has.
	Shared func(ctx context.Context, m *couple.Membership) (week string, shared bool, err error)
	// ReviewDates returns the review dates (YYYY-MM-DD) of the couple's active agreements, and nothing
	// else of them: the calendar feed shows dates only.
	ReviewDates func(ctx context.Context, m *couple.Membership) ([]string, error)
}

// Service holds the settings, tokens, calendar feeds and outbox.
type Service struct {
	db      *gorm.DB
	now     func() time.Time
	src     Sources
	baseURL string
	mail    bool
}

// Options configure a Service.
type Options struct {
	Now func() time.Time
	// BaseURL is MEND_BASE_URL, from which every link is built.
	BaseURL string
	// MailEnabled is whether MEND_SMTP_URL and MEND_MAIL_FROM are set; without it no e-mail setting
	// can be turned on.
	MailEnabled bool
}

// NewService returns a Service over db.
func NewService(db *gorm.DB, src Sources, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Service{db: db, now: opt.Now, src: src, baseURL: opt.BaseURL, mail: opt.MailEnabled}
}

// MailEnabled reports whether this Mend can send e-mail.
func (s *Service) MailEnabled() bool { return s.mail }

func (s *Service) nowUTC() time.Time { return s.now().UTC() }
