package proof

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// mendBinary is the mend binary built once for the package's tests (see TestMain).
var mendBinary string

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "mend-proof-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "temp dir:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	mendBinary = filepath.Join(dir, "mend")
	return m.Run()
}

var buildOnce sync.Once
var buildErr error

// buildMend builds cmd/mend once and returns the binary's path. It builds without the Dockerfile's
// -trimpath, which only changes the paths recorded in the binary and would compile every package
// (SQLite included) again instead of reusing the build cache (cmd/mend TestDockerBuildFlags checks
// the Dockerfile).
func buildMend(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		cmd := exec.Command("go", "build", "-o", mendBinary, "github.com/mendhq/mend/cmd/mend")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return mendBinary
}

// syncBuffer is a log sink safe for the process's writer goroutine and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// mendProcess is a running `mend serve` child process.
type mendProcess struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	done   chan struct{}
	err    error
}

// freePort returns an address on 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startMend runs `mend serve` on addr with data in dataDir (and env added to its environment), trusting 127.0.0.1 as a proxy so each
// simulated person can send their own address in X-Forwarded-For, and waits until it serves.
func startMend(t *testing.T, bin, addr, dataDir string, env ...string) *mendProcess {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(append(os.Environ(), "MEND_ADDR="+addr, "MEND_DATA_DIR="+dataDir, "MEND_BASE_URL=http://"+addr,
		"MEND_TRUSTED_PROXIES=127.0.0.1", "MEND_LOG_LEVEL=info"), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &mendProcess{cmd: cmd, stderr: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
	})
	ready := make(chan bool, 1)
	go func() {
		lines := bufio.NewScanner(stdout)
		found := false
		for lines.Scan() {
			if !found && strings.Contains(lines.Text(), "Mend is running") {
				found = true
				ready <- true
			}
		}
		if !found {
			ready <- false
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case ok := <-ready:
		if !ok {
			<-p.done
			t.Fatalf("mend exited before serving: %v\n%s", p.err, p.stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("mend did not start within 30 s\n%s", p.stderr.String())
	}
	return p
}

// kill sends sig and waits for the process to end; it returns the exit error (nil for exit 0).
func (p *mendProcess) stop(t *testing.T, sig syscall.Signal) error {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("signal %v: %v", sig, err)
	}
	select {
	case <-p.done:
		return p.err
	case <-time.After(30 * time.Second):
		t.Fatalf("mend did not end within 30 s of %v", sig)
		return nil
	}
}
