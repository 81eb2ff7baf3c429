package database

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"gorm.io/gorm"
)

// ErrInUse is returned when an SQLite database is held the other way by another process: OpenStopped
// while any Mend process has it open, or Open while mend copy-data is copying it.
var ErrInUse = errors.New("database: the SQLite database is in use")

// LockSuffix names the lock file beside an SQLite database (mend.db.lock). Every Mend process that opens
// the database holds it shared (serve, migrate, backup, notify, user); mend copy-data holds it
// exclusively, so it copies a stopped instance and no instance starts while it copies. The operating
// system lets go of it when the process ends, however it ends.
const LockSuffix = ".lock"

// sqliteLock is the GORM plugin that holds the lock file while the database is open, so Close lets go.
type sqliteLock struct {
	mu sync.Mutex
	f  *os.File
}

func (*sqliteLock) Name() string                 { return "mend:lock" }
func (*sqliteLock) Initialize(db *gorm.DB) error { return nil }

// lockSQLite takes the lock file of the database at path, shared or exclusive, without waiting.
func lockSQLite(path string, exclusive bool) (*sqliteLock, error) {
	f, err := os.OpenFile(path+LockSuffix, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("database: lock: %w", err)
	}
	if err := lockFile(f, exclusive); err != nil {
		f.Close()
		if errors.Is(err, errWouldBlock) {
			if exclusive {
				return nil, fmt.Errorf("%w: a Mend process (mend serve, or a mend notify from cron) has %s open: stop "+
					"every Mend process that uses it, then try again", ErrInUse, path)
			}
			return nil, fmt.Errorf("%w: mend copy-data is copying %s: wait until it has finished (and then use the "+
				"PostgreSQL database it copied to)", ErrInUse, path)
		}
		return nil, fmt.Errorf("database: lock %s: %w", path+LockSuffix, err)
	}
	return &sqliteLock{f: f}, nil
}

// release lets go of the lock (closing the file does); a second call does nothing.
func (l *sqliteLock) release() error {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// lockOf returns the lock plugin Open or OpenStopped registered on db, or nil.
func lockOf(db *gorm.DB) *sqliteLock {
	if l, ok := db.Config.Plugins["mend:lock"].(*sqliteLock); ok {
		return l
	}
	return nil
}
