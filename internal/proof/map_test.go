package proof

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// securityIDs are the requirement ids of SECURITY.md.
var securityIDs = strings.Fields(`A1 A2 A3 A4 A5 A6 A7 B1 B2 B3 B4 B5 B6 B7 B8 B9 B10 C1 C2 C3 C4 C5 C6 D1 D2 D3 D4
	E1 E2 E3 E4 E5 F1 F2 F3 F4 F5 F6 G1 G2 G3 G4 H1 H2 H3 H5 H6 I1 I2 I3 I4 I5 I6 I7 I8 J1 J2 J3 K1 K2 K3 K4 L1 L2 L3 L4 M1 M2 N1`)

// TestSecurityMapNamesRealTests keeps the map in doc.go honest: every SECURITY.md id has an entry, and
// every test or fuzz target the map names exists in the repository.
func TestSecurityMapNamesRealTests(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range securityIDs {
		if !regexp.MustCompile(`(?m)^//\t` + id + `\s+\S`).Match(doc) {
			t.Errorf("doc.go has no entry for %s", id)
		}
	}
	defined := map[string]bool{}
	root, _ := filepath.Abs("../..")
	decl := regexp.MustCompile(`(?m)^func ((?:Test|Fuzz)[A-Za-z0-9_]+)\(`)
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, "_test.go") {
			src, _ := os.ReadFile(path)
			for _, m := range decl.FindAllSubmatch(src, -1) {
				defined[string(m[1])] = true
			}
		}
		return nil
	})
	for _, m := range regexp.MustCompile(`\b((?:Test|Fuzz)[A-Z][A-Za-z0-9_]+)`).FindAllStringSubmatch(string(doc), -1) {
		if !defined[m[1]] {
			t.Errorf("doc.go names %s, which is not a test in the repository", m[1])
		}
	}
}
