package proof

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// queryMethods are the GORM and database/sql methods whose first argument is SQL text.
var queryMethods = map[string]bool{
	"Raw": true, "Exec": true, "Where": true, "Or": true, "Not": true, "Order": true, "Group": true, "Having": true,
	"Joins": true, "Select": true, "Distinct": true, "Query": true, "QueryRow": true, "QueryContext": true,
	"QueryRowContext": true, "ExecContext": true, "Pluck": true,
}

// constSQL reports whether e is SQL text fixed at compile time: string literals, package constants, and
// + of those. Anything built from variables (fmt.Sprintf, concatenated input) is not.
func constSQL(e ast.Expr, consts map[string]bool) bool {
	switch x := e.(type) {
	case *ast.BasicLit:
		return x.Kind == token.STRING
	case *ast.Ident:
		return consts[x.Name]
	case *ast.SelectorExpr:
		return false
	case *ast.BinaryExpr:
		return x.Op == token.ADD && constSQL(x.X, consts) && constSQL(x.Y, consts)
	case *ast.ParenExpr:
		return constSQL(x.X, consts)
	case *ast.CompositeLit:
		return true // a struct or map condition: GORM binds its values
	case *ast.UnaryExpr:
		_, lit := x.X.(*ast.CompositeLit)
		return x.Op == token.AND && lit
	}
	return false
}

// dynamicSQL returns, for every non-test Go file under root, each query whose SQL text is not fixed at
// compile time (SECURITY F6).
func dynamicSQL(t *testing.T, root string) []string {
	t.Helper()
	pkgs := map[string][]*ast.File{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		pkgs[filepath.Dir(path)] = append(pkgs[filepath.Dir(path)], f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, files := range pkgs {
		consts := map[string]bool{}
		for _, f := range files {
			for _, d := range f.Decls {
				if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
					for _, s := range g.Specs {
						for _, n := range s.(*ast.ValueSpec).Names {
							consts[n.Name] = true
						}
					}
				}
			}
		}
		for _, f := range files {
			fn := ""
			ast.Inspect(f, func(n ast.Node) bool {
				if d, ok := n.(*ast.FuncDecl); ok {
					fn = d.Name.Name
				}
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) == 0 {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok || !queryMethods[sel.Sel.Name] {
					return true
				}
				arg := call.Args[0]
				if sel.Sel.Name == "QueryContext" || sel.Sel.Name == "ExecContext" || sel.Sel.Name == "QueryRowContext" {
					if len(call.Args) < 2 {
						return true
					}
					arg = call.Args[1]
				}
				if !constSQL(arg, consts) {
					rel, _ := filepath.Rel(root, fset.Position(call.Pos()).Filename)
					out = append(out, fmt.Sprintf("%s %s %s", filepath.ToSlash(rel), fn, sel.Sel.Name))
				}
				return true
			})
		}
	}
	sort.Strings(out)
	return out
}

// sqlExceptions are query calls with SQL text that is not a literal, each checked by hand.
var sqlExceptions = map[string]string{
	"internal/bench/copy_sqlite.go copyRows ExecContext": "the load benchmark's tool (cmd/mend-bench, not the served app): fixed PRAGMAs, " +
		"and copies whose table and column names come from the database's own schema, never from input",
	"internal/bench/datasets_sqlite.go finish Exec": "the load benchmark's tool: a loop over two fixed statements (ANALYZE, a checkpoint)",
	"internal/bench/ceiling.go prepareCeiling Exec": "the load benchmark's tool: one of two fixed CREATE TABLE constants, chosen by engine",
	"internal/bench/datasets_postgres.go Create ExecContext": "the load benchmark's tool: CREATE DATABASE of a name made of mend_bench_, " +
		"the data set's name reduced to [a-z0-9_] and random hex",
	"internal/bench/datasets_postgres.go Close ExecContext": "the load benchmark's tool: DROP DATABASE of the names Create made",
	"internal/database/copy.go checksumOf QueryContext":     copyData,
	"internal/database/copy.go copyTable ExecContext":       copyData,
	"internal/database/copy.go copyTable QueryContext":      copyData,
	"internal/database/copy.go emptyTarget QueryRowContext": copyData,
	"internal/database/copy.go undoCopy ExecContext":        copyData,
	"internal/server/guard.go Group Group":                  "a Fiber router group, not SQL",
	"internal/server/pages_couple.go coupleView Or":         "cmp.Or choosing a form's default, not SQL",
	"internal/server/pages_questions.go ForError Or":        "cmp.Or choosing which field's message to show, not SQL",
	"internal/testutil/postgres.go buildTemplate ExecContext": "the test kit (never in the binary): CREATE/ALTER/DROP DATABASE " +
		"take a database name, which cannot be a bound parameter; the names are made by the kit itself (a prefix and random hex)",
	"internal/testutil/postgres.go newPostgresDatabase ExecContext": "the test kit (never in the binary): CREATE/DROP DATABASE " +
		"with names the kit makes itself (a prefix and random hex)",
	"internal/testutil/postgres.go CopyPostgresDB ExecContext": "the test kit (never in the binary): CREATE DATABASE … TEMPLATE " +
		"of the test's own database, under a name the kit makes itself (a prefix and random hex)",
	"internal/testutil/vault.go RequireSealed Pluck": "the test kit (never in the binary): the column a test names, " +
		"a constant in that test",
	"internal/vault/existing.go encryptColumn Select": encryptExisting,
	"internal/vault/existing.go encryptColumn Where":  encryptExisting,
	"internal/vault/existing.go encryptColumn Order":  encryptExisting,
	"internal/vault/existing.go sealBatch Where":      encryptExisting,
	"internal/testutil/postgres.go dropDatabase ExecContext": "the test kit (never in the binary): DROP DATABASE of a test's " +
		"database, with the name newPostgresDatabase made (a prefix and random hex)",
}

// encryptExisting is why mend keys encrypt-existing's statements are built at run time.
const encryptExisting = "mend keys encrypt-existing (an operator's command, not a request): the table and column names " +
	"come from each feature's Columns(), fixed lists in Mend's code (server.SealedColumns), as do the key columns and the " +
	"owner expressions; every value is a bound parameter"

// copyData is why mend copy-data's statements are built at run time.
const copyData = "mend copy-data (an operator's command, not a request): SELECT, INSERT and DELETE of whole tables whose " +
	"table and column names come from the two databases' own catalogues (sqlite_schema, information_schema), checked " +
	"equal on both and quoted; every value is a bound parameter"

// TestSQLTextIsFixedAtCompileTime covers SECURITY F6 in the source: every query method (Raw, Exec,
// Where, Order, Joins, …) in Mend's non-test code gets SQL text made only of string literals and
// constants, so input can reach the database only as a bound parameter. Exceptions are listed with the
// reason, and an exception that no longer exists fails too.
func TestSQLTextIsFixedAtCompileTime(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, l := range dynamicSQL(t, root) {
		found[l] = true
		if _, ok := sqlExceptions[l]; !ok {
			t.Errorf("%s: SQL text built at run time; use a literal with ? parameters (or an allowlist of fixed fragments)", l)
		}
	}
	for l := range sqlExceptions {
		if !found[l] {
			t.Errorf("sqlExceptions lists %s, which is no longer in the code", l)
		}
	}
}

// TestDynamicSQLIsCaught shows the source check flags SQL built from input.
func TestDynamicSQLIsCaught(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := `package bad
import "fmt"
const col = "title"
func f(db interface{ Where(any, ...any) any; Order(any) any; Raw(string, ...any) any }, in string) {
	db.Where("title = ?", in)
	db.Where(col+" = ?", in)
	db.Where("title = '" + in + "'")
	db.Order(in)
	db.Raw(fmt.Sprintf("SELECT * FROM t WHERE a = %q", in))
}
`
	if err := writeFile(filepath.Join(dir, "bad", "bad.go"), src); err != nil {
		t.Fatal(err)
	}
	got := dynamicSQL(t, dir)
	want := []string{"bad/bad.go f Order", "bad/bad.go f Raw", "bad/bad.go f Where"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("flagged %v, want %v", got, want)
	}
}

// sqlPayload is text shaped like SQL injection, with the field's marker.
func sqlPayload(field string) string {
	if strings.HasPrefix(field, "display-name") {
		return "x' OR '1'='1'; --x-" + field + "-x"
	}
	return "x' OR '1'='1'; DROP TABLE users; -- \" UNION SELECT password_hash FROM users --x-" + field + "-x"
}

// TestSQLShapedInputIsJustText covers SECURITY F6 at run time: the journey with SQL-shaped text in every
// field completes, each text comes back as written, and SQL-shaped ids and weeks are plain 404s.
func TestSQLShapedInputIsJustText(t *testing.T) {
	t.Parallel()
	j := newJourney(t, sqlPayload)
	j.run()
	j.crawl(true)
	shown := map[string]bool{}
	for _, ex := range j.seen {
		if ex.Resp.Status >= 500 || strings.Contains(ex.Resp.Body, "$argon2") {
			t.Errorf("%s %s %s: %d", ex.Who, ex.Method, ex.Path, ex.Resp.Status)
		}
		for _, f := range j.fields {
			if strings.Contains(ex.Resp.Body, "DROP TABLE users; -- \\\" UNION SELECT password_hash FROM users --x-"+f+"-x") ||
				strings.Contains(ex.Resp.Body, "&#39;1&#39;=&#39;1&#39;; --x-"+f+"-x") {
				shown[f] = true
			}
		}
	}
	for _, f := range j.fields {
		if _, skip := notShownAnywhere[f]; !skip && !shown[f] {
			t.Errorf("the text of %s did not come back as written", f)
		}
	}
	for _, p := range []string{"/api/v1/agreements/x'%20OR%20'1'='1", "/api/v1/checkins/2026-W48'%20OR%201=1--", "/agreements/1%20OR%201=1", "/checkins/'--"} {
		if r := j.A.Get(p); r.Status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, r.Status)
		}
	}
}
