package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

// Session is one signed-in seeded user: a browser session (cookie and CSRF token, as a page would
// have) and an API session (bearer token).
type Session struct {
	Couple *Couple
	Member int
	Cookie string
	CSRF   string
	Bearer string
	// Week is the couple's current ISO week; Opened are its opened weeks, oldest first.
	Week   string
	Opened []string
	// pageHeader and apiHeader are what a browser page request and an API request carry; vegeta
	// copies them into each request, so they are shared read-only.
	pageHeader, apiHeader http.Header
	// answer is the body of this member's draft answers for the current week.
	answer []byte
}

// Pool is the signed-in sessions a load is spread over.
type Pool struct {
	Sessions []*Session
}

// pick returns a random session; it is safe for concurrent use.
func (p *Pool) pick() *Session { return p.Sessions[rand.IntN(len(p.Sessions))] }

// clientIP counts sign-ins, so each presents its own address to the login throttle: the bench server
// trusts 127.0.0.1 as a proxy, exactly as a deployment behind a reverse proxy does.
var clientIP atomic.Int64

func nextClientIP() string {
	n := clientIP.Add(1)
	return fmt.Sprintf("10.%d.%d.%d", (n>>16)&255, (n>>8)&255, n&255)
}

// signInPool signs in both members of n couples picked at random from ds, four at a time.
func signInPool(ctx context.Context, base string, ds *Dataset, n int, now time.Time) (*Pool, error) {
	n = min(n, len(ds.Couples))
	perm := rand.New(rand.NewPCG(uint64(len(ds.Couples)), 3)).Perm(len(ds.Couples))[:n]
	p := &Pool{Sessions: make([]*Session, 2*n)}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, ci := range perm {
		for m := 0; m < 2; m++ {
			g.Go(func() error {
				s, err := signIn(ctx, base, &ds.Couples[ci], m, ds.Shape.Weeks, now)
				p.Sessions[2*i+m] = s
				return err
			})
		}
	}
	err := g.Wait()
	// Idle keep-alive connections would outlive the sign-in server; close them first.
	noRedirect.CloseIdleConnections()
	return p, err
}

var csrfMeta = regexp.MustCompile(`name="csrf-token" content="([^"]*)"`)

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}}

// signIn signs one member in twice: through the sign-in form (a browser session) and the API.
func signIn(ctx context.Context, base string, c *Couple, member, weeks int, now time.Time) (*Session, error) {
	s := &Session{Couple: c, Member: member}
	email := c.Members[member].Email
	// The sign-in page sets the CSRF seed cookie and carries the token the form posts back.
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/login", nil)
	resp, body, err := do(req)
	if err != nil {
		return nil, err
	}
	jar := cookies(resp, map[string]string{})
	m := csrfMeta.FindSubmatch(body)
	if m == nil {
		return nil, fmt.Errorf("bench: no CSRF token on /login")
	}
	form := url.Values{"email": {email}, "password": {Password}, "_csrf": {html.UnescapeString(string(m[1]))}}
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", cookieHeader(jar))
	req.Header.Set("X-Forwarded-For", nextClientIP())
	resp, _, err = do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("bench: sign-in form for %s: status %d", email, resp.StatusCode)
	}
	s.Cookie = cookieHeader(cookies(resp, jar))
	// Pages show the CSRF token bound to the new session.
	req, _ = http.NewRequestWithContext(ctx, http.MethodGet, base+"/dashboard", nil)
	req.Header.Set("Cookie", s.Cookie)
	resp, body, err = do(req)
	if err != nil {
		return nil, err
	}
	if m = csrfMeta.FindSubmatch(body); resp.StatusCode != http.StatusOK || m == nil {
		return nil, fmt.Errorf("bench: signed-in /dashboard for %s: status %d", email, resp.StatusCode)
	}
	s.CSRF = html.UnescapeString(string(m[1]))

	in, _ := json.Marshal(map[string]string{"email": email, "password": Password})
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/auth/login", bytes.NewReader(in))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", nextClientIP())
	resp, body, err = do(req)
	if err != nil {
		return nil, err
	}
	var out struct{ Token string }
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &out) != nil || out.Token == "" {
		return nil, fmt.Errorf("bench: API sign-in for %s: status %d", email, resp.StatusCode)
	}
	s.Bearer = out.Token
	s.Week, s.Opened = weeksOf(c.Zone, weeks, now)
	s.pageHeader = http.Header{"Cookie": {s.Cookie}}
	s.apiHeader = http.Header{"Authorization": {"Bearer " + s.Bearer}, "Content-Type": {"application/json"}}
	if err := s.prepareAnswer(ctx, base); err != nil {
		return nil, err
	}
	return s, nil
}

// prepareAnswer reads this week's check-in as the member and builds the draft answers the write
// scenario sends: the three ratings, four texts and a kept answer for every agreement the week asks about.
func (s *Session) prepareAnswer(ctx context.Context, base string) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/checkins/"+s.Week, nil)
	req.Header = s.apiHeader.Clone()
	resp, body, err := do(req)
	if err != nil {
		return err
	}
	var week struct {
		Editable   bool
		Agreements []struct{ ID string }
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &week) != nil || !week.Editable {
		return fmt.Errorf("bench: this week's check-in for %s: status %d: %.200s", s.Couple.Members[s.Member].Email, resp.StatusCode, body)
	}
	type kept struct {
		AgreementID string `json:"agreement_id"`
		Kept        string `json:"kept"`
	}
	in := map[string]any{"trust": 6, "connection": 7, "safety": 8, "appreciation": sampleText, "went_well": sampleText,
		"was_hard": sampleText, "need": sampleText, "skip": false, "submit": false, "agreements": []kept{}}
	var ks []kept
	for i, a := range week.Agreements {
		ks = append(ks, kept{AgreementID: a.ID, Kept: keptAnswers[i%len(keptAnswers)]})
	}
	if ks != nil {
		in["agreements"] = ks
	}
	s.answer, err = json.Marshal(in)
	return err
}

// weeksOf returns the current ISO week in zone and the n weeks before it, oldest first.
func weeksOf(zone string, n int, now time.Time) (string, []string) {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	key := func(t time.Time) string {
		y, w := t.In(loc).ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	}
	var past []string
	for i := n; i >= 1; i-- {
		past = append(past, key(now.AddDate(0, 0, -7*i)))
	}
	return key(now), past
}

func do(req *http.Request) (*http.Response, []byte, error) {
	resp, err := noRedirect.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("bench: %s %s: %w", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

// cookies adds the response's cookies to jar.
func cookies(resp *http.Response, jar map[string]string) map[string]string {
	for _, c := range resp.Cookies() {
		jar[c.Name] = c.Value
	}
	return jar
}

func cookieHeader(jar map[string]string) string {
	var parts []string
	for k, v := range jar {
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, "; ")
}
