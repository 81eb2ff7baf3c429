package server_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/testutil"
)

// serve runs app on a real listener on 127.0.0.1 until the test ends and returns its base URL.
func serve(t *testing.T, app *testutil.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Server.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// TestLoginFloodOnARealServer covers SECURITY A5: 100 concurrent sign-ins (half for a real account with a
// wrong password, half for unknown accounts, each from its own address) all end in 401 or 429, never 5xx.
func TestLoginFloodOnARealServer(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, func(c *config.Config) { c.TrustedProxies = []string{"127.0.0.1"} })
	acctAPIUser(t, app, "flood@example.org")
	base := serve(t, app)
	client := &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 100}}
	statuses := make([]int, 100)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			email := "flood@example.org"
			if i%2 == 1 {
				email = fmt.Sprintf("flood-%d@example.org", i)
			}
			body := fmt.Sprintf(`{"email":%q,"password":"not the right password %d"}`, email, i)
			req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/auth/login", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.9.%d.%d", i/250, i%250+1))
			resp, err := client.Do(req)
			if err != nil {
				t.Errorf("request %d: %v", i, err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		}(i)
	}
	wg.Wait()
	count := map[int]int{}
	for _, st := range statuses {
		count[st]++
	}
	if count[http.StatusUnauthorized]+count[http.StatusTooManyRequests] != len(statuses) {
		t.Errorf("statuses %v: want only 401 and 429", count)
	}
	if count[http.StatusUnauthorized] < 10 {
		t.Errorf("statuses %v: fewer than 10 logins were checked at all", count)
	}
	resp, err := client.Get(base + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("server after the flood: %v %v", resp, err)
	}
	resp.Body.Close()
}
