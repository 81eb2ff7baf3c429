package notify_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/mail"
	"github.com/mendhq/mend/internal/notify"
	"github.com/mendhq/mend/internal/testutil"
)

// TestTwoSendersOnPostgresSendEachMessageOnce covers SECURITY L3 and M1 with two instances at once:
// two senders, each over its own connection pool to one PostgreSQL database, run together again and
// again over 40 due confirmation messages; every address gets exactly one.
func TestTwoSendersOnPostgresSendEachMessageOnce(t *testing.T) {
	t.Parallel()
	db, u := testutil.NewPostgresDB(t)
	f := newFixtureOver(t, db, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	const people = 40
	want := map[string]bool{}
	for i := range people {
		id, email := f.user(t, fmt.Sprintf("Person%d", i))
		if err := f.svc.RequestConfirm(ctx, id, email); err != nil {
			t.Fatal(err)
		}
		want[email] = true
	}
	other, err := database.OpenPostgres(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(other) })
	second := notify.NewService(other, notify.FromServices(f.couples, f.checkins, f.agreements),
		notify.Options{Now: f.clock.Now, BaseURL: base, MailEnabled: true}).
		NewSender(mail.NewSMTP(f.smtp.Config(), "Notes <notes@example.org>", f.smtp.TLSConfig()), nil, nil)
	var sent [2]int
	for round := range 3 {
		var wg sync.WaitGroup
		for i, s := range []*notify.Sender{f.sender, second} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := s.RunOnce(ctx)
				if err != nil {
					t.Errorf("round %d, sender %d: %v", round, i, err)
				}
				sent[i] += r.Sent
			}()
		}
		wg.Wait()
	}
	if sent[0]+sent[1] != people {
		t.Errorf("the senders report %d and %d sent, want %d in all", sent[0], sent[1], people)
	}
	got := map[string]int{}
	for _, m := range f.smtp.Wait(t, people, 10*time.Second) {
		got[m.To[0]]++
	}
	for email := range want {
		if got[email] != 1 {
			t.Errorf("%s got %d confirmation messages, want 1", email, got[email])
		}
	}
	if len(got) != people {
		t.Errorf("%d addresses got mail, want %d", len(got), people)
	}
}
