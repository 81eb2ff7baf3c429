package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// TestNotifyCommand: mend notify takes exactly --once, says so otherwise, and refuses clearly where
// e-mail is not set up; the top-level help lists it.
func TestNotifyCommand(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"--help"}, envFrom(nil), &out, io.Discard); err != nil || !strings.Contains(out.String(), "notify --once") {
		t.Errorf("mend --help does not list notify: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"notify"}, envFrom(nil), &out, io.Discard); err != errUsage || !strings.Contains(out.String(), "Usage: mend notify --once") {
		t.Errorf("notify without --once: %v %q", err, out.String())
	}
	env := envFrom(map[string]string{"MEND_DATA_DIR": filepath.Join(t.TempDir(), "data")})
	if err := run(context.Background(), []string{"notify", "--once"}, env, io.Discard, io.Discard); err != errMailOff {
		t.Errorf("notify without e-mail set up: %v", err)
	}
	bad := envFrom(map[string]string{"MEND_DATA_DIR": filepath.Join(t.TempDir(), "data"), "MEND_SMTP_URL": "smtp://mail.example.org:25?tls=none", "MEND_MAIL_FROM": "n@example.org"})
	if err := run(context.Background(), []string{"notify", "--once"}, bad, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "MEND_SMTP_URL") {
		t.Errorf("plain SMTP to a remote host: %v", err)
	}
}
