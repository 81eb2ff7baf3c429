package database

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/mendhq/mend/migrations"
)

// Errors of CopyToPostgres that an operator can act on.
var (
	ErrTargetNotEmpty  = errors.New("database: copy: the PostgreSQL database is not empty")
	ErrVersionMismatch = errors.New("database: copy: the two databases are not at the same migration step")
)

// CopiedTable is what CopyToPostgres did with one table: the rows it copied and their checksum, which
// it computed from the rows it read on SQLite and again from the rows PostgreSQL holds, and found equal.
type CopiedTable struct {
	Name     string
	Rows     int64
	Checksum string
}

// copyBatch is how many rows one INSERT carries (at most about 20 columns each: well under PostgreSQL's
// 65535 parameters per statement).
const copyBatch = 500

// CopyToPostgres copies every row of the SQLite database src into the PostgreSQL database dst (mend
// copy-data, moving an instance). Both must be at this Mend's last migration step, and dst must hold no
// rows at all. Tables are copied in foreign-key order (a table after every table it refers to), each in
// one PostgreSQL transaction of INSERTs of copyBatch rows, converting SQLite's values to PostgreSQL's
// types where the schemas differ: instants stored as text become timestamptz (to the microsecond,
// PostgreSQL's precision), 0 and 1 become booleans. Before a table's transaction commits, its row count
// and a checksum over every row are compared with what was read from SQLite; any difference, or any
// failure, rolls that table back and deletes the tables already copied, so dst is left empty again.
// src is read in one transaction, so the copy is one consistent moment of it. progress, when set, hears
// of each table once it is copied.
func CopyToPostgres(ctx context.Context, src, dst *gorm.DB, progress func(CopiedTable)) ([]CopiedTable, error) {
	if isPostgres(src) || !isPostgres(dst) {
		return nil, errors.New("database: copy: copies an SQLite database into a PostgreSQL one")
	}
	if err := sameStep(ctx, src, dst); err != nil {
		return nil, err
	}
	tables, err := tablesInKeyOrder(ctx, Raw(src))
	if err != nil {
		return nil, fmt.Errorf("database: copy: read the SQLite schema: %w", err)
	}
	if err := emptyTarget(ctx, Raw(dst), tables); err != nil {
		return nil, err
	}
	// BEGIN IMMEDIATE (the writer's DSN): no other connection writes to src until the copy ends.
	from, err := Raw(src).BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("database: copy: %w", err)
	}
	defer from.Rollback()
	var done []CopiedTable
	for _, table := range tables {
		ct, err := copyTable(ctx, from, Raw(dst), table)
		if err != nil {
			return nil, errors.Join(err, undoCopy(context.WithoutCancel(ctx), Raw(dst), done))
		}
		done = append(done, ct)
		if progress != nil {
			progress(ct)
		}
	}
	return done, nil
}

// sameStep refuses unless src is at this Mend's last step and dst at the same one.
func sameStep(ctx context.Context, src, dst *gorm.DB) error {
	latest := migrations.Latest()
	sv, err := Version(ctx, src)
	if err != nil {
		return err
	}
	if sv != latest {
		return fmt.Errorf("%w: the SQLite database is at step %d and this Mend's last step is %d: run mend migrate on "+
			"the SQLite instance (with this Mend) first", ErrVersionMismatch, sv, latest)
	}
	dv, err := Version(ctx, dst)
	if err != nil {
		return err
	}
	if dv == 0 {
		return fmt.Errorf("%w: the PostgreSQL database has no migrations yet: run MEND_DATABASE_URL=postgres://… mend migrate "+
			"(with this Mend) first", ErrVersionMismatch)
	}
	if dv != sv {
		return fmt.Errorf("%w: the PostgreSQL database is at step %d, the SQLite database at step %d: migrate the "+
			"PostgreSQL database with this Mend (or use a new, empty one)", ErrVersionMismatch, dv, sv)
	}
	return nil
}

// tablesInKeyOrder lists src's tables (not goose's) so that each comes after every table its foreign
// keys refer to; tables with no order between them come by name.
func tablesInKeyOrder(ctx context.Context, src *sql.DB) ([]string, error) {
	names, err := Strings(src.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table'
		AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name <> 'goose_db_version' ORDER BY name`))
	if err != nil {
		return nil, err
	}
	refers := map[string][]string{}
	for _, n := range names {
		to, err := Strings(src.QueryContext(ctx, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?) WHERE "table" <> ?`, n, n))
		if err != nil {
			return nil, err
		}
		refers[n] = to
	}
	var order []string
	placed := map[string]bool{}
	for len(order) < len(names) {
		progressed := false
		for _, n := range names {
			if placed[n] || slices.ContainsFunc(refers[n], func(t string) bool { return !placed[t] }) {
				continue
			}
			order, placed[n], progressed = append(order, n), true, true
		}
		if !progressed {
			return nil, errors.New("the tables' foreign keys form a cycle")
		}
	}
	return order, nil
}

// emptyTarget refuses a dst whose tables differ from tables or that holds any row.
func emptyTarget(ctx context.Context, dst *sql.DB, tables []string) error {
	have, err := Strings(dst.QueryContext(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'goose_db_version' ORDER BY table_name`))
	if err != nil {
		return fmt.Errorf("database: copy: read the PostgreSQL schema: %w", err)
	}
	want := slices.Sorted(slices.Values(tables))
	if !slices.Equal(have, want) {
		return fmt.Errorf("%w: the PostgreSQL database's tables (%s) are not the SQLite database's (%s)",
			ErrVersionMismatch, strings.Join(have, ", "), strings.Join(want, ", "))
	}
	var full []string
	for _, t := range tables {
		var has bool
		if err := dst.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+quoteIdent(t)+")").Scan(&has); err != nil {
			return fmt.Errorf("database: copy: %w", err)
		}
		if has {
			full = append(full, t)
		}
	}
	if len(full) > 0 {
		return fmt.Errorf("%w: %s already hold rows: copy into a new, migrated database (nothing was written)",
			ErrTargetNotEmpty, strings.Join(full, ", "))
	}
	return nil
}

// column is one column of a table being copied, with its PostgreSQL type.
type column struct {
	name, pgType string
}

// copyTable copies one table in one PostgreSQL transaction and checks it before committing.
func copyTable(ctx context.Context, from *sql.Tx, dst *sql.DB, table string) (CopiedTable, error) {
	ct := CopiedTable{Name: table}
	cols, err := copyColumns(ctx, from, dst, table)
	if err != nil {
		return ct, err
	}
	names := make([]string, len(cols))
	reads := make([]string, len(cols))
	for i, c := range cols {
		names[i] = quoteIdent(c.name)
		reads[i] = names[i]
		if c.pgType == instantType {
			// As the text SQLite holds: the driver would turn text it cannot parse into the zero time.
			reads[i] = "CAST(" + names[i] + " AS TEXT)"
		}
	}
	list := strings.Join(names, ", ")
	rows, err := from.QueryContext(ctx, "SELECT "+strings.Join(reads, ", ")+" FROM "+quoteIdent(table))
	if err != nil {
		return ct, fmt.Errorf("database: copy %s: %w", table, err)
	}
	defer rows.Close()
	to, err := dst.BeginTx(ctx, nil)
	if err != nil {
		return ct, fmt.Errorf("database: copy %s: %w", table, err)
	}
	defer to.Rollback()
	var sum checksum
	batch := make([]any, 0, copyBatch*len(cols))
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := to.ExecContext(ctx, insertSQL(table, list, len(cols), len(batch)/len(cols)), batch...)
		batch = batch[:0]
		return err
	}
	raw := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return ct, fmt.Errorf("database: copy %s: %w", table, err)
		}
		row := make([]any, len(cols))
		for i, c := range cols {
			v, err := convert(raw[i], c.pgType)
			if err != nil {
				return ct, fmt.Errorf("database: copy %s: row %d, column %s: %w (nothing was copied)", table, ct.Rows+1, c.name, err)
			}
			row[i] = v
		}
		sum.add(row)
		ct.Rows++
		batch = append(batch, row...)
		if len(batch) == copyBatch*len(cols) {
			if err := flush(); err != nil {
				return ct, fmt.Errorf("database: copy %s: %w", table, err)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return ct, fmt.Errorf("database: copy %s: %w", table, err)
	}
	if err := flush(); err != nil {
		return ct, fmt.Errorf("database: copy %s: %w", table, err)
	}
	got, n, err := checksumOf(ctx, to, table, list, len(cols))
	if err != nil {
		return ct, fmt.Errorf("database: copy %s: verify: %w", table, err)
	}
	if n != ct.Rows || got != sum {
		return ct, fmt.Errorf("database: copy %s: verify: PostgreSQL holds %d rows with checksum %s, SQLite %d rows with "+
			"checksum %s (nothing was copied)", table, n, got, ct.Rows, sum)
	}
	if err := to.Commit(); err != nil {
		return ct, fmt.Errorf("database: copy %s: %w", table, err)
	}
	ct.Checksum = sum.String()
	return ct, nil
}

// copyColumns returns table's columns with their PostgreSQL types, refusing when the engines' columns
// differ.
func copyColumns(ctx context.Context, from *sql.Tx, dst *sql.DB, table string) ([]column, error) {
	lite, err := Strings(from.QueryContext(ctx, "SELECT name FROM pragma_table_info(?) ORDER BY name", table))
	if err != nil {
		return nil, fmt.Errorf("database: copy %s: %w", table, err)
	}
	rows, err := dst.QueryContext(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 ORDER BY column_name`, table)
	if err != nil {
		return nil, fmt.Errorf("database: copy %s: %w", table, err)
	}
	defer rows.Close()
	var cols []column
	var pg []string
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.name, &c.pgType); err != nil {
			return nil, fmt.Errorf("database: copy %s: %w", table, err)
		}
		cols = append(cols, c)
		pg = append(pg, c.name)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("database: copy %s: %w", table, err)
	}
	if !slices.Equal(lite, pg) {
		return nil, fmt.Errorf("%w: table %s has the columns %s on SQLite and %s on PostgreSQL", ErrVersionMismatch,
			table, strings.Join(lite, ", "), strings.Join(pg, ", "))
	}
	return cols, nil
}

// insertSQL is a multi-row INSERT of n rows of width columns.
func insertSQL(table, list string, width, n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + quoteIdent(table) + " (" + list + ") VALUES ")
	p := 1
	for r := range n {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range width {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteString("$" + strconv.Itoa(p))
			p++
		}
		b.WriteByte(')')
	}
	return b.String()
}

// checksumOf reads table back inside the copy's transaction and returns its checksum and row count.
func checksumOf(ctx context.Context, to *sql.Tx, table, list string, width int) (checksum, int64, error) {
	var sum checksum
	var n int64
	rows, err := to.QueryContext(ctx, "SELECT "+list+" FROM "+quoteIdent(table))
	if err != nil {
		return sum, 0, err
	}
	defer rows.Close()
	row := make([]any, width)
	ptrs := make([]any, width)
	for i := range row {
		ptrs[i] = &row[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return sum, 0, err
		}
		sum.add(row)
		n++
	}
	return sum, n, rows.Err()
}

// undoCopy deletes the rows of the tables already copied, last first, so the target is empty again.
func undoCopy(ctx context.Context, dst *sql.DB, done []CopiedTable) error {
	if len(done) == 0 {
		return nil
	}
	tx, err := dst.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("database: copy: empty the PostgreSQL database again: %w", err)
	}
	defer tx.Rollback()
	for _, t := range slices.Backward(done) {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+quoteIdent(t.Name)); err != nil {
			return fmt.Errorf("database: copy: empty the PostgreSQL database again: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("database: copy: empty the PostgreSQL database again: %w", err)
	}
	return nil
}

// instantLayouts are the ways an instant may be written in SQLite's text: the Go driver's own, and the
// ISO forms another writer (the sqlite3 shell, CURRENT_TIMESTAMP) would leave.
var instantLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
}

// instantType is how information_schema names timestamptz.
const instantType = "timestamp with time zone"

// convert turns a value read from SQLite into the value of PostgreSQL's type pgType.
func convert(v any, pgType string) (any, error) {
	if v == nil {
		return nil, nil
	}
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	switch pgType {
	case instantType:
		switch x := v.(type) {
		case time.Time:
			return x.UTC().Truncate(time.Microsecond), nil
		case string:
			for _, layout := range instantLayouts {
				if t, err := time.Parse(layout, strings.TrimSpace(x)); err == nil {
					return t.UTC().Truncate(time.Microsecond), nil
				}
			}
			return nil, fmt.Errorf("%q is not an instant", x)
		}
	case "boolean":
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			if x == 0 || x == 1 {
				return x == 1, nil
			}
			return nil, fmt.Errorf("%d is not a boolean (0 or 1)", x)
		}
	case "integer", "bigint", "smallint":
		switch x := v.(type) {
		case int64:
			return x, nil
		case float64:
			if x == float64(int64(x)) {
				return int64(x), nil
			}
		}
	case "text":
		switch x := v.(type) {
		case string:
			if !utf8.ValidString(x) || strings.ContainsRune(x, 0) {
				return nil, errors.New("the text is not valid UTF-8 without NUL characters, which PostgreSQL requires")
			}
			return x, nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		}
	default:
		return nil, fmt.Errorf("the PostgreSQL type %s is not one copy-data knows", pgType)
	}
	return nil, fmt.Errorf("a %T value (%v) does not fit PostgreSQL's %s", v, v, pgType)
}

// checksum is an order-independent digest of a table's rows: the sum, in four 64-bit lanes, of each
// row's SHA-256 over its values in a form both engines' values share. Rows are read in whatever order
// each engine returns them (their text keys sort differently on the two).
type checksum [4]uint64

func (c *checksum) add(row []any) {
	h := sha256.New()
	var buf []byte
	for _, v := range row {
		buf = buf[:0]
		switch x := v.(type) {
		case nil:
			buf = append(buf, 'N')
		case bool:
			buf = append(buf, 'b')
			buf = strconv.AppendBool(buf, x)
		case int64:
			buf = append(buf, 'i')
			buf = strconv.AppendInt(buf, x, 10)
		case int32:
			buf = append(buf, 'i')
			buf = strconv.AppendInt(buf, int64(x), 10)
		case string:
			buf = append(buf, 's')
			buf = strconv.AppendInt(buf, int64(len(x)), 10)
			buf = append(buf, ':')
			buf = append(buf, x...)
		case []byte:
			buf = append(buf, 's')
			buf = strconv.AppendInt(buf, int64(len(x)), 10)
			buf = append(buf, ':')
			buf = append(buf, x...)
		case time.Time:
			buf = append(buf, 't')
			buf = x.UTC().AppendFormat(buf, time.RFC3339Nano)
		default:
			buf = fmt.Appendf(buf, "?%T:%v", v, v)
		}
		buf = append(buf, 0)
		h.Write(buf)
	}
	sum := h.Sum(nil)
	for i := range c {
		c[i] += binary.BigEndian.Uint64(sum[8*i:])
	}
}

func (c checksum) String() string {
	b := make([]byte, 0, 32)
	for _, v := range c {
		b = binary.BigEndian.AppendUint64(b, v)
	}
	return hex.EncodeToString(b)
}

// quoteIdent quotes a table or column name for either engine.
func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
