package checkin_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/testutil"
)

var seq atomic.Int64

// fixture is a database with a clock, a check-in service and helpers to make couples.
type fixture struct {
	t        *testing.T
	ctx      context.Context
	db       *gorm.DB
	clock    *testutil.Clock
	accounts *account.Service
	couples  *couple.Service
	svc      *checkin.Service
	active   []checkin.AgreementRef // what the fake agreements feature reports as active
}

// pair is two partners of one couple.
type pair struct {
	coupleID string
	a, b     string // user ids
}

// newFixture starts at 2026-11-25 12:00 UTC, a Wednesday in 2026-W48.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureOn(t, testutil.Engine(t))
}

// newFixtureOn is newFixture on the given engine (config.EngineSQLite or config.EnginePostgres).
func newFixtureOn(t *testing.T, engine string) *fixture {
	t.Helper()
	db := testutil.NewDBOn(t, engine)
	f := &fixture{t: t, ctx: context.Background(), db: db, clock: testutil.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))}
	f.accounts = account.NewService(db, account.Options{Now: f.clock.Now})
	f.couples = couple.NewService(db, f.clock.Now)
	f.svc = checkin.NewService(db, f.clock.Now, func(context.Context, *couple.Membership) ([]checkin.AgreementRef, error) {
		return f.active, nil
	})
	return f
}

func (f *fixture) user(name string) string {
	f.t.Helper()
	n := seq.Add(1)
	u, err := f.accounts.Register(f.ctx, fmt.Sprintf("%s-%d@example.org", name, n), testutil.Password, name)
	if err != nil {
		f.t.Fatalf("register: %v", err)
	}
	return u.ID
}

// couple makes two partners in a couple with time zone tz.
func (f *fixture) couple(tz string) pair {
	f.t.Helper()
	a, b := f.user("A"), f.user("B")
	c, err := f.couples.Start(f.ctx, a, tz, "sunday")
	if err != nil {
		f.t.Fatalf("start: %v", err)
	}
	tok, _, err := f.couples.CreateInvite(f.ctx, c.ID, a)
	if err != nil {
		f.t.Fatalf("invite: %v", err)
	}
	if _, err := f.couples.Join(f.ctx, b, tok); err != nil {
		f.t.Fatalf("join: %v", err)
	}
	return pair{coupleID: c.ID, a: a, b: b}
}

// m returns the user's current membership.
func (f *fixture) m(userID string) *couple.Membership {
	f.t.Helper()
	m, err := f.couples.Current(f.ctx, userID)
	if err != nil || m == nil {
		f.t.Fatalf("membership of %s: %v %v", userID, m, err)
	}
	return m
}

func ip(v int) *int { return &v }

// full is a complete answer with the given ratings and text marked with tag.
func full(tag string, trust, connection, safety int, submit bool) checkin.AnswerInput {
	return checkin.AnswerInput{
		Trust: ip(trust), Connection: ip(connection), Safety: ip(safety),
		Appreciation: tag + "-appreciation", WentWell: tag + "-went-well", WasHard: tag + "-was-hard", Need: tag + "-need",
		Submit: submit,
	}
}

func (f *fixture) save(userID, week string, in checkin.AnswerInput) *checkin.WeekView {
	f.t.Helper()
	v, err := f.svc.SaveAnswer(f.ctx, f.m(userID), week, in)
	if err != nil {
		f.t.Fatalf("save %s: %v", week, err)
	}
	return v
}

func (f *fixture) week(userID, week string) *checkin.WeekView {
	f.t.Helper()
	v, err := f.svc.Week(f.ctx, f.m(userID), week)
	if err != nil {
		f.t.Fatalf("week %s: %v", week, err)
	}
	return v
}

func wantKind(t *testing.T, err error, kind apperr.Kind) *apperr.Error {
	t.Helper()
	e := apperr.As(err)
	if e == nil || e.Kind != kind {
		t.Fatalf("error = %v, want kind %s", err, kind)
	}
	return e
}
