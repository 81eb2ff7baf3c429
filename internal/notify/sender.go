package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/mendhq/mend/internal/mail"
)

// LinkFunc makes the single-use link of a message kind that carries one (mail.Kind.NeedsLink), at the
// moment the message is sent, for userID whose address is email.
type LinkFunc func(ctx context.Context, userID, email string) (string, error)

// Sender delivers the outbox's due messages through a mail.Sender.
type Sender struct {
	svc   *Service
	mail  mail.Sender
	log   *slog.Logger
	links map[mail.Kind]LinkFunc
}

// NewSender returns a Sender over svc's outbox. links adds link makers for kinds other than the
// confirmation (such as a password reset's); the confirmation's is built in.
func (s *Service) NewSender(m mail.Sender, log *slog.Logger, links map[mail.Kind]LinkFunc) *Sender {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	all := map[mail.Kind]LinkFunc{mail.ConfirmEmail: s.mintConfirm}
	for k, f := range links {
		all[k] = f
	}
	return &Sender{svc: s, mail: m, log: log, links: all}
}

// Result counts what one run did.
type Result struct {
	Scheduled, Sent, Failed, Dropped int
}

// maxPerRun bounds one run, so a run always ends.
const maxPerRun = 1000

// RunOnce schedules the reminders that are due and sends every due message once, then returns.
func (x *Sender) RunOnce(ctx context.Context) (Result, error) {
	var r Result
	n, err := x.svc.ScheduleReminders(ctx)
	r.Scheduled = n
	if err != nil {
		return r, err
	}
	for range maxPerRun {
		if err := ctx.Err(); err != nil {
			return r, nil
		}
		m, err := x.svc.claim(ctx)
		if err != nil {
			return r, err
		}
		if m == nil {
			return r, nil
		}
		outcome, err := x.deliver(ctx, m)
		if ok, ferr := x.svc.finish(context.WithoutCancel(ctx), m, outcome, err); ferr != nil {
			return r, ferr
		} else if !ok {
			x.log.Warn("mail lease lost", "id", m.ID, "kind", string(m.Kind))
		}
		switch outcome {
		case "sent":
			r.Sent++
			x.log.Info("mail sent", "id", m.ID, "kind", string(m.Kind), "attempts", m.Attempts)
		case "dropped":
			r.Dropped++
			x.log.Info("mail not needed", "id", m.ID, "kind", string(m.Kind), "reason", err.Error())
		default:
			r.Failed++
			x.log.Warn("mail failed", "id", m.ID, "kind", string(m.Kind), "attempts", m.Attempts, "error", err.Error())
		}
	}
	return r, nil
}

// Run calls RunOnce now and then every interval until ctx ends; an error is logged, not fatal.
func (x *Sender) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := x.RunOnce(ctx); err != nil && ctx.Err() == nil {
			x.log.Error("mail run failed", "error", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// errNotNeeded marks a message that is no longer to be sent; its text says why.
type errNotNeeded string

func (e errNotNeeded) Error() string { return string(e) }

// deliver decides whether m is still wanted, writes it and sends it. It returns "sent", "dropped"
// (with the reason) or "failed" (with the error).
func (x *Sender) deliver(ctx context.Context, m *Message) (string, error) {
	email, err := x.svc.wanted(ctx, m)
	var nn errNotNeeded
	if errors.As(err, &nn) {
		return "dropped", err
	}
	if err != nil {
		return "failed", err
	}
	link := ""
	if m.Kind.NeedsLink() {
		f := x.links[m.Kind]
		if f == nil {
			return "dropped", errNotNeeded("no link maker for " + string(m.Kind))
		}
		if link, err = f(ctx, m.UserID, email); err != nil {
			return "failed", err
		}
	}
	msg, err := mail.Compose(m.Kind, email, x.svc.baseURL, link)
	if err != nil {
		return "dropped", errNotNeeded(err.Error())
	}
	sctx, cancel := context.WithTimeout(ctx, mail.Timeout+10*time.Second)
	defer cancel()
	if err := x.mail.Send(sctx, msg); err != nil {
		return "failed", errors.New(mail.Redact(err.Error(), email))
	}
	return "sent", nil
}

// wanted returns the address to send m to, or errNotNeeded when the person no longer wants it: the
// setting is off, the address is not confirmed, or (for a reminder) the week has passed or the answers
// were shared since it was scheduled.
func (s *Service) wanted(ctx context.Context, m *Message) (string, error) {
	var emails []string
	if err := s.db.WithContext(ctx).Table("users").Where("id = ?", m.UserID).Pluck("email", &emails).Error; err != nil {
		return "", fmt.Errorf("notify: recipient: %w", err)
	}
	if len(emails) != 1 {
		return "", errNotNeeded("no such account")
	}
	email := emails[0]
	st, err := s.load(ctx, s.db, m.UserID)
	if err != nil {
		return "", err
	}
	ok := confirmed(st, email)
	switch m.Kind {
	case mail.ConfirmEmail:
		if ok {
			return "", errNotNeeded("already confirmed")
		}
		return email, nil
	case mail.Reminder:
		if !st.EmailReminders || !ok {
			return "", errNotNeeded("reminders are off")
		}
		return email, s.stillDue(ctx, m)
	case mail.Updates:
		ok = ok && st.EmailUpdates
	case mail.SignInAlert:
		ok = ok && st.EmailSignInAlerts
	}
	if !ok {
		return "", errNotNeeded("turned off or not confirmed")
	}
	return email, nil
}

// stillDue checks that a reminder's week is the couple's current week and that the person has not
// shared their answers for it.
func (s *Service) stillDue(ctx context.Context, m *Message) error {
	mem, err := s.src.Membership(ctx, m.UserID)
	if err != nil {
		return err
	}
	if mem == nil {
		return errNotNeeded("no couple")
	}
	week, shared, err := s.src.Shared(ctx, mem)
	switch {
	case err != nil:
		return err
	case week != m.Period || weekKey(s.now(), mem.Location) != m.Period:
		return errNotNeeded("the week has passed")
	case shared:
		return errNotNeeded("answers shared")
	}
	return nil
}
