package database

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// quietLogger passes to GORM's logger only the statements it would log at Mend's level (Warn): those
// that failed (other than "record not found") and those slower than the threshold. GORM's own logger
// builds the statement's text for every query before deciding not to log it, which costs more than a
// small query itself on the hot paths.
type quietLogger struct {
	logger.Interface
	slow time.Duration
}

// LogMode returns the logger at level: GORM's own at Info (db.Debug(), which logs every statement),
// else still quiet about statements it would not log.
func (q quietLogger) LogMode(level logger.LogLevel) logger.Interface {
	if level >= logger.Info {
		return q.Interface.LogMode(level)
	}
	return quietLogger{Interface: q.Interface.LogMode(level), slow: q.slow}
}

// Trace hands the statement to GORM's logger only when it failed or was slow.
func (q quietLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	failed := err != nil && !errors.Is(err, gorm.ErrRecordNotFound)
	if !failed && time.Since(begin) <= q.slow {
		return
	}
	q.Interface.Trace(ctx, begin, fc, err)
}

// ParamsFilter passes on the wrapped logger's filter. GORM looks for it on the logger it was given,
// and without it a logged statement would show the values bound to it (a user's email, their words)
// instead of ? placeholders (ParameterizedQueries).
func (q quietLogger) ParamsFilter(ctx context.Context, sql string, params ...any) (string, []any) {
	if f, ok := q.Interface.(gorm.ParamsFilter); ok {
		return f.ParamsFilter(ctx, sql, params...)
	}
	return sql, params
}
