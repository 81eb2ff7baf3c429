//go:build cgo

package database

/*
// SQLite is compiled into the binary by github.com/mattn/go-sqlite3; these are its own functions.
typedef struct sqlite3 sqlite3;
typedef struct sqlite3_api_routines sqlite3_api_routines;
int sqlite3_auto_extension(void (*)(void));
int sqlite3_db_config(sqlite3 *, int, ...);

// SQLITE_DBCONFIG_ENABLE_QPSG, from sqlite3.h.
#define MEND_DBCONFIG_ENABLE_QPSG 1007

// mend_stable_plans turns the query planner stability guarantee on for the connection db.
static int mend_stable_plans(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
	(void)err;
	(void)api;
	return sqlite3_db_config(db, MEND_DBCONFIG_ENABLE_QPSG, 1, (int *)0);
}

static int mend_register_stable_plans(void) {
	return sqlite3_auto_extension((void (*)(void))mend_stable_plans);
}
*/
import "C"

import (
	"fmt"
	"sync"
)

// Stable plans. The driver keeps each connection's prepared statements (the DSN's _stmt_cache_size)
// and clears a statement's bindings before every run. SQLite re-prepares a statement whose plan
// looked at a bound value whenever its bindings change, and clearing them counts: without stable
// plans, every join and every ORDER BY with "col = ?" was parsed and planned again on every run,
// about five times the CPU of the cached statement and twice its allocations. With the query
// planner stability guarantee (SQLITE_DBCONFIG_ENABLE_QPSG) a plan never depends on a bound value,
// so a statement is prepared once per connection. Mend's statements gain nothing from plans made
// for one value: their partial indexes test IS NULL, and they use no LIKE on a parameter.
var stablePlans struct {
	once sync.Once
	err  error
}

// useStablePlans makes every SQLite connection opened from now on, in this process, plan with the
// query planner stability guarantee. SQLite's list of automatic extensions is the process's own,
// so it is registered once.
func useStablePlans() error {
	stablePlans.once.Do(func() {
		if rc := C.mend_register_stable_plans(); rc != 0 {
			stablePlans.err = fmt.Errorf("database: stable query plans: SQLite error %d", int(rc))
		}
	})
	return stablePlans.err
}
