package database

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// traceRecorder is a GORM logger that records which statements reached it.
type traceRecorder struct {
	logger.Interface
	got []string
}

func (r *traceRecorder) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	sql, _ := fc()
	r.got = append(r.got, sql)
}

func TestQuietLoggerPassesOnlyFailedAndSlowStatements(t *testing.T) {
	t.Parallel()
	rec := &traceRecorder{}
	q := quietLogger{Interface: rec, slow: 100 * time.Millisecond}
	built := 0
	stmt := func(sql string) func() (string, int64) {
		return func() (string, int64) { built++; return sql, 1 }
	}
	ctx := context.Background()
	q.Trace(ctx, time.Now(), stmt("fast"), nil)
	q.Trace(ctx, time.Now(), stmt("not found"), gorm.ErrRecordNotFound)
	q.Trace(ctx, time.Now(), stmt("failed"), errors.New("disk I/O error"))
	q.Trace(ctx, time.Now().Add(-time.Second), stmt("slow"), nil)
	if len(rec.got) != 2 || rec.got[0] != "failed" || rec.got[1] != "slow" {
		t.Errorf("statements passed on: %q, want the failed and the slow one", rec.got)
	}
	if built != 2 {
		t.Errorf("the statement text was built %d times, want only for the 2 logged", built)
	}
}

// TestLoggedStatementsShowNoValues makes a statement fail through a database opened as Mend opens it
// and checks the log shows the statement with placeholders, never the value bound to it.
func TestLoggedStatementsShowNoValues(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	db, err := Open(filepath.Join(t.TempDir(), "log.db"), slog.New(slog.NewJSONHandler(&buf, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer Close(db)
	if err := db.Exec("INSERT INTO missing_table (x) VALUES (?)", "zq9-secret-value").Error; err == nil {
		t.Fatal("the insert into a missing table succeeded")
	}
	if !strings.Contains(buf.String(), "missing_table") {
		t.Fatalf("the failed statement was not logged: %s", buf.String())
	}
	if strings.Contains(buf.String(), "zq9-secret-value") {
		t.Errorf("a bound value reached the log: %s", buf.String())
	}
}
