package proof

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// netClient is one simulated person talking JSON to a real Mend over TCP, with their own address
// (X-Forwarded-For, trusted from 127.0.0.1) and, once signed in, their own bearer token.
type netClient struct {
	base  string
	ip    string
	token string
	hc    *http.Client

	// host and extra, when set, are sent as the Host header and further headers of every request.
	host  string
	extra http.Header
}

var ipSeq atomic.Int64

func newNetClient(base string) *netClient {
	n := ipSeq.Add(1)
	tr := &http.Transport{MaxIdleConnsPerHost: 4, IdleConnTimeout: 10 * time.Second, DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}
	return &netClient{base: base, ip: fmt.Sprintf("10.77.%d.%d", (n>>8)&255, n&255), hc: &http.Client{Transport: tr, Timeout: 60 * time.Second}}
}

// reset forgets pooled connections (after the server was restarted).
func (c *netClient) reset() {
	c.hc.Transport.(*http.Transport).CloseIdleConnections()
}

// netResponse is a finished response; Err is set when none arrived.
type netResponse struct {
	Status int
	Header http.Header
	Body   []byte
	Err    error
}

// send sends body (JSON unless it is nil) and reads the whole answer.
func (c *netClient) send(ctx context.Context, method, path string, body any) netResponse {
	var r io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return netResponse{Err: err}
		}
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, r)
	if err != nil {
		return netResponse{Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", c.ip)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, v := range c.extra {
		req.Header[k] = v
	}
	if c.host != "" {
		req.Host = c.host
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return netResponse{Err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return netResponse{Err: err}
	}
	return netResponse{Status: resp.StatusCode, Header: resp.Header, Body: raw}
}

// must sends and fails the test unless the answer has status want; it decodes the body into out.
func (c *netClient) must(t *testing.T, method, path string, body any, want int, out any) {
	t.Helper()
	r := c.send(context.Background(), method, path, body)
	if r.Err != nil || r.Status != want {
		t.Fatalf("%s %s: %d %v %s, want %d", method, path, r.Status, r.Err, r.Body, want)
	}
	if out != nil {
		if err := json.Unmarshal(r.Body, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, r.Body, err)
		}
	}
}

// password is every simulated person's password.
const password = "correct horse battery staple"

// signUp registers email and signs in through the API, keeping the bearer token.
func (c *netClient) signUp(t *testing.T, email, name string) {
	t.Helper()
	c.must(t, http.MethodPost, "/api/v1/auth/register", map[string]string{"email": email, "display_name": name, "password": password}, http.StatusCreated, nil)
	var login struct {
		Token string `json:"token"`
	}
	c.must(t, http.MethodPost, "/api/v1/auth/login", map[string]string{"email": email, "password": password}, http.StatusOK, &login)
	c.token = login.Token
}

// pairUp makes a and b one couple in Europe/London: a starts it and invites, b joins.
func pairUp(t *testing.T, a, b *netClient) {
	t.Helper()
	a.must(t, http.MethodPost, "/api/v1/couple", map[string]string{"timezone": "Europe/London", "checkin_weekday": "sunday"}, http.StatusCreated, nil)
	var inv struct {
		Token string `json:"token"`
	}
	a.must(t, http.MethodPost, "/api/v1/couple/invite", nil, http.StatusCreated, &inv)
	b.must(t, http.MethodPost, "/api/v1/couple/join", map[string]string{"token": inv.Token}, http.StatusOK, nil)
}
