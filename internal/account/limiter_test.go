package account_test

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/testutil"
)

// newLimiter returns a limiter over a fresh database on the engine MEND_TEST_ENGINE names, with a clock
// the test moves.
func newLimiter(t *testing.T) (*account.Limiter, *testutil.Clock, *gorm.DB) {
	t.Helper()
	db := testutil.NewEngineDB(t)
	clock := testutil.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	return account.NewLimiter(db, clock.Now, nil), clock, db
}

func TestLimiter(t *testing.T) {
	t.Parallel()
	l, clock, _ := newLimiter(t)
	for i := 0; i < account.MaxClientAttempts; i++ {
		if !l.AllowClient("login|10.0.0.1") {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	if l.AllowClient("login|10.0.0.1") {
		t.Error("attempt 21 within a minute allowed")
	}
	if !l.AllowClient("login|10.0.0.2") {
		t.Error("another client was refused")
	}
	if !l.AllowClient("register|10.0.0.1") {
		t.Error("the same client's registration was refused by its sign-in attempts")
	}
	clock.Advance(account.ClientWindow + time.Second)
	if !l.AllowClient("login|10.0.0.1") {
		t.Error("client still refused after the window")
	}

	for i := 0; i < account.MaxAccountFailures; i++ {
		if l.AccountLocked("a@example.org") {
			t.Fatalf("locked after %d failures", i)
		}
		l.Fail("a@example.org")
	}
	if !l.AccountLocked("a@example.org") {
		t.Error("not locked after 10 failures")
	}
	if l.AccountLocked("b@example.org") {
		t.Error("another account is locked")
	}
	clock.Advance(account.AccountWindow + time.Second)
	if l.AccountLocked("a@example.org") {
		t.Error("still locked after the window")
	}
	for range account.MaxAccountFailures {
		l.Fail("a@example.org")
	}
	l.Succeed("a@example.org")
	if l.AccountLocked("a@example.org") || l.AccountWait("a@example.org") != 0 {
		t.Error("success did not forget failures")
	}
}

// TestLimiterWait: the wait is the time until the oldest attempt that still counts leaves the window.
func TestLimiterWait(t *testing.T) {
	t.Parallel()
	l, clock, _ := newLimiter(t)
	if w := l.ClientWait("c"); w != 0 {
		t.Errorf("wait before any attempt = %s", w)
	}
	for i := 0; i < account.MaxClientAttempts+2; i++ {
		l.AllowClient("c")
		clock.Advance(time.Second)
	}
	// Attempts at 0s…19s counted (21 and 22 were refused); now is 22s: the first leaves at 60s.
	if w := l.ClientWait("c"); w != 38*time.Second {
		t.Errorf("client wait = %s, want 38s", w)
	}
	for i := 0; i < account.MaxAccountFailures; i++ {
		l.Fail("a@example.org")
		clock.Advance(time.Minute)
	}
	if w := l.AccountWait("a@example.org"); w != account.AccountWindow-10*time.Minute {
		t.Errorf("account wait = %s, want 5m", w)
	}
	clock.Advance(5 * time.Minute)
	if w := l.AccountWait("a@example.org"); w != 0 || l.AccountLocked("a@example.org") {
		t.Errorf("after the wait: wait %s, locked %v", w, l.AccountLocked("a@example.org"))
	}
}

// TestLimitersOnOneDatabaseCountTogether covers SECURITY M1 on both engines: two limiters (two instances
// of Mend, each with its own connection pool) on one database share their counts, one after the other and
// at once. Sequentially, attempts spread over both are refused at the limit, failures recorded by one lock
// the account on the other, and a success on one forgets them on both. Concurrently, 2 × 30 attempts of
// one client, half through each, let exactly MaxClientAttempts through.
func TestLimitersOnOneDatabaseCountTogether(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			a, b, clock := twoLimiters(t, engine)
			for i := range account.MaxClientAttempts {
				if l := []*account.Limiter{a, b}[i%2]; !l.AllowClient("login|10.0.0.1") {
					t.Fatalf("attempt %d refused", i+1)
				}
			}
			if a.AllowClient("login|10.0.0.1") || b.AllowClient("login|10.0.0.1") {
				t.Error("an attempt past the limit was allowed: the limiters count apart")
			}
			if w := b.ClientWait("login|10.0.0.1"); w != account.ClientWindow {
				t.Errorf("the other instance's wait = %s, want %s", w, account.ClientWindow)
			}
			for range account.MaxAccountFailures {
				a.Fail("a@example.org")
			}
			if !b.AccountLocked("a@example.org") || b.AccountWait("a@example.org") != account.AccountWindow {
				t.Errorf("failures on one instance do not lock the account on the other (wait %s)", b.AccountWait("a@example.org"))
			}
			b.Succeed("a@example.org")
			if a.AccountLocked("a@example.org") {
				t.Error("a success on one instance did not forget the failures on the other")
			}

			clock.Advance(account.ClientWindow + time.Second)
			var allowed atomic.Int64
			var wg sync.WaitGroup
			for i := range 60 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if []*account.Limiter{a, b}[i%2].AllowClient("login|10.0.0.9") {
						allowed.Add(1)
					}
				}()
			}
			wg.Wait()
			if n := allowed.Load(); n != account.MaxClientAttempts {
				t.Errorf("%d of 60 concurrent attempts on two instances allowed, want %d", n, account.MaxClientAttempts)
			}
		})
	}
}

// twoLimiters opens one fresh database on engine twice, as two instances would, and returns a limiter on
// each with one clock.
func twoLimiters(t *testing.T, engine string) (*account.Limiter, *account.Limiter, *testutil.Clock) {
	t.Helper()
	clock := testutil.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	var first, second *gorm.DB
	switch engine {
	case "postgres":
		var u string
		first, u = testutil.NewPostgresDB(t)
		db, err := database.OpenPostgres(t.Context(), u, nil)
		if err != nil {
			t.Fatal(err)
		}
		second = db
	default:
		var path string
		first, path = testutil.NewDB(t)
		db, err := database.Open(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		second = db
	}
	t.Cleanup(func() { database.Close(second) })
	return account.NewLimiter(first, clock.Now, nil), account.NewLimiter(second, clock.Now, nil), clock
}

// TestLimiterPrunesOldRows: once a key's window has passed, its rows go, so the throttle tables hold only
// what could still be counted, and they hold digests, never the address or e-mail.
func TestLimiterPrunesOldRows(t *testing.T) {
	t.Parallel()
	l, clock, db := newLimiter(t)
	for i := range 50 {
		l.AllowClient(fmt.Sprintf("login|10.0.1.%d", i))
		l.Fail(fmt.Sprintf("user%d@example.org", i))
	}
	if hits, keys := throttleRows(t, db); hits != 100 || keys != 100 {
		t.Fatalf("%d hits and %d keys after 100 attempts, want 100 and 100", hits, keys)
	}
	var plain int64
	if err := db.Raw("SELECT count(*) FROM throttle_keys WHERE key LIKE '%example.org%' OR key LIKE '%10.0.1.%'").Scan(&plain).Error; err != nil || plain != 0 {
		t.Errorf("%d throttle keys hold an address (%v)", plain, err)
	}
	clock.Advance(account.AccountWindow + time.Second)
	l.AllowClient("login|10.0.2.1")
	if hits, keys := throttleRows(t, db); hits != 1 || keys != 1 {
		t.Errorf("%d hits and %d keys once the windows passed, want only the new attempt's 1 and 1", hits, keys)
	}
}

func throttleRows(t *testing.T, db *gorm.DB) (hits, keys int64) {
	t.Helper()
	if err := db.Raw("SELECT count(*) FROM throttle_hits").Scan(&hits).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Raw("SELECT count(*) FROM throttle_keys").Scan(&keys).Error; err != nil {
		t.Fatal(err)
	}
	return hits, keys
}

// TestLimiterRefusesWithoutItsDatabase: a throttle that cannot count refuses rather than letting attempts
// through uncounted, and logs why.
func TestLimiterRefusesWithoutItsDatabase(t *testing.T) {
	t.Parallel()
	db := testutil.NewEngineDB(t)
	logs := &testutil.LogBuffer{}
	l := account.NewLimiter(db, nil, slog.New(slog.NewJSONHandler(logs, nil)))
	database.Close(db)
	if l.AllowClient("login|10.0.0.1") {
		t.Error("an attempt was allowed without the database")
	}
	if !l.AccountLocked("a@example.org") {
		t.Error("an account was not locked without the database")
	}
	if w := l.ClientWait("login|10.0.0.1"); w != account.ClientWindow {
		t.Errorf("wait without the database = %s, want the window", w)
	}
	if !strings.Contains(logs.String(), "throttle") {
		t.Errorf("nothing logged: %q", logs.String())
	}
}
