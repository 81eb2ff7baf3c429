package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/mail"
	"github.com/mendhq/mend/internal/notify"
)

const notifyHelp = `Usage: mend notify --once

Queues the weekly reminders whose time has come, sends every message waiting in the outbox once, and
exits: for deployments that prefer cron (every few minutes) to the sender mend serve runs in the
background. It needs MEND_SMTP_URL and MEND_MAIL_FROM. A message that another instance is sending right
now is left to it; a message that fails is tried again later, with a growing wait.
`

// errMailOff is the answer of mend notify where e-mail is not set up.
var errMailOff = errors.New("e-mail is not set up: set MEND_SMTP_URL and MEND_MAIL_FROM (see README, E-mail)")

// senderEvery is how often mend serve's background sender looks for due messages.
const senderEvery = time.Minute

func cmdNotify(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if wantsHelp(args, stdout, notifyHelp) {
		return nil
	}
	if len(args) != 1 || args[0] != "--once" {
		fmt.Fprint(stdout, notifyHelp)
		return errUsage
	}
	log := newLogger(stderr, getenv)
	cfg, db, err := open(ctx, getenv, log)
	if err != nil {
		return err
	}
	defer closeDB(db)
	if !cfg.MailEnabled() {
		return errMailOff
	}
	r, err := newSender(cfg, db, log).RunOnce(ctx)
	fmt.Fprintf(stdout, "reminders queued: %d, sent: %d, failed (to be tried again): %d, no longer needed: %d\n",
		r.Scheduled, r.Sent, r.Failed, r.Dropped)
	return err
}

// newSender builds the outbox's sender over db, as the server builds the pulse's service: the same
// reads of couples, check-ins and agreements, and the SMTP server of the configuration.
func newSender(cfg config.Config, db *gorm.DB, log *slog.Logger) *notify.Sender {
	src := notify.FromServices(couple.NewService(db, nil), checkin.NewService(db, nil, nil), agreement.NewService(db, nil))
	svc := notify.NewService(db, src, notify.Options{BaseURL: cfg.BaseURL, MailEnabled: true})
	accounts := account.NewService(db, account.Options{})
	links := map[mail.Kind]notify.LinkFunc{mail.PasswordReset: notify.ResetLink(accounts.CreateResetToken, cfg.BaseURL)}
	return svc.NewSender(mail.NewSMTP(*cfg.SMTP, cfg.MailFrom, nil), log, links)
}

// startSender runs the background sender of mend serve until ctx ends, when e-mail is set up; the
// returned function waits for it to stop (a send in progress is cut off and tried again later).
func startSender(ctx context.Context, cfg config.Config, db *gorm.DB, log *slog.Logger) (wait func()) {
	if !cfg.MailEnabled() {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		newSender(cfg, db, log).Run(ctx, senderEvery)
	}()
	return func() {
		<-done
		log.Info("mail sender stopped")
	}
}
