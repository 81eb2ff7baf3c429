package database_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/testutil"
)

// tableShape is what the two engines' schemas must agree on for one table, in words both share: each
// column's name, kind (text, integer, boolean, instant), NOT NULL and whether it has a default; the
// primary key; every other index (its columns, unique or not, partial or not, and its name unless a
// UNIQUE constraint made it); every foreign key with its ON DELETE rule; and how many CHECK
// constraints there are beyond those that make an integer a boolean on SQLite.
type tableShape struct {
	Columns []string
	Key     string
	Indexes []string
	Foreign []string
	Checks  int
}

func (s tableShape) String() string {
	return fmt.Sprintf("columns %v\n  key %s\n  indexes %v\n  foreign keys %v\n  checks %d", s.Columns, s.Key, s.Indexes, s.Foreign, s.Checks)
}

// TestSchemaIsTheSameOnBothEngines migrates both engines and compares every table's shape, so a
// PostgreSQL twin cannot drift from its SQLite migration: a missing column, index, key, ON DELETE rule
// or CHECK fails here with the difference.
func TestSchemaIsTheSameOnBothEngines(t *testing.T) {
	t.Parallel()
	shapes := map[string]map[string]tableShape{}
	for _, engine := range testutil.Engines() {
		db := testutil.NewDBOn(t, engine)
		shapes[engine] = map[string]tableShape{}
		for _, table := range tableNames(t, db) {
			shapes[engine][table] = shapeOf(t, db, table)
		}
	}
	lite, pg := shapes[config.EngineSQLite], shapes[config.EnginePostgres]
	for table, want := range lite {
		got, ok := pg[table]
		if !ok {
			t.Errorf("table %s exists on SQLite only", table)
			continue
		}
		if got.String() != want.String() {
			t.Errorf("table %s differs:\nSQLite:\n  %s\nPostgreSQL:\n  %s", table, want, got)
		}
	}
	for table := range pg {
		if _, ok := lite[table]; !ok {
			t.Errorf("table %s exists on PostgreSQL only", table)
		}
	}
	if len(lite) < 10 {
		t.Fatalf("only %d tables compared", len(lite))
	}
}

func shapeOf(t *testing.T, db *gorm.DB, table string) tableShape {
	t.Helper()
	if database.EngineOf(db) == config.EnginePostgres {
		return postgresShape(t, db, table)
	}
	return sqliteShape(t, db, table)
}

func sqliteShape(t *testing.T, db *gorm.DB, table string) tableShape {
	t.Helper()
	var ddl string
	must(t, db.Raw("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", table).Scan(&ddl).Error)
	var s tableShape
	var key []string
	type column struct {
		Name, Type string
		NotNull    bool
		HasDefault bool
		PK         int
	}
	var cols []column
	must(t, db.Raw(`SELECT name, type, "notnull" AS not_null, dflt_value IS NOT NULL AS has_default, pk FROM pragma_table_info(?) ORDER BY cid`, table).Scan(&cols).Error)
	booleans := 0
	for _, c := range cols {
		kind := map[string]string{"TEXT": "text", "INTEGER": "integer", "DATETIME": "instant"}[c.Type]
		if kind == "" {
			kind = "?" + c.Type
		}
		if kind == "integer" && strings.Contains(ddl, "CHECK ("+c.Name+" IN (0, 1))") {
			kind = "boolean"
			booleans++
		}
		if c.PK > 0 {
			c.NotNull = true // SQLite lets a non-integer primary key hold NULL; Mend never writes one
			key = append(key, fmt.Sprintf("%d:%s", c.PK, c.Name))
		}
		s.Columns = append(s.Columns, fmt.Sprintf("%s %s notnull=%t default=%t", c.Name, kind, c.NotNull, c.HasDefault))
	}
	slices.Sort(key)
	for i := range key {
		key[i] = key[i][strings.Index(key[i], ":")+1:]
	}
	s.Key = strings.Join(key, ",")
	type index struct {
		Name    string
		Unique  bool
		Origin  string
		Partial bool
	}
	var idx []index
	must(t, db.Raw(`SELECT name, "unique" AS "unique", origin, partial FROM pragma_index_list(?)`, table).Scan(&idx).Error)
	for _, ix := range idx {
		if ix.Origin == "pk" {
			continue
		}
		var cols []string
		must(t, db.Raw("SELECT name FROM pragma_index_info(?) ORDER BY seqno", ix.Name).Scan(&cols).Error)
		name := ix.Name
		if ix.Origin == "u" {
			name = "(constraint)"
		}
		s.Indexes = append(s.Indexes, fmt.Sprintf("%s(%s) unique=%t partial=%t", name, strings.Join(cols, ","), ix.Unique, ix.Partial))
	}
	slices.Sort(s.Indexes)
	type fk struct {
		ID       int
		Table    string
		From, To string
		OnDelete string
	}
	var fks []fk
	must(t, db.Raw(`SELECT id, "table", "from", "to", on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`, table).Scan(&fks).Error)
	byID := map[int]*fk{}
	var order []int
	for _, f := range fks {
		if g, ok := byID[f.ID]; ok {
			g.From += "," + f.From
			g.To += "," + f.To
			continue
		}
		byID[f.ID] = &f
		order = append(order, f.ID)
	}
	for _, id := range order {
		f := byID[id]
		s.Foreign = append(s.Foreign, fmt.Sprintf("(%s) -> %s(%s) on delete %s", f.From, f.Table, f.To, strings.ToUpper(f.OnDelete)))
	}
	slices.Sort(s.Foreign)
	s.Checks = strings.Count(ddl, "CHECK") - booleans
	return s
}

func postgresShape(t *testing.T, db *gorm.DB, table string) tableShape {
	t.Helper()
	var s tableShape
	type column struct {
		Name, Type string
		NotNull    bool
		HasDefault bool
	}
	var cols []column
	must(t, db.Raw(`SELECT column_name AS name, data_type AS type, is_nullable = 'NO' AS not_null, column_default IS NOT NULL AS has_default
		FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`, table).Scan(&cols).Error)
	for _, c := range cols {
		kind := map[string]string{"text": "text", "integer": "integer", "bigint": "integer", "boolean": "boolean",
			"timestamp with time zone": "instant"}[c.Type]
		if kind == "" {
			kind = "?" + c.Type
		}
		s.Columns = append(s.Columns, fmt.Sprintf("%s %s notnull=%t default=%t", c.Name, kind, c.NotNull, c.HasDefault))
	}
	const colsOf = `(SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(%s) WITH ORDINALITY AS k(num, ord)
		JOIN pg_attribute AS a ON a.attrelid = %s AND a.attnum = k.num)`
	type index struct {
		Name       string
		Cols       string
		Unique     bool
		Primary    bool
		Partial    bool
		Constraint bool
	}
	var idx []index
	must(t, db.Raw(`SELECT i.relname AS name, `+fmt.Sprintf(colsOf, "ix.indkey::int2[]", "ix.indrelid")+` AS cols,
			ix.indisunique AS unique, ix.indisprimary AS primary, ix.indpred IS NOT NULL AS partial,
			EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = ix.indexrelid AND c.contype = 'u') AS constraint
		FROM pg_index AS ix JOIN pg_class AS i ON i.oid = ix.indexrelid JOIN pg_class AS r ON r.oid = ix.indrelid
		WHERE r.relname = ? AND r.relnamespace = current_schema()::regnamespace`, table).Scan(&idx).Error)
	for _, ix := range idx {
		if ix.Primary {
			s.Key = ix.Cols
			continue
		}
		name := ix.Name
		if ix.Constraint {
			name = "(constraint)"
		}
		s.Indexes = append(s.Indexes, fmt.Sprintf("%s(%s) unique=%t partial=%t", name, ix.Cols, ix.Unique, ix.Partial))
	}
	slices.Sort(s.Indexes)
	type fk struct{ From, Table, To, Rule string }
	var fks []fk
	must(t, db.Raw(`SELECT `+fmt.Sprintf(colsOf, "c.conkey", "c.conrelid")+` AS "from", f.relname AS "table",
			`+fmt.Sprintf(colsOf, "c.confkey", "c.confrelid")+` AS "to", c.confdeltype AS rule
		FROM pg_constraint AS c JOIN pg_class AS r ON r.oid = c.conrelid JOIN pg_class AS f ON f.oid = c.confrelid
		WHERE c.contype = 'f' AND r.relname = ? AND r.relnamespace = current_schema()::regnamespace`, table).Scan(&fks).Error)
	rules := map[string]string{"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
	for _, f := range fks {
		s.Foreign = append(s.Foreign, fmt.Sprintf("(%s) -> %s(%s) on delete %s", f.From, f.Table, f.To, rules[f.Rule]))
	}
	slices.Sort(s.Foreign)
	var checks int64
	must(t, db.Raw(`SELECT count(*) FROM pg_constraint AS c JOIN pg_class AS r ON r.oid = c.conrelid
		WHERE c.contype = 'c' AND r.relname = ? AND r.relnamespace = current_schema()::regnamespace`, table).Scan(&checks).Error)
	s.Checks = int(checks)
	return s
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
