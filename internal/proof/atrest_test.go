package proof

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/plan"
	"github.com/mendhq/mend/internal/question"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/internal/trigger"
	"github.com/mendhq/mend/internal/vault"
)

// atRestCanary is in every text the encryption-at-rest test writes.
const atRestCanary = "zq9atrest"

// writeSealedFields writes a canary into every field sealed so far (internal/vault), through the
// services: a display name (registered, then changed), the trigger log (a trigger, its signal with text, a response), the questions (a question,
// an answer, a follow-up, a pause note), a check-in time-out's note, an agreement (its texts and
// consent-log notes), the plan (an acknowledgment and a response to it, a moment, a plan item's title
// and notes), and a check-in's answers (with a copy of an agreement's title) and reflection (what was
// heard, the response's note, the validating line).
func writeSealedFields(t *testing.T, db *gorm.DB) {
	t.Helper()
	ctx := context.Background()
	clock := testutil.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	p := testutil.NewPair(t, db, clock.Now, false)
	a, b := p.Member(t, p.A), p.Member(t, p.B)
	accounts := account.NewService(db, account.Options{Now: clock.Now})
	u, err := accounts.Register(ctx, "atrest@example.org", "a long and quiet password", atRestCanary+" name")
	must(t, err)
	_, err = accounts.UpdateDisplayName(ctx, u.ID, atRestCanary+" renamed")
	must(t, err)
	triggers := trigger.NewService(db, clock.Now)
	strength := 5
	e, err := triggers.Create(ctx, a, trigger.Input{What: atRestCanary + " what", Strength: &strength, Helped: atRestCanary + " helped"})
	must(t, err)
	_, err = triggers.Signal(ctx, a, e.ID, true)
	must(t, err)
	got, err := triggers.Received(ctx, b)
	must(t, err)
	_, err = triggers.Respond(ctx, b, got[0].ID, trigger.Acknowledge, atRestCanary+" response")
	must(t, err)
	questions := question.NewService(db, clock.Now)
	q, err := questions.Ask(ctx, b, atRestCanary+" question", "")
	must(t, err)
	_, err = questions.Answer(ctx, a, q.ID, atRestCanary+" answer")
	must(t, err)
	_, err = questions.FollowUp(ctx, b, q.ID, atRestCanary+" follow-up")
	must(t, err)
	_, err = questions.StartPause(ctx, a, clock.Now().Add(time.Hour), atRestCanary+" pause note")
	must(t, err)
	checkins := checkin.NewService(db, clock.Now, func(context.Context, *couple.Membership) ([]checkin.AgreementRef, error) {
		return []checkin.AgreementRef{{ID: "at-rest-agreement", Title: atRestCanary + " agreement title"}}, nil
	})
	_, err = checkins.StartTimeout(ctx, b, clock.Now().Add(time.Hour), atRestCanary+" time-out note")
	must(t, err)
	week := checkins.Current(a).String()
	for _, m := range []*couple.Membership{a, b} {
		five := 5
		_, err = checkins.SaveAnswer(ctx, m, week, checkin.AnswerInput{Trust: &five, Connection: &five, Safety: &five,
			Appreciation: atRestCanary + " appreciation", WentWell: atRestCanary + " went well", WasHard: atRestCanary + " was hard",
			Need: atRestCanary + " need", Agreements: []checkin.KeptInput{{AgreementID: "at-rest-agreement", Kept: "kept"}}, Submit: true})
		must(t, err)
	}
	r, err := checkins.Reflect(ctx, a, week, atRestCanary+" heard")
	must(t, err)
	_, err = checkins.Respond(ctx, b, week, r.ID, true, atRestCanary+" response note")
	must(t, err)
	_, err = checkins.Validate(ctx, a, week, r.ID, atRestCanary+" validation")
	must(t, err)
	agreements := agreement.NewService(db, clock.Now)
	ag, err := agreements.Create(ctx, a, agreement.Input{Title: atRestCanary + " title", Body: atRestCanary + " body", Category: "honesty", ReviewOn: "2027-01-25"})
	must(t, err)
	_, err = agreements.Accept(ctx, b, ag.ID, 1, atRestCanary+" accepted")
	must(t, err)
	_, err = agreements.Review(ctx, a, ag.ID, "2027-02-01", atRestCanary+" reviewed")
	must(t, err)
	_, err = agreements.Withdraw(ctx, a, ag.ID, atRestCanary+" withdrawn")
	must(t, err)
	plans := plan.NewService(db, clock.Now, nil)
	_, err = plans.SaveAcknowledgment(ctx, a, plan.AckText{WhatHappened: atRestCanary + " what happened", Responsibility: atRestCanary + " responsibility",
		Impact: atRestCanary + " impact", Commitments: []string{atRestCanary + " commitment"}}, true)
	must(t, err)
	_, err = plans.Respond(ctx, b, plan.ResponseNeedMore, atRestCanary+" response note")
	must(t, err)
	_, err = plans.AddMoment(ctx, b, plan.MomentInput{Kind: "kindness", Note: atRestCanary + " moment", Shared: true})
	must(t, err)
	_, err = plans.AddItem(ctx, a, plan.ItemInput{Title: atRestCanary + " item", Notes: atRestCanary + " item notes"})
	must(t, err)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestSealedFieldsNeverReachTheDisk writes a canary into every field sealed so far and finds it in no
// file of the SQLite database (the file and its WAL, as they are, not checkpointed) nor in a mend
// backup of it; on PostgreSQL, in no row of any table nor in a pg_dump of the database.
func TestSealedFieldsNeverReachTheDisk(t *testing.T) {
	t.Parallel()
	t.Run(config.EngineSQLite, func(t *testing.T) {
		t.Parallel()
		db, path := testutil.NewDB(t)
		writeSealedFields(t, db)
		backup := filepath.Join(filepath.Dir(path), "backup.db")
		must(t, database.Backup(context.Background(), db, backup))
		files := 0
		for _, f := range []string{path, path + "-wal", backup} {
			b, err := os.ReadFile(f)
			if os.IsNotExist(err) {
				continue
			}
			must(t, err)
			files++
			if bytes.Contains(b, []byte(atRestCanary)) {
				t.Errorf("%s holds the canary in the clear", filepath.Base(f))
			}
		}
		if files < 2 {
			t.Fatalf("read %d files, so the test would prove nothing", files)
		}
	})
	t.Run(config.EnginePostgres, func(t *testing.T) {
		t.Parallel()
		db, u := testutil.NewPostgresDB(t)
		writeSealedFields(t, db)
		dump, err := exec.Command("pg_dump", "--data-only", "--dbname="+u).Output()
		must(t, err)
		if bytes.Contains(dump, []byte(atRestCanary)) || !bytes.Contains(dump, []byte(vault.Prefix)) {
			t.Errorf("the pg_dump holds the canary in the clear, or no sealed value (%d bytes)", len(dump))
		}
		var tables []string
		must(t, db.Raw("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").Scan(&tables).Error)
		if len(tables) < 10 {
			t.Fatalf("found %d tables", len(tables))
		}
		for _, table := range tables {
			var n int64
			must(t, db.Raw("SELECT count(*) FROM "+table+" t WHERE t::text LIKE ?", "%"+atRestCanary+"%").Scan(&n).Error)
			if n > 0 {
				t.Errorf("%s: %d rows hold the canary in the clear", table, n)
			}
		}
	})
}
