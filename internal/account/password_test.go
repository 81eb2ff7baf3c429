package account

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestHashIsArgon2idPHCWithFreshSalt(t *testing.T) {
	t.Parallel()
	h := NewHasher(2)
	ctx := context.Background()
	a, err := h.Hash(ctx, "same password for both")
	if err != nil {
		t.Fatal(err)
	}
	b, err := h.Hash(ctx, "same password for both")
	if err != nil {
		t.Fatal(err)
	}
	phc := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	for _, s := range []string{a, b} {
		if !phc.MatchString(s) {
			t.Errorf("hash %q is not an argon2id PHC string with m=19456,t=2,p=1 and a 16-byte salt", s)
		}
	}
	if a == b {
		t.Error("the same password hashed twice gave the same string: salts are not random")
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{
		{"same password for both", true},
		{"same password for bot", false},
		{"SAME PASSWORD FOR BOTH", false},
		{"", false},
	} {
		ok, err := h.Verify(ctx, a, tc.pw)
		if err != nil || ok != tc.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
	if ok, err := h.Verify(ctx, "", "anything at all here"); ok || err != nil {
		t.Errorf("verify against the dummy hash = %v, %v; want false, nil", ok, err)
	}
	if _, err := h.Verify(ctx, "$argon2id$v=19$m=1,t=1,p=1$AAAA$AAAA", "x"); err == nil {
		t.Error("weaker parameters were accepted")
	}
}

func TestPasswordPolicy(t *testing.T) {
	t.Parallel()
	h := NewHasher(1)
	cases := []struct {
		name, pw string
		ok       bool
	}{
		{"11 characters", "abcdefghijk", false},
		{"12 characters", "abcdefghijkq", true},
		{"12 runes of 2 bytes count as 12", strings.Repeat("é", 12), true},
		{"11 runes of 3 bytes are too short", strings.Repeat("€", 11), false},
		{"256 characters", strings.Repeat("x", 255) + "y", true},
		{"257 characters", strings.Repeat("x", 256) + "y", false},
		{"common", "password1234", false},
		{"common in another case", "PassWord1234", false},
		{"invalid UTF-8", "abcdefghijkl\xff", false},
		{"spaces and symbols", "  tea & toast at nine  ", true},
	}
	for _, tc := range cases {
		if got := h.CheckPolicy(tc.pw) == ""; got != tc.ok {
			t.Errorf("%s: accepted = %v, want %v (%q)", tc.name, got, tc.ok, h.CheckPolicy(tc.pw))
		}
	}
}

func TestHashingRunsUnderTheCap(t *testing.T) {
	t.Parallel()
	h := NewHasher(2)
	var wg sync.WaitGroup
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := h.Verify(context.Background(), "", "a password of some length"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if p := h.peak.Load(); p < 1 || p > 2 {
		t.Errorf("peak concurrent hashes = %d, want 1..2", p)
	}
}

func TestHashingAnswersBusyWhenTheQueueStaysFull(t *testing.T) {
	t.Parallel()
	h := NewHasher(1)
	h.wait = 20 * time.Millisecond
	h.sem <- struct{}{} // the only slot is taken
	if _, err := h.Hash(context.Background(), "a password of some length"); !errors.Is(err, ErrBusy) {
		t.Errorf("Hash with a full queue = %v, want ErrBusy", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h.wait = time.Hour
	if _, err := h.Verify(ctx, "", "a password of some length"); !errors.Is(err, ErrBusy) {
		t.Errorf("Verify with a cancelled request = %v, want ErrBusy", err)
	}
}

func TestDeviceName(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0":                                                        "Firefox on Windows",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1": "Safari on iPhone",
		"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36":                   "Chrome on Android",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0":     "Edge on Mac",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15":                   "Safari on Mac",
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36":                           "Chrome on Linux",
		"curl/8.5.0": "Curl",
		"":           "Unknown device",
		"Mozilla/5.0 (Windows NT 10.0) SomethingNew/1.0": "A browser on Windows",
	}
	for ua, want := range cases {
		if got := DeviceName(ua); got != want {
			t.Errorf("DeviceName(%q) = %q, want %q", ua, got, want)
		}
	}
}
