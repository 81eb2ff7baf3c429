package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func envFrom(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestHelpForEveryCommand(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"migrate", "--help"}, {"backup", "--help"},
		{"user", "--help"}, {"notify", "--help"}, {"healthcheck", "--help"}, {"version", "--help"}, {"copy-data", "--help"}, {"keys", "--help"}} {
		var out bytes.Buffer
		if err := run(context.Background(), args, envFrom(nil), &out, io.Discard); err != nil {
			t.Errorf("%v: %v", args, err)
		}
		if !strings.Contains(out.String(), "Usage: mend") {
			t.Errorf("%v printed no usage: %q", args, out.String())
		}
	}
	var errOut bytes.Buffer
	if err := run(context.Background(), []string{"frobnicate"}, envFrom(nil), io.Discard, &errOut); err == nil || !strings.Contains(errOut.String(), "unknown command") {
		t.Fatalf("unknown command: err %v, stderr %q", err, errOut.String())
	}
}

func TestMigrateBackupAndVersion(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	env := envFrom(map[string]string{"MEND_DATA_DIR": dir})
	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate"}, env, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(dir)
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("data dir: %v %v", st.Mode().Perm(), err)
	}
	key, err := os.Stat(filepath.Join(dir, "secret.key"))
	if err != nil || key.Mode().Perm() != 0o600 {
		t.Fatalf("secret key: %v", err)
	}
	backup := filepath.Join(t.TempDir(), "b.db")
	if err := os.WriteFile(backup+".tmp-17", []byte("an interrupted backup"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"backup", backup}, env, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(backup); err != nil {
		t.Fatalf("backup: %v", err)
	} else if st.Size() == 0 || st.Mode().Perm() != 0o600 {
		t.Fatalf("backup: %d bytes, mode %v", st.Size(), st.Mode().Perm())
	}
	if _, err := os.Stat(backup + ".tmp-17"); !os.IsNotExist(err) {
		t.Errorf("the interrupted backup's copy is still there: %v", err)
	}
	if err := run(context.Background(), []string{"backup"}, env, io.Discard, io.Discard); err == nil {
		t.Fatal("backup without FILE succeeded")
	}
	out.Reset()
	if err := run(context.Background(), []string{"version"}, env, &out, io.Discard); err != nil || !strings.HasPrefix(out.String(), "mend ") {
		t.Fatalf("version: %q %v", out.String(), err)
	}
}

func TestServeRefusesCorruptDatabase(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	env := envFrom(map[string]string{"MEND_DATA_DIR": dir, "MEND_ADDR": "127.0.0.1:0"})
	if err := run(context.Background(), []string{"migrate"}, env, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "mend.db")
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	for i := 100; i < len(b); i++ {
		b[i] = byte(i * 13)
	}
	if err := os.WriteFile(db, b, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = run(ctx, []string{"serve"}, env, io.Discard, io.Discard)
	if err == nil {
		t.Fatal("serve started on a corrupt database")
	}
}

func TestRefusesWeakSecretKey(t *testing.T) {
	t.Parallel()
	env := envFrom(map[string]string{"MEND_DATA_DIR": t.TempDir(), "MEND_SECRET_KEY": "changeme"})
	if err := run(context.Background(), []string{"migrate"}, env, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "MEND_SECRET_KEY") {
		t.Fatalf("weak key: %v", err)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestBinaryStartsServesAndStopsOnSIGTERM builds mend as the Dockerfile does (buildMend), starts it,
// checks /healthz, /readyz, the landing page and `mend healthcheck`, then sends SIGTERM and expects exit
// 0 (SECURITY I8).
func TestBinaryStartsServesAndStopsOnSIGTERM(t *testing.T) {
	t.Parallel()
	bin := buildMend(t)
	addr := freeAddr(t)
	env := append(os.Environ(), "MEND_ADDR="+addr, "MEND_DATA_DIR="+filepath.Join(t.TempDir(), "data"))
	cmd := exec.Command(bin, "serve")
	cmd.Env = env
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(stdout)
	for lines.Scan() && !strings.Contains(lines.Text(), "Mend is running") {
	}
	go io.Copy(io.Discard, stdout)
	for _, path := range []string{"/healthz", "/readyz", "/"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatalf("%s: %v\n%s", path, err, stderr.String())
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
	}
	hc := exec.Command(bin, "healthcheck")
	hc.Env = env
	if out, err := hc.CombinedOutput(); err != nil {
		t.Fatalf("healthcheck: %v %s", err, out)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("mend did not stop within 20 s of SIGTERM")
	}
	if !strings.Contains(stderr.String(), `"msg":"stopped"`) {
		t.Fatalf("no clean stop logged: %s", stderr.String())
	}
	hc = exec.Command(bin, "healthcheck")
	hc.Env = env
	if err := hc.Run(); err == nil {
		t.Fatal("healthcheck passed with the server stopped")
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
