package main

import (
	"runtime/debug"
	"strconv"
)

// defaultMemoryLimit is the Go runtime's soft memory limit when GOMEMLIMIT is not set: the garbage
// collector works harder as the Go heap nears it, which keeps a busy server's memory bounded instead
// of letting the heap double its live size (Go's default). It is soft: the collector never spends more
// than about half the CPU to hold it, so a heap that truly needs more gets more. SQLite's page caches
// and the binary itself are outside it.
const defaultMemoryLimit = 48 << 20

// limitMemory applies the default memory limit unless GOMEMLIMIT is set (the runtime has then applied
// that one itself; GOMEMLIMIT=off removes the limit). It returns the setting in effect, for the
// start-up banner.
func limitMemory(getenv func(string) string) string {
	if v := getenv("GOMEMLIMIT"); v != "" {
		return "GOMEMLIMIT=" + v
	}
	debug.SetMemoryLimit(defaultMemoryLimit)
	return "GOMEMLIMIT=" + strconv.Itoa(defaultMemoryLimit>>20) + "MiB (default)"
}
