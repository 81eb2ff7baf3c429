package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Process is a server under test, started as a separate process on 127.0.0.1.
type Process struct {
	Name string
	URL  string
	// StartUp is the time from starting the process to its first /healthz answer.
	StartUp time.Duration
	// Log is the file that holds the process's standard error.
	Log  string
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
}

// freeAddr returns a free 127.0.0.1 port.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// startProcess starts cmd (whose server listens on addr) with its output in logPath and waits for
// its first /healthz answer.
func startProcess(ctx context.Context, name string, cmd *exec.Cmd, addr, logPath string) (*Process, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd.Stdout, cmd.Stderr = logf, logf
	p := &Process{Name: name, URL: "http://" + addr, Log: logPath, cmd: cmd, done: make(chan struct{})}
	client := &http.Client{Timeout: time.Second}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("bench: start %s: %w", name, err)
	}
	go func() { _ = cmd.Wait(); close(p.done) }()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := client.Get(p.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				p.StartUp = time.Since(start)
				break
			}
		}
		select {
		case <-p.done:
			out, _ := os.ReadFile(logPath)
			return nil, fmt.Errorf("bench: %s exited before answering: %s", name, lastLines(string(out), 5))
		case <-ctx.Done():
			p.kill()
			return nil, ctx.Err()
		default:
		}
		if time.Now().After(deadline) {
			p.kill()
			return nil, fmt.Errorf("bench: %s did not answer /healthz within 2 minutes", name)
		}
		time.Sleep(500 * time.Microsecond)
	}
	return p, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func (p *Process) kill() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

// Stop sends SIGTERM and waits up to 20 s for the process to exit, then kills it.
func (p *Process) Stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		p.kill()
	}
}

func (p *Process) pid() int { return p.cmd.Process.Pid }

// RSS returns the process's resident set size and its peak (VmRSS, VmHWM), in bytes.
func (p *Process) RSS() (rss, peak int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.pid()))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb * 1024
		case "VmHWM:":
			peak = kb * 1024
		}
	}
	return rss, peak, nil
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat times; it is 100 on every Linux Go supports.
const clockTicks = 100

// CPU returns the process's user plus system CPU time so far.
func (p *Process) CPU() (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.pid()))
	if err != nil {
		return 0, err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, errors.New("bench: unexpected /proc/PID/stat")
	}
	f := strings.Fields(s[i+1:])
	// After the command name: state is field 3, utime field 14 and stime field 15 (1-based).
	if len(f) < 13 {
		return 0, errors.New("bench: short /proc/PID/stat")
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / clockTicks, nil
}

// countInLog counts the lines of the process log that contain s.
func (p *Process) countInLog(s string) int {
	b, err := os.ReadFile(p.Log)
	if err != nil {
		return 0
	}
	return strings.Count(string(b), s)
}
