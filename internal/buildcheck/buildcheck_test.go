// Package buildcheck_test checks the supply chain of the mend binary (SECURITY J1, J3).
package buildcheck_test

import (
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/mod/semver"
)

// floors are the minimum versions of SECURITY J1.
var floors = map[string]string{
	"github.com/gofiber/fiber/v2":  "v2.52.15",
	"github.com/golang-jwt/jwt/v5": "v5.3.1",
	"golang.org/x/text":            "v0.39.0",
	"github.com/mattn/go-sqlite3":  "v1.14.49",
}

// TestDependencyFloors reads the module versions linked into cmd/mend (go version -m on a fresh build)
// and checks each floor.
func TestDependencyFloors(t *testing.T) {
	bin := t.TempDir() + "/mend"
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/mend").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	out, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	linked := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && (f[0] == "dep" || f[0] == "=>") {
			linked[f[1]] = f[2]
		}
	}
	for mod, floor := range floors {
		v, ok := linked[mod]
		if !ok {
			t.Errorf("%s is not linked into mend", mod)
			continue
		}
		if semver.Compare(v, floor) < 0 {
			t.Errorf("%s %s is below the floor %s", mod, v, floor)
		}
	}
}

// TestNoDebugEndpointsLinked checks that no debug endpoint package is linked into mend (SECURITY J3);
// the route-level check lives with the route tests in internal/server.
func TestNoDebugEndpointsLinked(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "../../cmd/mend").Output()
	if err != nil {
		t.Fatal(err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 50 {
		t.Fatalf("suspiciously few dependencies listed: %d", len(deps))
	}
	banned := []string{"net/http/pprof", "expvar", "github.com/gofiber/fiber/v2/middleware/pprof",
		"github.com/gofiber/fiber/v2/middleware/monitor", "github.com/gofiber/fiber/v2/middleware/expvar"}
	for _, d := range deps {
		for _, b := range banned {
			if d == b {
				t.Errorf("mend links the debug package %s", d)
			}
		}
	}
}
