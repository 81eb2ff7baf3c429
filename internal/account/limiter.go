package account

import (
	"sync"
	"time"
)

// Limiter throttles sign-in and registration (SECURITY A4): more than MaxAccountFailures failures for one
// account within AccountWindow, or more than MaxClientAttempts attempts from one client within ClientWindow.
type Limiter struct {
	mu       sync.Mutex
	now      func() time.Time
	failures map[string][]time.Time
	attempts map[string][]time.Time
}

// Throttling limits.
const (
	MaxAccountFailures = 10
	AccountWindow      = 15 * time.Minute
	MaxClientAttempts  = 20
	ClientWindow       = time.Minute
)

// NewLimiter returns a Limiter using now as its clock.
func NewLimiter(now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{now: now, failures: map[string][]time.Time{}, attempts: map[string][]time.Time{}}
}

func prune(ts []time.Time, since time.Time) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(since) {
		i++
	}
	return ts[i:]
}

// AllowClient records an attempt from client and reports whether it is within the limit.
func (l *Limiter) AllowClient(client string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	ts := prune(l.attempts[client], now.Add(-ClientWindow))
	if len(ts) >= MaxClientAttempts {
		l.attempts[client] = ts
		return false
	}
	l.attempts[client] = append(ts, now)
	l.gc(now)
	return true
}

// ClientWait returns how long until the client's window lets its next attempt through (0 when it would now).
func (l *Limiter) ClientWait(client string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return waitFor(l.attempts[client], l.now(), ClientWindow, MaxClientAttempts)
}

// AccountWait returns how long until the account's next sign-in attempt is let through (0 when it would now).
func (l *Limiter) AccountWait(email string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return waitFor(l.failures[email], l.now(), AccountWindow, MaxAccountFailures)
}

// waitFor returns how long until fewer than max of ts fall within window of now: an entry counts until
// exactly window after it.
func waitFor(ts []time.Time, now time.Time, window time.Duration, max int) time.Duration {
	ts = prune(ts, now.Add(-window))
	if len(ts) < max {
		return 0
	}
	return ts[len(ts)-max].Add(window).Sub(now)
}

// AccountLocked reports whether the account has too many recent failures.
func (l *Limiter) AccountLocked(email string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	ts := prune(l.failures[email], l.now().Add(-AccountWindow))
	l.failures[email] = ts
	return len(ts) >= MaxAccountFailures
}

// Fail records a failed sign-in for the account.
func (l *Limiter) Fail(email string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.failures[email] = append(prune(l.failures[email], now.Add(-AccountWindow)), now)
}

// Succeed forgets the account's failures.
func (l *Limiter) Succeed(email string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, email)
}

// gc drops empty client entries now and then so the maps stay bounded.
func (l *Limiter) gc(now time.Time) {
	if len(l.attempts) < 10000 {
		return
	}
	for k, ts := range l.attempts {
		if len(prune(ts, now.Add(-ClientWindow))) == 0 {
			delete(l.attempts, k)
		}
	}
	for k, ts := range l.failures {
		if len(prune(ts, now.Add(-AccountWindow))) == 0 {
			delete(l.failures, k)
		}
	}
}
