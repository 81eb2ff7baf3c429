package proof

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// engineConstructs are SQL constructs that only one of Mend's engines runs (DESIGN §4: portable SQL),
// by name, each with the pattern that finds it in a string literal.
var engineConstructs = []struct {
	name    string
	pattern *regexp.Regexp
}{
	// SQLite only.
	{"json_each", regexp.MustCompile(`(?i)\bjson_each\s*\(`)},
	{"json_extract", regexp.MustCompile(`(?i)\bjson_extract\s*\(`)},
	{"group_concat", regexp.MustCompile(`(?i)\bgroup_concat\s*\(`)},
	{"hex(", regexp.MustCompile(`(?i)\b(un)?hex\s*\(`)},
	{"strftime", regexp.MustCompile(`(?i)\bstrftime\s*\(`)},
	{"julianday", regexp.MustCompile(`(?i)\bjulianday\s*\(`)},
	{"datetime(", regexp.MustCompile(`(?i)\bdatetime\s*\(`)},
	{"ifnull", regexp.MustCompile(`(?i)\bifnull\s*\(`)},
	{"iif", regexp.MustCompile(`(?i)\biif\s*\(`)},
	{"two-argument max/min", regexp.MustCompile(`(?i)\b(max|min)\s*\((?:[^(),]|\([^()]*\))*,`)},
	{"INSERT OR", regexp.MustCompile(`(?i)\binsert\s+or\s+(ignore|replace)\b`)},
	{"pragma", regexp.MustCompile(`(?i)\bpragma\b`)},
	{"sqlite_master", regexp.MustCompile(`(?i)\bsqlite_(master|schema)\b`)},
	// PostgreSQL only.
	{"greatest/least", regexp.MustCompile(`(?i)\b(greatest|least)\s*\(`)},
	{"::cast", regexp.MustCompile(`\w::\w`)},
	{"ILIKE", regexp.MustCompile(`(?i)\bilike\b`)},
	{"FOR UPDATE/SHARE", regexp.MustCompile(`(?i)\bfor\s+(no\s+key\s+)?(update|share)\b`)},
	{"$n placeholder", regexp.MustCompile(`\$[1-9]`)},
}

// enginePlaces are where SQL may depend on one engine, each the one named place for it: the database
// package (connecting, migrating, checking and backing up each engine), and any file named for its
// engine (name_sqlite.go, name_postgres.go), which holds that engine's version of a statement that
// must differ.
func enginePlace(rel string) bool {
	return strings.HasPrefix(rel, "internal/database/") ||
		strings.HasSuffix(rel, "_sqlite.go") || strings.HasSuffix(rel, "_postgres.go")
}

// engineBound is the SQL outside those places that still runs on one engine only, by file and
// construct, with the reason. The list only shrinks: a new entry fails TestEngineSpecificSQLIsListed,
// and so does an entry no longer in the code (delete its line).
var engineBound = map[string]string{
	"internal/testutil/postgres.go: $n placeholder": "the test kit's PostgreSQL administration (one database per test), " +
		"on a database/sql connection of its own",
}

// engineSQL returns "file: construct" for every string literal in the non-test Go files under
// root/internal that holds a construct of engineConstructs, outside enginePlace.
func engineSQL(t *testing.T, root string) []string {
	t.Helper()
	found := map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(filepath.Join(root, "internal"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if enginePlace(rel) {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				s = lit.Value
			}
			for _, c := range engineConstructs {
				if c.pattern.MatchString(s) {
					found[rel+": "+c.name] = true
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, 0, len(found))
	for k := range found {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestEngineSpecificSQLIsListed says which SQL in internal/ runs on one engine only: outside the named
// per-engine places (the database package, files named _sqlite.go or _postgres.go), every such
// construct is listed in engineBound with its reason, and a new one anywhere else fails, so SQL that
// only SQLite (or only PostgreSQL) understands cannot come back into the services unnoticed.
func TestEngineSpecificSQLIsListed(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, l := range engineSQL(t, root) {
		found[l] = true
		if _, ok := engineBound[l]; !ok {
			t.Errorf("%s: SQL that only one engine runs; write it so both run it (bound parameters, aggregate "+
				"max, no JSON or text tricks), or put each engine's version in a file named _sqlite.go and _postgres.go", l)
		}
	}
	var left []string
	for l, why := range engineBound {
		if !found[l] {
			t.Errorf("engineBound lists %s, which is no longer in the code: delete its line", l)
			continue
		}
		left = append(left, l+" ("+why+")")
	}
	sort.Strings(left)
	t.Logf("SQL that still runs on one engine only:\n%s", strings.Join(left, "\n"))
}

// TestEngineSpecificSQLIsCaught shows the source check finds each construct, in a service file but not
// in a file named for its engine.
func TestEngineSpecificSQLIsCaught(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	write := func(rel, src string) {
		t.Helper()
		path := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var src strings.Builder
	src.WriteString("package svc\n\nconst (\n")
	examples := map[string]string{
		"json_each":            "SELECT value FROM json_each(?)",
		"json_extract":         "SELECT json_extract(body, '$.a') FROM t",
		"group_concat":         "SELECT group_concat(id) FROM t",
		"hex(":                 "SELECT hex(id) FROM t",
		"strftime":             "SELECT strftime('%s', created_at) FROM t",
		"julianday":            "SELECT julianday(a) - julianday(b) FROM t",
		"datetime(":            "SELECT 1 FROM t WHERE at < datetime('now')",
		"ifnull":               "SELECT ifnull(a, 0) FROM t",
		"iif":                  "SELECT iif(a, 1, 2) FROM t",
		"two-argument max/min": "SELECT max(v.created_at, coalesce((SELECT 1), '')) FROM t",
		"INSERT OR":            "INSERT OR IGNORE INTO t (a) VALUES (?)",
		"pragma":               "PRAGMA foreign_keys = ON",
		"sqlite_master":        "SELECT name FROM sqlite_master",
		"greatest/least":       "SELECT greatest(a, b) FROM t",
		"::cast":               "SELECT a::text FROM t",
		"ILIKE":                "SELECT 1 FROM t WHERE a ILIKE ?",
		"FOR UPDATE/SHARE":     "SELECT 1 FROM t WHERE id = ? FOR UPDATE",
		"$n placeholder":       "SELECT 1 FROM t WHERE id = $1",
	}
	if len(examples) != len(engineConstructs) {
		t.Fatalf("%d examples for %d constructs", len(examples), len(engineConstructs))
	}
	i := 0
	for _, s := range examples {
		fmt.Fprintf(&src, "\tq%d = %q\n", i, s)
		i++
	}
	src.WriteString("\t// Portable: not flagged.\n")
	src.WriteString("\tok1 = `SELECT max(number), coalesce(a, '') FROM t WHERE (SELECT max(c.at) FROM c) > ?`\n")
	src.WriteString(")\n")
	write("internal/svc/svc.go", src.String())
	write("internal/svc/query_sqlite.go", "package svc\n\nconst q = `SELECT group_concat(id) FROM t`\n")
	write("internal/svc/query_postgres.go", "package svc\n\nconst q = `SELECT string_agg(id, ',') FROM t FOR UPDATE`\n")
	write("internal/database/check.go", "package database\n\nconst q = `PRAGMA quick_check`\n")
	write("internal/svc/svc_test.go", "package svc\n\nconst q = `PRAGMA quick_check`\n")

	var want []string
	for name := range examples {
		want = append(want, "internal/svc/svc.go: "+name)
	}
	sort.Strings(want)
	if got := engineSQL(t, root); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("found:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
