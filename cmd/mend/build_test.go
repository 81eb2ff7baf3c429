package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// binDir holds the mend binary the package's tests share; TestMain makes and removes it.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "mend-cmd-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "temp dir:", err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// dockerBuild is the Dockerfile's `go build` command.
type dockerBuild struct {
	Env      []string // KEY=VALUE before `go`
	Trimpath bool
	Flags    []string // every flag but -trimpath and -o, with its value
	Out, Pkg string
}

// readDockerBuild parses the RUN line of the Dockerfile at path that runs `go build`.
func readDockerBuild(path string) (dockerBuild, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return dockerBuild{}, err
	}
	for _, line := range strings.Split(string(src), "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), "RUN ")
		if !ok || !strings.Contains(rest, "go build ") {
			continue
		}
		return parseGoBuild(shellWords(rest))
	}
	return dockerBuild{}, fmt.Errorf("%s runs no `go build`", path)
}

func parseGoBuild(words []string) (dockerBuild, error) {
	var b dockerBuild
	for len(words) > 0 && strings.Contains(words[0], "=") {
		b.Env, words = append(b.Env, words[0]), words[1:]
	}
	if len(words) < 2 || words[0] != "go" || words[1] != "build" {
		return b, fmt.Errorf("not `go build`: %q", words)
	}
	for words = words[2:]; len(words) > 0; words = words[1:] {
		switch w := words[0]; {
		case w == "-trimpath":
			b.Trimpath = true
		case w == "-o" || w == "-ldflags" || w == "-tags":
			if len(words) < 2 {
				return b, fmt.Errorf("%s has no value", w)
			}
			if w == "-o" {
				b.Out = words[1]
			} else {
				b.Flags = append(b.Flags, w, words[1])
			}
			words = words[1:]
		case strings.HasPrefix(w, "-"):
			return b, fmt.Errorf("flag %s: teach parseGoBuild (and so the binary test) about it", w)
		case b.Pkg != "":
			return b, fmt.Errorf("more than one package: %s %s", b.Pkg, w)
		default:
			b.Pkg = w
		}
	}
	return b, nil
}

// shellWords splits s on spaces, keeping "double-quoted" words whole, as the shell would for the
// Dockerfile's build line.
func shellWords(s string) []string {
	var out []string
	var cur strings.Builder
	quoted, inWord := false, false
	for _, c := range s {
		switch {
		case c == '"':
			quoted, inWord = !quoted, true
		case c == ' ' && !quoted:
			if inWord {
				out, inWord = append(out, cur.String()), false
				cur.Reset()
			}
		default:
			cur.WriteRune(c)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

// TestDockerBuildFlags checks the Dockerfile's build: cgo on (go-sqlite3 needs it), -trimpath (no path
// of the build machine in the shipped binary), stripped, ./cmd/mend built to the file the runtime
// stage copies, and only flags buildMend knows how to repeat.
func TestDockerBuildFlags(t *testing.T) {
	t.Parallel()
	b, err := readDockerBuild("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=1") {
		t.Errorf("the Dockerfile builds without CGO_ENABLED=1 (env %q): go-sqlite3 needs cgo", b.Env)
	}
	if !b.Trimpath {
		t.Error("the Dockerfile builds without -trimpath: the binary would carry the build machine's paths")
	}
	if !slices.Equal(b.Flags, []string{"-ldflags", "-s -w"}) {
		t.Errorf("the Dockerfile's flags are %q, want -ldflags \"-s -w\"", b.Flags)
	}
	if b.Pkg != "./cmd/mend" {
		t.Errorf("the Dockerfile builds %q, want ./cmd/mend", b.Pkg)
	}
	if b.Out == "" || !strings.Contains(mustRead(t, "../../Dockerfile"), "COPY --from=build "+b.Out+" ") {
		t.Errorf("the runtime stage does not copy the built binary %q", b.Out)
	}
}

var (
	buildOnce sync.Once
	buildBin  string
	buildErr  error
)

// buildMend builds the binary once per test run, into binDir, as the Dockerfile does except for
// -trimpath: that flag only changes the file paths recorded in the binary, and it would compile every
// package again (SQLite included) instead of reusing the build cache the tests have filled.
func buildMend(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		b, err := readDockerBuild("../../Dockerfile")
		if err != nil {
			buildErr = err
			return
		}
		bin := filepath.Join(binDir, "mend")
		cmd := exec.Command("go", append(append([]string{"build"}, b.Flags...), "-o", bin, ".")...)
		cmd.Env = append(os.Environ(), b.Env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("build: %v\n%s", err, out)
			return
		}
		buildBin = bin
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildBin
}
