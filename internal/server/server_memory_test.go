package server

import (
	"bytes"
	"testing"

	"github.com/mendhq/mend/internal/config"
)

// TestIdleConnectionsHoldNoBuffers checks the server hands an idle keep-alive connection's buffers
// back to the pool: without it each open connection keeps about 20 KB, which under load was most of
// the heap.
func TestIdleConnectionsHoldNoBuffers(t *testing.T) {
	t.Parallel()
	s, err := New(Deps{Config: config.Config{SecretKey: bytes.Repeat([]byte{7}, 32), BaseURL: "http://127.0.0.1:8080"}})
	if err != nil {
		t.Fatal(err)
	}
	if !s.App().Config().ReduceMemoryUsage {
		t.Error("ReduceMemoryUsage is off: idle connections keep their read and write buffers")
	}
}
