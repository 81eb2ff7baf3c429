package main

import (
	"fmt"
	"runtime/debug"
	"strings"
	"testing"
)

// TestMemoryLimitDefault checks serve's default Go memory limit and that GOMEMLIMIT overrides it. Not
// parallel: the limit is the whole process's.
func TestMemoryLimitDefault(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })

	debug.SetMemoryLimit(1 << 40)
	got := limitMemory(envFrom(nil))
	if limit := debug.SetMemoryLimit(-1); limit != defaultMemoryLimit {
		t.Errorf("limit %d, want the default %d", limit, defaultMemoryLimit)
	}
	if want := fmt.Sprintf("GOMEMLIMIT=%dMiB (default)", defaultMemoryLimit>>20); got != want {
		t.Errorf("banner %q", got)
	}

	debug.SetMemoryLimit(123 << 20) // as the runtime would have from GOMEMLIMIT=123MiB
	got = limitMemory(envFrom(map[string]string{"GOMEMLIMIT": "123MiB"}))
	if limit := debug.SetMemoryLimit(-1); limit != 123<<20 {
		t.Errorf("GOMEMLIMIT was overridden: limit %d", limit)
	}
	if !strings.Contains(got, "123MiB") || strings.Contains(got, "default") {
		t.Errorf("banner %q", got)
	}
}
