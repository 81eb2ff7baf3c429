package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// ErrRoleTooPowerful is returned by Check when Mend's PostgreSQL role can do more than Mend needs
// (SECURITY M2): a leaked password, or a flaw in Mend, would then reach beyond Mend's own tables.
var ErrRoleTooPowerful = errors.New("database: the PostgreSQL role has more rights than Mend needs")

// roleFacts is what the start-up check learns about the role Mend connects as.
type roleFacts struct {
	Name        string
	Superuser   bool
	CreateRole  bool
	Replication bool
	CreateDB    bool
	ServerFiles []string // roles it holds that reach the server's files or programs
	Schema      string   // where Mend's tables live: the first existing schema on the search path
	SearchPath  string
	Foreign     []string // schemas it may create objects in that belong to another role
}

// roleFactsSQL reads roleFacts; the order of the columns is scanRoleFacts'.
const roleFactsSQL = `SELECT r.rolname, r.rolsuper, r.rolcreaterole, r.rolreplication, r.rolcreatedb,
	concat_ws(',',
		CASE WHEN pg_has_role('pg_execute_server_program', 'USAGE') THEN 'pg_execute_server_program' END,
		CASE WHEN pg_has_role('pg_read_server_files', 'USAGE') THEN 'pg_read_server_files' END,
		CASE WHEN pg_has_role('pg_write_server_files', 'USAGE') THEN 'pg_write_server_files' END),
	coalesce(current_schema(), ''), current_setting('search_path'),
	coalesce((SELECT string_agg(n.nspname, ',' ORDER BY n.nspname) FROM pg_namespace AS n
		WHERE n.nspname IS DISTINCT FROM current_schema() AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
			AND has_schema_privilege(n.oid, 'CREATE') AND NOT pg_has_role(n.nspowner, 'USAGE')), '')
FROM pg_roles AS r WHERE r.rolname = current_user`

// checkPostgres checks the server answers and judges Mend's role.
func checkPostgres(ctx context.Context, db *gorm.DB) error {
	if err := Ping(ctx, db); err != nil {
		return fmt.Errorf("database: check: cannot reach PostgreSQL: %w", err)
	}
	f, err := readRoleFacts(ctx, db)
	if err != nil {
		return err
	}
	return f.judge()
}

func readRoleFacts(ctx context.Context, db *gorm.DB) (roleFacts, error) {
	var f roleFacts
	var files, foreign string
	err := Raw(db).QueryRowContext(ctx, roleFactsSQL).Scan(&f.Name, &f.Superuser, &f.CreateRole, &f.Replication,
		&f.CreateDB, &files, &f.Schema, &f.SearchPath, &foreign)
	if errors.Is(err, sql.ErrNoRows) {
		return f, errors.New("database: check: the current role is not in pg_roles")
	}
	if err != nil {
		return f, fmt.Errorf("database: check: %w", err)
	}
	f.ServerFiles, f.Foreign = splitList(files), splitList(foreign)
	return f, nil
}

// Warnings returns what the start-up check found worth saying about db without refusing it: on
// PostgreSQL, rights of Mend's role that reach beyond Mend's schema but not into anyone's data (see
// roleFacts.advice). SQLite has none.
func Warnings(ctx context.Context, db *gorm.DB) ([]string, error) {
	if !isPostgres(db) {
		return nil, nil
	}
	f, err := readRoleFacts(ctx, db)
	if err != nil {
		return nil, err
	}
	return f.advice(), nil
}

// advice returns the role's rights that Mend does not need but that start-up does not refuse. CREATEDB
// lets the role make new databases outside Mend's schema; they start empty and are its own, so it reaches
// no other application's data or code, and some providers grant it to every role (so do test set-ups,
// which make a database per test). Refusing it would turn away working set-ups for little gain; saying
// so lets the operator take it away (ALTER ROLE … NOCREATEDB).
func (f roleFacts) advice() []string {
	var out []string
	if f.CreateDB {
		out = append(out, fmt.Sprintf("the PostgreSQL role %q can create databases (CREATEDB), which Mend does not need: "+
			"ALTER ROLE %s NOCREATEDB takes it away (see README, PostgreSQL)", f.Name, f.Name))
	}
	return out
}

// judge returns why the role is unfit to run Mend, or nil.
func (f roleFacts) judge() error {
	var why []string
	if f.Superuser {
		why = append(why, "it is a superuser")
	}
	if f.CreateRole {
		why = append(why, "it can create roles (CREATEROLE)")
	}
	if f.Replication {
		why = append(why, "it can stream every database of the server (REPLICATION)")
	}
	if len(f.ServerFiles) > 0 {
		why = append(why, "it can reach the server's files or programs ("+strings.Join(f.ServerFiles, ", ")+")")
	}
	if len(f.Foreign) > 0 {
		why = append(why, "it can create objects in schemas of other roles ("+strings.Join(f.Foreign, ", ")+
			"), where they could change what another application runs")
	}
	if len(why) > 0 {
		return fmt.Errorf("%w: the role %q: %s. Mend needs a role of its own that owns Mend's database or schema "+
			"and nothing more (see README, PostgreSQL)", ErrRoleTooPowerful, f.Name, strings.Join(why, "; "))
	}
	if f.Schema == "" {
		return fmt.Errorf("database: check: no schema for Mend's tables: no schema on the search_path (%s) exists "+
			"(create one, or set search_path in MEND_DATABASE_URL)", f.SearchPath)
	}
	return nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
