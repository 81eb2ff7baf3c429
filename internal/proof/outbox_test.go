package proof

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/mail/mailtest"
	"github.com/mendhq/mend/internal/token"
)

// pulseEnv is the environment of a mend binary that sends mail to srv over STARTTLS, trusting the
// server's test certificate through SSL_CERT_FILE.
func pulseEnv(t *testing.T, srv *mailtest.Server, dataDir string) []string {
	t.Helper()
	certFile := filepath.Join(t.TempDir(), "smtp-ca.pem")
	if err := os.WriteFile(certFile, srv.CertPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return []string{"MEND_DATA_DIR=" + dataDir, "MEND_BASE_URL=http://127.0.0.1:8080", "MEND_LOG_LEVEL=info",
		fmt.Sprintf("MEND_SMTP_URL=smtp://127.0.0.1:%d", srv.Port), "MEND_MAIL_FROM=notes@example.org", "SSL_CERT_FILE=" + certFile}
}

// seedDueReminder makes, in a fresh database in dataDir, a person whose weekly reminder is due now by
// the wall clock: a couple in a fixed-offset zone where it is between 03:00 and 20:00, with today as
// its check-in day and the reminder hour an hour ago. It returns the person's address.
func seedDueReminder(t *testing.T, dataDir string) string {
	t.Helper()
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		t.Fatal(err)
	}
	var loc *time.Location
	for off := -12; off <= 12 && loc == nil; off++ {
		name := fmt.Sprintf("Etc/GMT%+d", off)
		if off == 0 {
			name = "Etc/GMT"
		}
		l, err := time.LoadLocation(name)
		if h := time.Now().In(l).Hour(); err == nil && h >= 3 && h <= 20 {
			loc = l
		}
	}
	now := time.Now().In(loc)
	db, err := database.Open(filepath.Join(dataDir, "mend.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	ctx := context.Background()
	if err := database.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	id, email := token.ID(), "outbox-person@example.org"
	at := time.Now().UTC()
	// Set up directly: an account, and reminders on for an address already confirmed (the confirmation
	// flow itself is TestConfirmationLinks and TestNotificationSettingsFromOptInToConfirmedAddress).
	steps := []error{
		db.Exec("INSERT INTO users (id, email, display_name, password_hash, created_at, updated_at) VALUES (?, ?, 'Person', 'x', ?, ?)", id, email, at, at).Error,
		db.Exec("INSERT INTO notification_settings (user_id, email_reminders, reminder_hour, confirmed_email, confirmed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
			id, true, now.Hour()-1, email, at, at).Error,
	}
	_, err = couple.NewService(db, nil).Start(ctx, id, loc.String(), couple.Weekdays[now.Weekday()])
	for _, e := range append(steps, err) {
		if e != nil {
			t.Fatalf("seed: %v", e)
		}
	}
	return email
}

// outboxRow is the reminder's row as the database holds it.
type outboxRow struct {
	Attempts   int
	SentAt     *time.Time
	LeaseUntil time.Time
	Rows       int
}

func readOutbox(t *testing.T, dataDir string, expireLease bool) outboxRow {
	t.Helper()
	db, err := database.Open(filepath.Join(dataDir, "mend.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	var r outboxRow
	var n int64
	db.Raw("SELECT count(*) FROM outbox WHERE kind = 'reminder'").Scan(&n)
	r.Rows = int(n)
	if err := db.Raw("SELECT attempts, sent_at, lease_until FROM outbox WHERE kind = 'reminder'").Row().Scan(&r.Attempts, &r.SentAt, &r.LeaseUntil); err != nil {
		t.Fatalf("outbox: %v", err)
	}
	if expireLease {
		// The lease's two minutes pass: the test moves lease_until into the past rather than wait.
		if err := db.Exec("UPDATE outbox SET lease_until = ? WHERE kind = 'reminder'", time.Now().UTC().Add(-time.Second)).Error; err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// notifyOnce runs `mend notify --once` to the end and returns its output.
func notifyOnce(t *testing.T, bin string, env []string) string {
	t.Helper()
	cmd := exec.Command(bin, "notify", "--once")
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("mend notify --once: %v\n%s", err, out.String())
	}
	return out.String()
}

// TestKillNineBetweenChoosingAndSendingNeitherLosesNorDoublesAReminder covers SECURITY L3 on the built
// binary: `mend notify --once` chooses a due reminder and is killed with SIGKILL while the SMTP server
// (real, STARTTLS) holds its DATA, so the message was not accepted. The reminder is not lost: its row
// keeps its lease, and a second run while the lease holds sends nothing (the first instance might still
// be alive); once the lease has passed, the next run sends it exactly once, and later runs (each also
// scheduling again) add no second reminder.
func TestKillNineBetweenChoosingAndSendingNeitherLosesNorDoublesAReminder(t *testing.T) {
	t.Parallel()
	bin := buildMend(t)
	srv := mailtest.Start(t, mailtest.Options{})
	dataDir := filepath.Join(t.TempDir(), "data")
	email := seedDueReminder(t, dataDir)
	env := pulseEnv(t, srv, dataDir)

	holding := srv.HoldData()
	cmd := exec.Command(bin, "notify", "--once")
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-holding:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("mend notify never reached DATA:\n%s", out.String())
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil {
		t.Fatal("mend notify exited cleanly after SIGKILL")
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("%d messages accepted before the kill", n)
	}
	row := readOutbox(t, dataDir, false)
	if row.Rows != 1 || row.Attempts != 1 || row.SentAt != nil || !row.LeaseUntil.After(time.Now()) {
		t.Fatalf("after the kill: %+v", row)
	}
	srv.Release()

	if got := notifyOnce(t, bin, env); !strings.Contains(got, "sent: 0") || len(srv.Messages()) != 0 {
		t.Fatalf("a run while the lease holds sent the reminder:\n%s", got)
	}
	readOutbox(t, dataDir, true)
	if got := notifyOnce(t, bin, env); !strings.Contains(got, "sent: 1") {
		t.Fatalf("after the lease passed:\n%s", got)
	}
	msgs := srv.Wait(t, 1, 10*time.Second)
	if msgs[0].To[0] != email || !msgs[0].TLS {
		t.Errorf("delivered to %v over TLS %v", msgs[0].To, msgs[0].TLS)
	}
	for range 2 {
		notifyOnce(t, bin, env)
	}
	row = readOutbox(t, dataDir, false)
	if n := len(srv.Messages()); n != 1 || row.Rows != 1 || row.SentAt == nil || row.Attempts != 2 {
		t.Errorf("after more runs: %d messages, row %+v", n, row)
	}
}

// TestServeSendsInTheBackgroundAndStopsOnSIGTERM: `mend serve` with e-mail set up delivers a due
// reminder by itself, and SIGTERM stops its sender with the server: exit 0, a clean stop in the log.
func TestServeSendsInTheBackgroundAndStopsOnSIGTERM(t *testing.T) {
	t.Parallel()
	bin := buildMend(t)
	srv := mailtest.Start(t, mailtest.Options{})
	dataDir := filepath.Join(t.TempDir(), "data")
	email := seedDueReminder(t, dataDir)
	proc := startMend(t, bin, freePort(t), dataDir, pulseEnv(t, srv, dataDir)...)
	if got := srv.Wait(t, 1, 30*time.Second); got[0].To[0] != email {
		t.Errorf("sent to %v", got[0].To)
	}
	if err := proc.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, proc.stderr.String())
	}
	for _, want := range []string{`"msg":"mail sent"`, `"msg":"mail sender stopped"`, `"msg":"stopped"`} {
		if !strings.Contains(proc.stderr.String(), want) {
			t.Errorf("no %s in the log:\n%s", want, proc.stderr.String())
		}
	}
	if strings.Contains(proc.stderr.String(), email) {
		t.Error("the recipient's address is in the log")
	}
}
