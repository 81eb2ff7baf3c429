package account

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/token"
)

// Limiter throttles sign-in and registration (SECURITY A4): more than MaxAccountFailures failures for one
// account within AccountWindow, or more than MaxClientAttempts attempts from one client within ClientWindow.
//
// The counts live in the database (throttle_keys, throttle_hits), so every instance of Mend on one database
// counts the same attempts (SECURITY M1): a second instance does not double an attacker's tries. Each
// count is one transaction that first takes the key's row (an upsert, which locks it on PostgreSQL and runs
// on SQLite's one writer), then counts and records: two instances counting one key take turns, so no more
// than the limit get through however the attempts are spread. Keys are stored as SHA-256 digests.
//
// A throttle that cannot reach the database refuses (fails closed) and logs why: the sign-in it guards
// could not have gone on without the database either.
type Limiter struct {
	db  *gorm.DB
	now func() time.Time
	log *slog.Logger

	mu       sync.Mutex
	prunedAt time.Time // when this process last removed every key's old rows
}

// Throttling limits.
const (
	MaxAccountFailures = 10
	AccountWindow      = 15 * time.Minute
	MaxClientAttempts  = 20
	ClientWindow       = time.Minute
)

// limiterTimeout bounds each of the limiter's statements; pruneEvery is how often a process removes the
// rows of keys nobody has used for longer than the longest window.
const (
	limiterTimeout = 5 * time.Second
	pruneEvery     = time.Minute
)

// errThrottleUnreachable marks a throttle's database failure in the log.
var errThrottleUnreachable = errors.New("account: throttle: the database did not answer; refusing")

// NewLimiter returns a Limiter over db using now as its clock and log for its database failures.
func NewLimiter(db *gorm.DB, now func() time.Time, log *slog.Logger) *Limiter {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Limiter{db: db, now: now, log: log}
}

// The two kinds of key: attempts from a client (with their purpose) and failures of an account.
const (
	clientKind  = "client"
	accountKind = "account"
)

// throttleKey is the stored key of what is throttled: a digest, so the table holds no address.
func throttleKey(kind, what string) string {
	sum := sha256.Sum256([]byte(kind + "\x00" + what))
	return hex.EncodeToString(sum[:])
}

// instant is the clock's now as both engines store it: UTC, to the microsecond (PostgreSQL's precision).
func (l *Limiter) instant() time.Time { return l.now().UTC().Truncate(time.Microsecond) }

func (l *Limiter) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), limiterTimeout)
}

func (l *Limiter) failed(op string, err error) {
	l.log.Error(errThrottleUnreachable.Error(), "op", op, "err", err)
}

// record counts one more hit for key unless limit (0: no limit) already fall within window of now, and
// reports whether it counted it. The key's row is taken first, so concurrent records of one key, from any
// instance, run one after the other.
func (l *Limiter) record(key string, window time.Duration, limit int) (bool, error) {
	now := l.instant()
	ctx, cancel := l.ctx()
	defer cancel()
	counted := false
	err := l.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`INSERT INTO throttle_keys (key, seen_at) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET seen_at = excluded.seen_at`, key, now).Error; err != nil {
			return err
		}
		since := now.Add(-window)
		if err := tx.Exec("DELETE FROM throttle_hits WHERE key = ? AND at <= ?", key, since).Error; err != nil {
			return err
		}
		if limit > 0 {
			var n int64
			if err := tx.Raw("SELECT count(*) FROM throttle_hits WHERE key = ? AND at > ?", key, since).Scan(&n).Error; err != nil {
				return err
			}
			if n >= int64(limit) {
				return nil
			}
		}
		counted = true
		return tx.Exec("INSERT INTO throttle_hits (id, key, at) VALUES (?, ?, ?)", token.ID(), key, now).Error
	})
	if err != nil {
		return false, err
	}
	l.pruneNowAndThen(now)
	return counted, nil
}

// pruneNowAndThen removes, at most once per pruneEvery, every hit older than the longest window and the
// keys left without hits, so the tables hold only what a throttle could still count.
func (l *Limiter) pruneNowAndThen(now time.Time) {
	l.mu.Lock()
	due := l.prunedAt.IsZero() || now.Sub(l.prunedAt) >= pruneEvery
	if due {
		l.prunedAt = now
	}
	l.mu.Unlock()
	if !due {
		return
	}
	ctx, cancel := l.ctx()
	defer cancel()
	old := now.Add(-max(AccountWindow, ClientWindow))
	err := l.db.WithContext(ctx).Exec("DELETE FROM throttle_hits WHERE at <= ?", old).Error
	if err == nil {
		err = l.db.WithContext(ctx).Exec(`DELETE FROM throttle_keys WHERE seen_at <= ?
			AND NOT EXISTS (SELECT 1 FROM throttle_hits AS h WHERE h.key = throttle_keys.key)`, old).Error
	}
	if err != nil {
		l.failed("prune", err)
	}
}

// within returns how many of key's hits fall within window of now, and the at of the limit-th newest of
// them (zero when there are fewer).
func (l *Limiter) within(key string, window time.Duration, limit int) (int64, time.Time, error) {
	now := l.instant()
	ctx, cancel := l.ctx()
	defer cancel()
	since := now.Add(-window)
	db := l.db.WithContext(ctx)
	var n int64
	if err := db.Raw("SELECT count(*) FROM throttle_hits WHERE key = ? AND at > ?", key, since).Scan(&n).Error; err != nil {
		return 0, time.Time{}, err
	}
	if n < int64(limit) {
		return n, time.Time{}, nil
	}
	var ats []time.Time
	err := db.Raw("SELECT at FROM throttle_hits WHERE key = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?",
		key, since, limit-1).Scan(&ats).Error
	if err != nil || len(ats) == 0 {
		return n, time.Time{}, err
	}
	return n, ats[0], nil
}

// wait returns how long until fewer than limit of key's hits fall within window: a hit counts until exactly
// window after it.
func (l *Limiter) wait(op, key string, window time.Duration, limit int) time.Duration {
	_, oldest, err := l.within(key, window, limit)
	if err != nil {
		l.failed(op, err)
		return window
	}
	if oldest.IsZero() {
		return 0
	}
	return max(oldest.Add(window).Sub(l.instant()), 0)
}

// AllowClient records an attempt from client and reports whether it is within the limit.
func (l *Limiter) AllowClient(client string) bool {
	ok, err := l.record(throttleKey(clientKind, client), ClientWindow, MaxClientAttempts)
	if err != nil {
		l.failed("allow client", err)
		return false
	}
	return ok
}

// ClientWait returns how long until the client's window lets its next attempt through (0 when it would now).
func (l *Limiter) ClientWait(client string) time.Duration {
	return l.wait("client wait", throttleKey(clientKind, client), ClientWindow, MaxClientAttempts)
}

// AccountWait returns how long until the account's next sign-in attempt is let through (0 when it would now).
func (l *Limiter) AccountWait(email string) time.Duration {
	return l.wait("account wait", throttleKey(accountKind, email), AccountWindow, MaxAccountFailures)
}

// AccountLocked reports whether the account has too many recent failures.
func (l *Limiter) AccountLocked(email string) bool {
	n, _, err := l.within(throttleKey(accountKind, email), AccountWindow, MaxAccountFailures)
	if err != nil {
		l.failed("account locked", err)
		return true
	}
	return n >= MaxAccountFailures
}

// Fail records a failed sign-in for the account.
func (l *Limiter) Fail(email string) {
	if _, err := l.record(throttleKey(accountKind, email), AccountWindow, 0); err != nil {
		l.failed("fail", err)
	}
}

// Succeed forgets the account's failures.
func (l *Limiter) Succeed(email string) {
	ctx, cancel := l.ctx()
	defer cancel()
	key := throttleKey(accountKind, email)
	err := l.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("DELETE FROM throttle_hits WHERE key = ?", key).Error; err != nil {
			return err
		}
		return tx.Exec("DELETE FROM throttle_keys WHERE key = ?", key).Error
	})
	if err != nil {
		l.failed("succeed", err)
	}
}
