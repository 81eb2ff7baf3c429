package database_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/migrations"
)

// row is one row of the populated-migration fixture.
type row struct {
	table  string
	values map[string]any
}

// backfilled names the tables whose migration writes their rows from the rows already there: for
// them, TestMigrateStepByStepKeepsRows checks that populatedRows' rows are there instead of writing them.
var backfilled = map[string]bool{"checkin_week_facts": true, "checkin_rating_facts": true, "checkin_safety_facts": true, "agreement_facts": true}

// populatedRows holds at least one row for every table, in an order that satisfies the foreign keys.
// A new migration's table needs a row here (TestMigrateStepByStepKeepsRows says so); a new column of
// an existing table needs one only if it has no default. A table its migration fills from existing data
// lists the rows that backfill must write (backfilled).
func populatedRows() []row {
	at := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	later := at.Add(24 * time.Hour)
	return []row{
		{"users", map[string]any{"id": "u1", "email": "one@example.org", "display_name": "One", "password_hash": "h1", "created_at": at, "updated_at": at}},
		{"users", map[string]any{"id": "u2", "email": "two@example.org", "display_name": "Two", "password_hash": "h2", "created_at": at, "updated_at": at}},
		{"sessions", map[string]any{"id": "s1", "user_id": "u1", "kind": "browser", "user_agent": "test", "created_at": at, "last_seen_at": at, "reauth_at": at}},
		{"user_tokens", map[string]any{"hash": "t1", "user_id": "u1", "purpose": "password_reset", "created_at": at, "expires_at": later}},
		{"couples", map[string]any{"id": "c1", "timezone": "Europe/London", "checkin_weekday": 0, "created_at": at}},
		{"couple_members", map[string]any{"couple_id": "c1", "user_id": "u1", "role": "hurt", "joined_at": at}},
		{"couple_members", map[string]any{"couple_id": "c1", "user_id": "u2", "role": "", "joined_at": at}},
		{"invites", map[string]any{"id": "i1", "couple_id": "c1", "token_hash": "ih1", "created_by": "u1", "created_at": at, "expires_at": later, "used_at": at, "used_by": "u2"}},
		{"agreements", map[string]any{"id": "a1", "couple_id": "c1", "created_at": at}},
		{"agreement_versions", map[string]any{"id": "av1", "agreement_id": "a1", "number": 1, "author_id": "u1", "title": "Phones", "body": "Open phones.",
			"category": "transparency", "review_on": "2026-12-25", "ends_on": "2027-01-25", "created_at": at}},
		{"agreement_events", map[string]any{"id": "ae1", "agreement_id": "a1", "seq": 1, "version": 1, "actor_id": "u1", "action": "proposed", "created_at": at}},
		{"agreement_events", map[string]any{"id": "ae2", "agreement_id": "a1", "seq": 2, "version": 1, "actor_id": "u2", "action": "accepted", "note": "yes", "created_at": at}},
		{"checkin_answers", map[string]any{"id": "ca1", "couple_id": "c1", "week": "2026-W48", "user_id": "u1", "skip": false, "appreciation": "thanks",
			"trust": 5, "connection": 6, "safety": 7, "created_at": at, "updated_at": at, "submitted_at": at}},
		{"checkin_answers", map[string]any{"id": "ca2", "couple_id": "c1", "week": "2026-W48", "user_id": "u2", "skip": false, "created_at": at, "updated_at": at, "submitted_at": at}},
		{"checkin_agreement_answers", map[string]any{"answer_id": "ca1", "agreement_id": "a1", "title": "Phones", "kept": "kept", "position": 0}},
		{"checkin_weeks", map[string]any{"couple_id": "c1", "week": "2026-W48", "opened_at": at}},
		{"checkin_passed_weeks", map[string]any{"couple_id": "c1", "week": "2026-W47", "passed_at": at}},
		{"checkin_reflections", map[string]any{"id": "cr1", "couple_id": "c1", "week": "2026-W48", "listener_id": "u2", "author_id": "u1", "text": "I heard you.",
			"accurate": true, "responded_at": at, "created_at": at}},
		{"checkin_timeouts", map[string]any{"id": "ct1", "couple_id": "c1", "user_id": "u1", "created_at": at, "until_at": later, "ended_at": at, "ended_by": "u2"}},
		{"plan_items", map[string]any{"couple_id": "c1", "id": "honesty", "starter": "honesty", "created_at": at, "done_at": at}},
		{"plan_items", map[string]any{"couple_id": "c1", "id": "p1", "created_by": "u1", "title": "Walks", "position": 1, "created_at": at}},
		{"plan_marks", map[string]any{"couple_id": "c1", "item_id": "p1", "user_id": "u2", "did_my_part": true, "noticed": false, "updated_at": at}},
		{"plan_events", map[string]any{"id": "pe1", "couple_id": "c1", "item_id": "p1", "user_id": "u2", "what": "done", "created_at": at}}, // step 6 copies it to plan_marks.done_at
		{"plan_therapy_decisions", map[string]any{"id": "pt1", "couple_id": "c1", "user_id": "u1", "decision": "considering", "revisit_on": "2027-02-01", "created_at": at}},
		{"plan_therapy_asks", map[string]any{"couple_id": "c1", "user_id": "u2", "asked_at": at}},
		{"acknowledgments", map[string]any{"id": "k1", "couple_id": "c1", "author_id": "u2", "created_at": at}},
		{"acknowledgment_versions", map[string]any{"acknowledgment_id": "k1", "number": 1, "what_happened": "w", "responsibility": "r", "impact": "i",
			"commitments": "c", "created_at": at, "shared_at": at}},
		{"acknowledgment_responses", map[string]any{"id": "kr1", "acknowledgment_id": "k1", "version": 1, "responder_id": "u1", "status": "read", "created_at": at}},
		{"moments", map[string]any{"id": "m1", "couple_id": "c1", "author_id": "u1", "kind": "kindness", "on_date": "2026-11-24", "note": "tea", "shared": true, "created_at": at}},
		{"notification_settings", map[string]any{"user_id": "u1", "email_reminders": true, "reminder_hour": 20, "confirmed_email": "one@example.org", "confirmed_at": at, "updated_at": at}},
		{"notify_tokens", map[string]any{"hash": "nt1", "user_id": "u1", "purpose": "calendar", "created_at": at}},
		{"outbox", map[string]any{"id": "o1", "user_id": "u1", "kind": "reminder", "period": "2026-W48", "due_at": at, "lease_until": at, "created_at": at}},
		{"update_marks", map[string]any{"user_id": "u1", "mark": "page:/acknowledgment", "seen_at": at}},
		{"triggers", map[string]any{"id": "tr1", "couple_id": "c1", "author_id": "u1", "at": at, "what": "a song", "strength": 6, "created_at": at, "updated_at": at}},
		{"trigger_signals", map[string]any{"id": "ts1", "couple_id": "c1", "trigger_id": "tr1", "author_id": "u1", "created_at": at}},
		{"trigger_responses", map[string]any{"id": "tp1", "couple_id": "c1", "signal_id": "ts1", "responder_id": "u2", "kind": "reassure", "text": "I am here.", "created_at": at}},
		{"questions", map[string]any{"id": "q1", "couple_id": "c1", "asker_id": "u1", "text": "Why?", "created_at": at}},
		{"question_answers", map[string]any{"id": "qa1", "couple_id": "c1", "question_id": "q1", "author_id": "u2", "version": 1, "text": "Because.", "created_at": at}},
		{"question_follow_ups", map[string]any{"id": "qf1", "couple_id": "c1", "question_id": "q1", "author_id": "u1", "text": "And then?", "created_at": at}},
		{"question_pauses", map[string]any{"id": "qp1", "couple_id": "c1", "user_id": "u1", "created_at": at, "until_at": later}},
		{"monthly_answers", map[string]any{"id": "ma1", "couple_id": "c1", "week": "2026-W49", "user_id": "u1", "honesty": 5, "created_at": at, "updated_at": at, "submitted_at": at}},
		{"monthly_weeks", map[string]any{"couple_id": "c1", "week": "2026-W49", "opened_at": at}},
		{"account_events", map[string]any{"id": "ev1", "user_id": "u1", "kind": "sign_in", "device": "Firefox on Linux", "created_at": at}},
		{"totp_factors", map[string]any{"user_id": "u1", "secret": "JBSWY3DPEHPK3PXP", "created_at": at, "confirmed_at": at, "last_step": 59000000}},
		{"recovery_codes", map[string]any{"user_id": "u1", "hash": "rh1", "created_at": at}},
		{"second_factor_challenges", map[string]any{"hash": "ch1", "user_id": "u1", "purpose": "sign_in", "kind": "api", "created_at": at, "expires_at": later}},
		{"throttle_keys", map[string]any{"key": "k1", "seen_at": at}},
		{"throttle_hits", map[string]any{"id": "th1", "key": "k1", "at": at}},
		{"passkeys", map[string]any{"id": "pk1", "user_id": "u1", "credential_id": "Y3JlZA", "name": "Phone", "credential": "{}", "sign_count": 3, "created_at": at, "last_used_at": at}},
		{"passkey_ceremonies", map[string]any{"hash": "pc1", "user_id": "u1", "purpose": "second_factor", "kind": "browser", "challenge_hash": "ch1", "data": "{}", "created_at": at, "expires_at": later}},
		// Step 19 keeps the derived facts: the opened week W48 with u1's kept answer and the confirmed
		// reflection, both people's ratings (u2 gave none), and u1's own safety rating.
		{"checkin_week_facts", map[string]any{"couple_id": "c1", "week": "2026-W48", "opened_at": at, "kept": 1, "partly": 0, "not_kept": 0, "not_sure": 0, "confirmed": 1}},
		{"checkin_rating_facts", map[string]any{"couple_id": "c1", "week": "2026-W48", "user_id": "u1", "trust": 5, "connection": 6}},
		{"checkin_rating_facts", map[string]any{"couple_id": "c1", "week": "2026-W48", "user_id": "u2", "trust": nil, "connection": nil}},
		{"checkin_safety_facts", map[string]any{"couple_id": "c1", "user_id": "u1", "week": "2026-W48", "safety": 7}},
		// and the agreement's: its version 1, proposed by u1 and accepted by u2 at the same moment.
		{"agreement_facts", map[string]any{"agreement_id": "a1", "couple_id": "c1", "both_accepted": true, "withdrawn": false, "ends_on": "2027-01-25",
			"first_both_accepted_at": at}},
	}
}

// laterBackfills are backfilled rows as a later migration completes them (columns it adds and fills
// from the data), checked once every step has run.
func laterBackfills(fixture []row) []row {
	var at any
	for _, r := range fixture {
		if r.table == "agreement_facts" {
			at = r.values["first_both_accepted_at"]
		}
	}
	return []row{
		// 00020: the latest version's number, its two accepters, its review date and when it last changed.
		{"agreement_facts", map[string]any{"agreement_id": "a1", "version": 1, "accepted_by": "u1", "also_accepted_by": "u2",
			"review_on": "2026-12-25", "updated_at": at}},
	}
}

// TestMigrateStepByStepKeepsRows migrates each engine one step at a time, writing rows into every
// table as soon as it exists, and checks at the end that every row is still there: no later step loses
// what an earlier one held (SECURITY I6).
func TestMigrateStepByStepKeepsRows(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db := newUnmigratedDB(t, engine)
			ctx := context.Background()
			fixture := populatedRows()
			written := make([]bool, len(fixture))
			want := map[string]int64{}
			for step := int64(1); step <= migrations.Latest(); step++ {
				if err := database.MigrateUpTo(ctx, db, step); err != nil {
					t.Fatalf("step %d: %v", step, err)
				}
				tables := tableNames(t, db)
				for i, r := range fixture {
					if written[i] || !slices.Contains(tables, r.table) {
						continue
					}
					if backfilled[r.table] {
						var n int64
						if err := db.WithContext(ctx).Table(r.table).Where(r.values).Count(&n).Error; err != nil || n != 1 {
							t.Errorf("step %d: %s holds %d rows %v after its backfill (%v), want 1", step, r.table, n, r.values, err)
						}
					} else if err := db.WithContext(ctx).Table(r.table).Create(onlyColumns(t, db, r)).Error; err != nil {
						t.Fatalf("step %d: insert into %s: %v", step, r.table, err)
					}
					written[i] = true
					want[r.table]++
				}
			}
			for _, r := range laterBackfills(fixture) {
				var n int64
				if err := db.WithContext(ctx).Table(r.table).Where(r.values).Count(&n).Error; err != nil || n != 1 {
					t.Errorf("after the last step, %s holds %d rows %v (%v), want 1: a later migration's backfill of its columns", r.table, n, r.values, err)
				}
			}
			for _, table := range tableNames(t, db) {
				if want[table] == 0 {
					t.Errorf("table %s has no row in populatedRows: add one so this test covers it", table)
					continue
				}
				var got int64
				if err := db.WithContext(ctx).Table(table).Count(&got).Error; err != nil {
					t.Fatal(err)
				}
				if got != want[table] {
					t.Errorf("table %s holds %d rows after migrating, want %d", table, got, want[table])
				}
			}
		})
	}
}

// onlyColumns returns r's values for the columns its table has at this step.
func onlyColumns(t *testing.T, db *gorm.DB, r row) map[string]any {
	t.Helper()
	cols, err := db.Migrator().ColumnTypes(r.table)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]any{}
	for _, c := range cols {
		if v, ok := r.values[c.Name()]; ok {
			out[c.Name()] = v
		}
	}
	return out
}

// newUnmigratedDB returns an empty database on engine, opened as Mend opens it.
func newUnmigratedDB(t *testing.T, engine string) *gorm.DB {
	t.Helper()
	cfg := config.Config{DataDir: t.TempDir()}
	if engine == config.EnginePostgres {
		cfg.DatabaseURL = testutil.NewEmptyPostgresURL(t)
	}
	db, err := database.Connect(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) })
	return db
}
