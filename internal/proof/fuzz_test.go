package proof

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// The fuzz targets below send fuzzed JSON bodies to every API route and fuzzed forms to every form
// route, as a signed-in member of a couple in the middle of everything (the journey, run once per
// fuzzing process). Whatever arrives, the answer is never a 5xx (a panic would be one: the recover
// middleware turns it into a 500), the API answers JSON, and a page never carries injected markup.
// Run longer with: go test -run='^$' -fuzz='^FuzzAPIBodies$' -fuzztime=10m ./internal/proof

// fuzzSkipped are unsafe routes the fuzz targets leave out, because they end the fixture itself
// (the session, the couple, the account) and carry no body worth fuzzing; each has its own tests.
var fuzzSkipped = map[string]string{
	"POST /api/v1/auth/logout":               "ends the session; no body",
	"POST /api/v1/couple/leave":              "ends the couple; no body (couple leave tests)",
	"DELETE /api/v1/me":                      "deletes the account; no body (deletion tests)",
	"POST /api/v1/me/sessions/revoke-others": "no body (session tests)",
	"DELETE /api/v1/me/sessions/:id":         "no body (session tests)",
	"DELETE /api/v1/moments/:id":             "no body (plan tests)",
	"DELETE /api/v1/triggers/:id":            "no body; it would remove the entry the other targets change (trigger tests)",
	"POST /triggers/:id/delete":              "no body; it would remove the entry the other targets change (trigger tests)",
	"POST /logout":                           "ends the session",
	"POST /quick-exit":                       "ends the session (quick-exit tests)",
	"POST /couple/leave":                     "ends the couple (couple leave tests)",
	"POST /account/delete":                   "deletes the account (deletion tests)",
	"POST /account/sessions/others":          "signs out the fixture's other sessions (session tests)",
	"POST /account/sessions/:id":             "signs a session out (session tests)",
}

// fuzzTarget is one route a fuzz target sends to.
type fuzzTarget struct {
	Method, Route string
}

// fuzzFixture is a journey plus the routes a fuzz target sends to.
type fuzzFixture struct {
	j       *journey
	bearer  string
	targets []fuzzTarget
	n       atomic.Int64
}

// newFuzzFixture runs the journey once and lists every unsafe route (API when api is set, else pages)
// with its parameters filled, in a stable order; fuzz inputs pick one by index.
func newFuzzFixture(f *testing.F, api bool) *fuzzFixture {
	j := newJourney(f, func(field string) string { return "Words for " + field })
	j.run()
	fx := &fuzzFixture{j: j}
	cl := j.app.Client()
	cl.LoginAPI(j.emailA, j.passA)
	fx.bearer = cl.Bearer
	for _, rt := range j.app.Server.App().GetRoutes(true) {
		key := rt.Method + " " + rt.Path
		if rt.Method == http.MethodGet || rt.Method == http.MethodHead || strings.HasPrefix(rt.Path, "/api/") != api {
			continue
		}
		if _, skip := fuzzSkipped[key]; skip {
			continue
		}
		if strings.Contains(fx.fill(rt.Path, ""), ":") {
			f.Fatalf("the fuzz fixture cannot fill %s", key)
		}
		fx.targets = append(fx.targets, fuzzTarget{rt.Method, rt.Path})
	}
	sort.Slice(fx.targets, func(a, b int) bool {
		return fx.targets[a].Method+fx.targets[a].Route < fx.targets[b].Method+fx.targets[b].Route
	})
	return fx
}

// fill returns route with its parameters taken from the fixture; the last one becomes param if set.
func (fx *fuzzFixture) fill(route, param string) string {
	j := fx.j
	values := map[string]string{
		"agreements/:id": j.agreements[0], "reflections/:id": j.reflections[0], "items/:id": j.planItem,
		"moments/:id": j.moments[0], "triggers/:id": j.triggers[1], "signals/:id": j.signals[1], "questions/:id": j.questions[1], "sessions/:id": "none", "reset/:token": "no-such-token-0123456789", ":week": j.week,
		"confirm-email/:token": "no-such-link-0123456789", "passkeys/:id": "none",
	}
	segs := strings.Split(route, "/")
	last := -1
	for i, seg := range segs {
		if strings.HasPrefix(seg, ":") {
			last = i
			key := seg
			if i > 0 && seg != ":week" {
				key = segs[i-1] + "/" + seg
			}
			if v, ok := values[key]; ok {
				segs[i] = v
			}
		}
	}
	if param != "" && last >= 0 {
		segs[last] = url.PathEscape(param)
	}
	return strings.Join(segs, "/")
}

// send sends body to the target picked by route, with param (when set) in place of its last
// parameter, and returns the answer and its body.
func (fx *fuzzFixture) send(route uint8, param string, body []byte, form bool) (fuzzTarget, *http.Response, string, error) {
	tg := fx.targets[int(route)%len(fx.targets)]
	path := fx.fill(tg.Route, param)
	req := httptest.NewRequest(tg.Method, path, bytes.NewReader(body))
	req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.99.%d.%d", fx.n.Add(1)>>8&255, fx.n.Load()&255))
	if form {
		a := fx.j.A
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-CSRF-Token", a.CSRF)
		for k, v := range a.Cookies {
			req.AddCookie(&http.Cookie{Name: k, Value: v})
		}
	} else {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+fx.bearer)
	}
	resp, err := fx.j.app.Server.App().Test(req, -1)
	if err != nil {
		return tg, nil, "", err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return tg, resp, string(raw), nil
}

// FuzzAPIBodies sends fuzzed JSON bodies (and ids) to every API route with a body (SECURITY F2, B4).
func FuzzAPIBodies(f *testing.F) {
	fx := newFuzzFixture(f, true)
	seeds := []string{`{}`, `null`, `[]`, `"x"`, `{"title":1e400}`, `{"title":"\ud800"}`, "{\"note\":\"\xff\xfe\"}",
		`{"version":-1,"base_version":9223372036854775807}`, `{"trust":11,"safety":-1,"agreements":[{"agreement_id":"x","kept":"y"}]}`,
		`{"until":"9999-99-99T99:99:99Z"}`, `{"on":"0000-00-00","kind":"x"}`, `{"commitments":[null,1,{}]}`, `{"timezone":"../../etc/passwd"}`,
		`{"token":"` + strings.Repeat("a", 5000) + `"}`, `{"done":"yes","noticed":null}`, `{"decision":"seeing","revisit_on":"2020-01-01"}`}
	for i := range fx.targets {
		for _, s := range seeds {
			f.Add(uint8(i), "", []byte(s))
		}
		f.Add(uint8(i), "../../x", []byte(`{}`))
		f.Add(uint8(i), "' OR 1=1 --", []byte(`{}`))
	}
	f.Fuzz(func(t *testing.T, route uint8, param string, body []byte) {
		tg, resp, got, err := fx.send(route, param, body, false)
		if err != nil {
			t.Fatalf("%s %s: %v", tg.Method, tg.Route, err)
		}
		if resp.StatusCode >= 500 {
			t.Fatalf("%s %s with %q: %d %s", tg.Method, tg.Route, body, resp.StatusCode, got)
		}
		if ct := resp.Header.Get("Content-Type"); got != "" && !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("%s %s: answered %q", tg.Method, tg.Route, ct)
		}
	})
}

// FuzzFormHandlers sends fuzzed form bodies (and ids) to every form route, signed in with a valid
// CSRF token, so the handler itself is reached (SECURITY F2, E1).
func FuzzFormHandlers(f *testing.F) {
	fx := newFuzzFixture(f, false)
	seeds := []string{"", "title=T&body=B&category=honesty&review_on=2027-01-10", "title=%ff%fe&body=%00",
		"appreciation=a&trust=11&connection=-1&safety=x&action=share", "heard=<script>alert(1)</script>",
		"accurate=maybe&reply=x", "for=99999999999999999999&note=n", "version=abc&base_version=-1",
		"what_happened=w&commitments=a&commitments=b&action=preview", "field=done&value=2", "form=decision&decision=x&revisit_on=2020-13-40",
		"kind=x&note=n&on=9999-01-01&shared=1", "timezone=Nowhere/Else&checkin_weekday=funday", "role=owner",
		"display_name=" + strings.Repeat("x", 300), "email=a@b&password=p&display_name=n", "token=" + strings.Repeat("t", 3000),
		"status=read&note=n", "a=%zz&b", "next=https://evil.example/&password=x", "new_password=short"}
	for i := range fx.targets {
		for _, s := range seeds {
			f.Add(uint8(i), "", []byte(s))
		}
		f.Add(uint8(i), "%00", []byte("x=1"))
	}
	f.Fuzz(func(t *testing.T, route uint8, param string, body []byte) {
		tg, resp, got, err := fx.send(route, param, body, true)
		if err != nil {
			t.Fatalf("%s %s: %v", tg.Method, tg.Route, err)
		}
		if resp.StatusCode >= 500 {
			t.Fatalf("%s %s with %q: %d", tg.Method, tg.Route, body, resp.StatusCode)
		}
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			if p := htmlProblems(got); len(p) > 0 {
				t.Fatalf("%s %s with %q: %v", tg.Method, tg.Route, body, p)
			}
		}
	})
}

// TestFuzzTargetsCoverEveryRoute: the fuzz fixtures reach every unsafe route of the app but the few
// listed (with reasons) in fuzzSkipped, and every listed route still exists.
func TestFuzzTargetsCoverEveryRoute(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	registered := map[string]bool{}
	for _, rt := range app.Server.App().GetRoutes(true) {
		registered[rt.Method+" "+rt.Path] = true
	}
	for key := range fuzzSkipped {
		if !registered[key] {
			t.Errorf("fuzzSkipped lists %s, which is not a route", key)
		}
	}
}
