package checkin

import (
	"context"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/database"
)

func BenchmarkZZDraftState(b *testing.B) {
	db, err := database.Open("/tmp/seed4/mend.db", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer database.Close(db)
	ctx := context.Background()
	C, U, W := "gkp7dl5ogjpwla3x2xuoyos5ra", "ugzima6qssrgmalhbj263qrmzu", "2026-W47"
	b.Run("draftState", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := draftState(db.WithContext(ctx), C, W, U); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("weekAnswers", func(b *testing.B) {
		for b.Loop() {
			if _, _, _, err := weekAnswers(db.WithContext(ctx), C, W, U); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("rawExists", func(b *testing.B) {
		r := database.Reader(db)
		for b.Loop() {
			var n int
			if err := r.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM checkin_weeks WHERE couple_id = ? AND week = ?)", C, W).Scan(&n); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gormExists", func(b *testing.B) {
		for b.Loop() {
			var n int
			if err := db.WithContext(ctx).Raw("SELECT EXISTS (SELECT 1 FROM checkin_weeks WHERE couple_id = ? AND week = ?)", C, W).Scan(&n).Error; err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkZZRaw(b *testing.B) {
	db, err := database.Open("/tmp/seed4/mend.db", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer database.Close(db)
	ctx := context.Background()
	C, U, W := "gkp7dl5ogjpwla3x2xuoyos5ra", "ugzima6qssrgmalhbj263qrmzu", "2026-W47"
	r := database.Reader(db)
	var ids []string
	rows, _ := r.QueryContext(ctx, "SELECT id FROM checkin_answers WHERE couple_id = ? AND week = ?", C, W)
	for rows.Next() {
		var id string
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	run := func(name, q string, args ...any) {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				rows, err := r.QueryContext(ctx, q, args...)
				if err != nil {
					b.Fatal(err)
				}
				cols, _ := rows.Columns()
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				for rows.Next() {
					rows.Scan(ptrs...)
				}
				rows.Close()
			}
		})
	}
	run("weekAnswers", weekAnswersSQL, C, W, C, W, U)
	run("answersPlain", "SELECT * FROM checkin_answers WHERE couple_id = ? AND week = ?", C, W)
	run("answersIDs", "SELECT id FROM checkin_answers WHERE couple_id = ? AND week = ?", C, W)
	run("kept", "SELECT * FROM checkin_agreement_answers WHERE answer_id IN (?, ?) ORDER BY answer_id, position", ids[0], ids[1])
	run("keptNoOrder", "SELECT * FROM checkin_agreement_answers WHERE answer_id IN (?, ?)", ids[0], ids[1])
	run("draft", draftStateSQL, C, W, C, W, U)
	run("one", "SELECT 1")
	run("wa2", weekAnswersSQL, C, W, U)
	run("wa2json", `SELECT `+answerCols+`,
	EXISTS (SELECT 1 FROM checkin_weeks AS w WHERE w.couple_id = a.couple_id AND w.week = a.week),
	(SELECT json_group_array(json_array(k.agreement_id, k.title, k.kept, k.position)) FROM checkin_agreement_answers AS k WHERE k.answer_id = a.id)
FROM checkin_answers AS a
WHERE a.couple_id = ? AND a.week = ?
	AND (a.user_id = ? OR EXISTS (SELECT 1 FROM checkin_weeks AS w WHERE w.couple_id = a.couple_id AND w.week = a.week))`, C, W, U)
	run("d1", `SELECT 1 AS opened, '' AS agreement_id, '' AS title, -1 AS position FROM checkin_weeks WHERE couple_id = ? AND week = ?
	UNION ALL
	SELECT 0, k.agreement_id, k.title, k.position FROM checkin_answers a JOIN checkin_agreement_answers k ON k.answer_id = a.id WHERE a.couple_id = ? AND a.week = ? AND a.user_id = ?
	ORDER BY 4`, C, W, C, W, U)
	run("d2", `SELECT k.agreement_id, k.title FROM checkin_answers a JOIN checkin_agreement_answers k ON k.answer_id = a.id WHERE a.couple_id = ? AND a.week = ? AND a.user_id = ? ORDER BY k.position`, C, W, U)
	run("d3", `SELECT k.agreement_id, k.title FROM checkin_agreement_answers k WHERE k.answer_id = (SELECT id FROM checkin_answers a WHERE a.couple_id = ? AND a.week = ? AND a.user_id = ?) ORDER BY k.position`, C, W, U)
	run("k2", "SELECT answer_id, agreement_id, title, kept FROM checkin_agreement_answers WHERE answer_id IN (?, ?) ORDER BY position", ids[0], ids[1])
	run("v1", `SELECT a.*, EXISTS (SELECT 1 FROM checkin_weeks w WHERE w.couple_id = a.couple_id AND w.week = a.week) AS opened FROM checkin_answers a
	WHERE a.couple_id = ? AND a.week = ? AND (a.user_id = ? OR EXISTS (SELECT 1 FROM checkin_weeks WHERE couple_id = ? AND week = ?))`, C, W, U, C, W)
	run("v2", `SELECT o.opened, a.* FROM (SELECT EXISTS (SELECT 1 FROM checkin_weeks WHERE couple_id = ? AND week = ?) AS opened) AS o
	LEFT JOIN checkin_answers AS a ON a.couple_id = ? AND a.week = ?`, C, W, C, W)
	run("v3", `SELECT (SELECT 1 FROM checkin_weeks WHERE couple_id = ? AND week = ?) AS opened`, C, W)
	run("v4", `SELECT a.* FROM checkin_answers a WHERE a.couple_id = ? AND a.week = ? AND (a.user_id = ? OR 1)`, C, W, U)
}

func TestZZReturning(t *testing.T) {
	db, err := database.Open(t.TempDir()+"/x.db", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	db.Exec("CREATE TABLE t (id TEXT PRIMARY KEY, created_at DATETIME NOT NULL, n INTEGER)")
	rows, err := db.Raw("INSERT INTO t (id, created_at, n) VALUES (?, ?, ?) RETURNING id, created_at", "x", time.Now(), nil).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.ColumnTypes()
	for _, c := range cols {
		t.Logf("%s %s", c.Name(), c.DatabaseTypeName())
	}
	for rows.Next() {
		var id string
		var at time.Time
		t.Log(rows.Scan(&id, &at), id, at)
	}
}
