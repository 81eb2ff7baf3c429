package notify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mendhq/mend/internal/mail"
	"github.com/mendhq/mend/internal/token"
)

// ResetEvery is how often one account can be sent a reset link: a second request within the same
// ResetEvery slot adds nothing, so a stranger cannot fill an inbox.
const ResetEvery = 10 * time.Minute

// enqueueResetSQL queues a reset message for the account with an address, only where that address is
// the account's confirmed one, in one statement: an address that belongs to no account, or to one
// that never confirmed it, runs the very same statement and adds no row, so the answer and the work
// are the same whether or not the account exists.
const enqueueResetSQL = `INSERT INTO outbox (id, user_id, kind, period, due_at, attempts, last_error, lease_until, created_at)
	SELECT ?, u.id, ?, ?, ?, 0, '', ?, ? FROM users u JOIN notification_settings s ON s.user_id = u.id
	WHERE u.email = ? AND s.confirmed_email = u.email
	ON CONFLICT (user_id, kind, period) DO NOTHING`

// EnqueuePasswordReset queues a message with a reset link for the account whose address is email
// (normalised as accounts keep it), if that address is confirmed and e-mail is set up. It says
// nothing of whether it queued one. The link itself is made when the message is sent
// (Sender's link for mail.PasswordReset), so it is valid for its full time from then.
func (s *Service) EnqueuePasswordReset(ctx context.Context, email string) error {
	if !s.mail {
		return ErrMailOff
	}
	now := s.nowUTC()
	period := now.Truncate(ResetEvery).Format("2006-01-02T15:04")
	err := s.db.WithContext(ctx).Exec(enqueueResetSQL, token.ID(), mail.PasswordReset, period, now, free, now, email).Error
	if err != nil {
		return fmt.Errorf("notify: reset: %w", err)
	}
	return nil
}

// EnqueuePasswordNotice queues the notice that userID's password was set with a reset link, when e-mail
// is set up; it is sent only to a confirmed address (whatever the other settings say: it is about the
// account's own safety).
func (s *Service) EnqueuePasswordNotice(ctx context.Context, userID string) error {
	if !s.mail {
		return nil
	}
	now := s.nowUTC()
	return s.enqueue(ctx, s.db, userID, mail.PasswordNotice, now.Format(time.RFC3339Nano), now)
}

// WantsUpdates reports whether userID asked for the updates message and this Mend can send it (the
// address is checked when it is sent).
func (s *Service) WantsUpdates(ctx context.Context, userID string) (bool, error) {
	if !s.mail {
		return false, nil
	}
	st, err := s.load(ctx, s.db, userID)
	return st.EmailUpdates, err
}

// ResetLink is the link maker of the reset message: create makes a single-use reset secret for the
// account with an address (account.Service.CreateResetToken), and the link is the /reset/{token} page
// under baseURL, the same page as the operator's command gives.
func ResetLink(create func(ctx context.Context, email string) (string, error), baseURL string) LinkFunc {
	return func(ctx context.Context, _ string, email string) (string, error) {
		plain, err := create(ctx, email)
		if err != nil {
			return "", err
		}
		return strings.TrimRight(baseURL, "/") + "/reset/" + plain, nil
	}
}
