package testutil

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
)

var clientSeq atomic.Int64

// Client is a browser-like (cookies, CSRF token) or API-like (bearer token) client of an App.
type Client struct {
	app     *App
	IP      string
	Cookies map[string]string
	CSRF    string
	Bearer  string
	Headers map[string]string
}

// Client returns a new client with its own cookie jar and client address.
func (a *App) Client() *Client {
	n := clientSeq.Add(1)
	return &Client{app: a, IP: fmt.Sprintf("10.%d.%d.%d", (n>>16)&255, (n>>8)&255, n&255), Cookies: map[string]string{}, Headers: map[string]string{}}
}

// Via sends the client's next requests to app (another instance of the same Mend, see App.Twin) with
// the same cookies, CSRF token and bearer token, as a load balancer may, and returns the client.
func (c *Client) Via(app *App) *Client {
	c.app = app
	return c
}

// Response is a finished response with its body read.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// JSON decodes the body into v, failing the test on error.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("decode %q: %v", r.Body, err)
	}
}

// Map decodes the body as a JSON object.
func (r *Response) Map(t testing.TB) map[string]any {
	t.Helper()
	m := map[string]any{}
	r.JSON(t, &m)
	return m
}

var csrfMeta = regexp.MustCompile(`name="csrf-token" content="([^"]*)"`)

// Do sends req, keeps cookies and the page's CSRF token, and returns the response.
func (c *Client) Do(req *http.Request) *Response {
	t := c.app.T
	t.Helper()
	req.Header.Set("X-Forwarded-For", c.IP)
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "Mozilla/5.0 (testutil) Firefox/140.0")
	}
	for k, v := range c.Headers {
		req.Header.Set(k, v)
	}
	if c.Bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.Bearer)
	} else {
		for k, v := range c.Cookies {
			req.AddCookie(&http.Cookie{Name: k, Value: v})
		}
		if req.Method != http.MethodGet && req.Method != http.MethodHead && c.CSRF != "" && req.Header.Get("X-CSRF-Token") == "" &&
			!strings.HasPrefix(req.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			req.Header.Set("X-CSRF-Token", c.CSRF)
		}
	}
	resp, err := c.app.Server.App().Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, ck := range resp.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.Cookies, ck.Name)
		} else {
			c.Cookies[ck.Name] = ck.Value
		}
	}
	if m := csrfMeta.FindSubmatch(body); m != nil && len(m[1]) > 0 {
		c.CSRF = html.UnescapeString(string(m[1]))
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: string(body)}
}

// Get fetches path.
func (c *Client) Get(path string) *Response {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	return c.Do(req)
}

// PostForm posts form values with the client's CSRF token, as a browser form would.
func (c *Client) PostForm(path string, form url.Values) *Response {
	if form == nil {
		form = url.Values{}
	}
	if form.Get("_csrf") == "" && c.CSRF != "" {
		form.Set("_csrf", c.CSRF)
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// Form builds url.Values from pairs: Form("a", "1", "b", "2").
func Form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// JSON sends body (marshalled unless it is a string or []byte) to path with method.
func (c *Client) JSON(method, path string, body any) *Response {
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.app.T.Fatalf("marshal: %v", err)
		}
		r = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, r)
	req.Header.Set("Content-Type", "application/json")
	return c.Do(req)
}

// Password is the password test users get.
const Password = "correct horse battery staple"

// RegisterBrowser registers through the page form and stays signed in with the cookie.
func (c *Client) RegisterBrowser(email, name string) *Response {
	c.app.T.Helper()
	c.Get("/register")
	r := c.PostForm("/register", Form("email", email, "display_name", name, "password", Password))
	if r.Status != http.StatusSeeOther {
		c.app.T.Fatalf("register %s: status %d: %s", email, r.Status, r.Body)
	}
	c.Get("/dashboard")
	return r
}

// LoginBrowser signs in through the page form.
func (c *Client) LoginBrowser(email, password string) *Response {
	c.app.T.Helper()
	c.Get("/login")
	r := c.PostForm("/login", Form("email", email, "password", password))
	c.Get("/dashboard")
	return r
}

// RegisterAPI registers and signs in through the JSON API, keeping the bearer token.
func (c *Client) RegisterAPI(email, name string) map[string]any {
	t := c.app.T
	t.Helper()
	r := c.JSON(http.MethodPost, "/api/v1/auth/register", map[string]string{"email": email, "display_name": name, "password": Password})
	if r.Status != http.StatusCreated {
		t.Fatalf("register %s: %d %s", email, r.Status, r.Body)
	}
	return c.LoginAPI(email, Password)
}

// LoginAPI signs in through the JSON API and keeps the bearer token.
func (c *Client) LoginAPI(email, password string) map[string]any {
	t := c.app.T
	t.Helper()
	r := c.JSON(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": email, "password": password})
	if r.Status != http.StatusOK {
		t.Fatalf("login %s: %d %s", email, r.Status, r.Body)
	}
	m := r.Map(t)
	c.Bearer, _ = m["token"].(string)
	return m
}

// Couple is two signed-in API partners of one couple.
type Couple struct {
	A, B *Client
}

// NewCouple registers two API users, starts a couple as A and joins B with an invite.
func (a *App) NewCouple(prefix string) Couple {
	t := a.T
	t.Helper()
	ca, cb := a.Client(), a.Client()
	ca.RegisterAPI(prefix+"-a@example.org", prefix+" A")
	cb.RegisterAPI(prefix+"-b@example.org", prefix+" B")
	if r := ca.JSON(http.MethodPost, "/api/v1/couple", map[string]string{"timezone": "Europe/London", "checkin_weekday": "sunday"}); r.Status != http.StatusCreated {
		t.Fatalf("start couple: %d %s", r.Status, r.Body)
	}
	r := ca.JSON(http.MethodPost, "/api/v1/couple/invite", nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("invite: %d %s", r.Status, r.Body)
	}
	tok, _ := r.Map(t)["token"].(string)
	if r := cb.JSON(http.MethodPost, "/api/v1/couple/join", map[string]string{"token": tok}); r.Status != http.StatusOK {
		t.Fatalf("join: %d %s", r.Status, r.Body)
	}
	return Couple{A: ca, B: cb}
}

// Values is a shorthand for url.Values in table tests.
type Values = url.Values
