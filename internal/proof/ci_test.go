package proof

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCIRunsEveryCheck covers SECURITY J2: the README's test command (.ci/test) runs go vet,
// staticcheck, the race detector over every package and the fuzz targets, and .ci/fuzz finds every
// fuzz target in the repository (it looks for `func FuzzX(f *testing.F)`, so one written differently
// would silently never be fuzzed).
func TestCIRunsEveryCheck(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	ci, err := os.ReadFile(filepath.Join(root, ".ci", "test"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"go vet ./...", "honnef.co/go/tools/cmd/staticcheck", "go test -race", "./...", "./.ci/fuzz"} {
		if !strings.Contains(string(ci), want) {
			t.Errorf(".ci/test does not run %q", want)
		}
	}
	st, err := os.Stat(filepath.Join(root, ".ci", "fuzz"))
	if err != nil || st.Mode().Perm()&0o100 == 0 {
		t.Fatalf(".ci/fuzz is missing or not executable: %v", err)
	}
	found := regexp.MustCompile(`(?m)^func Fuzz[A-Za-z0-9_]+\(f \*testing\.F\)`)
	every := regexp.MustCompile(`(?m)^func (Fuzz[A-Za-z0-9_]*)\(`)
	n := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		all, seen := every.FindAllStringSubmatch(string(src), -1), found.FindAllString(string(src), -1)
		n += len(seen)
		if len(all) != len(seen) {
			t.Errorf("%s: a fuzz target .ci/fuzz cannot find (write it as func FuzzX(f *testing.F))", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 7 {
		t.Errorf("only %d fuzz targets found", n)
	}
}
