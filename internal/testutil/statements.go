package testutil

import (
	"sync"
	"testing"

	"gorm.io/gorm"
)

// Statements records the SQL statements GORM runs on the handles it watches, while During runs.
type Statements struct {
	mu  sync.Mutex
	on  bool
	sql []string
}

// CountStatements returns a Statements watching db.
func CountStatements(t *testing.T, db *gorm.DB) *Statements {
	t.Helper()
	s := &Statements{}
	s.Watch(t, db)
	return s
}

// Watch makes s record the statements of db too (every kind: queries, raw statements, rows, creates,
// updates and deletes).
func (s *Statements) Watch(t *testing.T, db *gorm.DB) {
	t.Helper()
	cb := db.Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register("testutil:statements", s.hook),
		cb.Raw().After("gorm:raw").Register("testutil:statements", s.hook),
		cb.Row().After("gorm:row").Register("testutil:statements", s.hook),
		cb.Create().After("gorm:create").Register("testutil:statements", s.hook),
		cb.Update().After("gorm:update").Register("testutil:statements", s.hook),
		cb.Delete().After("gorm:delete").Register("testutil:statements", s.hook),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func (s *Statements) hook(d *gorm.DB) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.on {
		s.sql = append(s.sql, d.Statement.SQL.String())
	}
}

// During returns the statements run while fn ran.
func (s *Statements) During(fn func()) []string {
	s.mu.Lock()
	s.on, s.sql = true, nil
	s.mu.Unlock()
	fn()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.on = false
	return s.sql
}
