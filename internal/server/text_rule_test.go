package server_test

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

// The one text rule (internal/text) through the API: every string field of every write endpoint
// refuses a control character and a text-direction (bidi) control with 422 naming the field, and a
// required field with nothing visible in it counts as empty. The rows run in order on one couple,
// each row's valid request setting up the next (an agreement to accept, a reflection to answer).

// textRow is one write endpoint: Setup returns who sends it, the path and a body the endpoint accepts
// with OK; Fields are its string fields, Required those that must hold a visible character.
type textRow struct {
	Method, Route string
	Setup         func(t *testing.T, w *textWalk) (cl *testutil.Client, path string, body map[string]any)
	Fields        []string
	Required      []string
	OK            int
}

// textWalk is the state the rows share.
type textWalk struct {
	app       *testutil.App
	cp        testutil.Couple
	loner     *testutil.Client
	agreement string
	version   int
	reflect   string
}

// textNoFields are the write endpoints with no text field of their own, and why.
var textNoFields = map[string]string{
	"POST /api/v1/auth/login":                "email and password are compared, never stored",
	"POST /api/v1/auth/password-reset":       "an address, compared with the accounts', never stored",
	"POST /api/v1/me/updates/seen":           "ids, each one of the person's own server-made update ids before it is kept",
	"POST /api/v1/auth/logout":               "no body",
	"POST /api/v1/auth/reauth":               "a password: any characters (SECURITY A2)",
	"POST /api/v1/me/password":               "passwords: any characters (SECURITY A2)",
	"POST /api/v1/me/sessions/revoke-others": "no body",
	"DELETE /api/v1/me/sessions/:id":         "no body",
	"DELETE /api/v1/me":                      "no body",
	"POST /api/v1/couple/invite":             "no body",
	"POST /api/v1/couple/join":               "an invite token, matched by its hash",
	"POST /api/v1/couple/leave":              "no body",
	"POST /api/v1/timeouts/current/end":      "no body",
	"PATCH /api/v1/plan/items/:id":           "marks only (booleans)",
	"DELETE /api/v1/moments/:id":             "no body",
}

// textBad are the characters every field refuses: a C0 control (ESC), a C1 control (CSI) and a
// right-to-left override.
var textBad = map[string]string{"C0 control": "\x1b", "C1 control": "\u009b", "bidi control": "\u202e"}

const textInvisible = "\u200b\u2060\u00ad"

var textRows = []textRow{
	{Method: "POST", Route: "/api/v1/auth/register", OK: http.StatusCreated,
		// The email's own rule (look-alike addresses) is account.Register's; the password takes any characters.
		Fields: []string{"display_name"}, Required: []string{"display_name"},
		Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
			return w.app.Client(), "/api/v1/auth/register", map[string]any{"email": "text-new@example.org",
				"password": testutil.Password, "display_name": "New person"}
		}},
	{Method: "PATCH", Route: "/api/v1/me", OK: http.StatusOK,
		Fields: []string{"display_name"}, Required: []string{"display_name"},
		Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
			return w.cp.A, "/api/v1/me", map[string]any{"display_name": "Alex"}
		}},
	{Method: "POST", Route: "/api/v1/couple", OK: http.StatusCreated, Fields: []string{"timezone", "checkin_weekday"},
		Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
			return w.loner, "/api/v1/couple", map[string]any{"timezone": "Europe/Paris", "checkin_weekday": "monday"}
		}},
	{Method: "PATCH", Route: "/api/v1/couple", OK: http.StatusOK, Fields: []string{"timezone", "checkin_weekday", "role"},
		Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
			return w.cp.A, "/api/v1/couple", map[string]any{"timezone": "Europe/London", "checkin_weekday": "sunday", "role": "prefer_not"}
		}},
	{Method: "POST", Route: "/api/v1/agreements", OK: http.StatusCreated,
		Fields: []string{"title", "body", "category", "review_on"}, Required: []string{"title", "body"},
		Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
			return w.cp.A, "/api/v1/agreements", honesty("Telling the truth")
		}},
	{Method: "POST", Route: "/api/v1/agreements", OK: http.StatusCreated, Fields: []string{"ends_on"},
		Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
			return w.cp.A, "/api/v1/agreements", calendars("2027-01-20")
		}},
	{Method: "PUT", Route: "/api/v1/agreements/:id", OK: http.StatusOK,
		Fields: []string{"title", "body", "category", "review_on"}, Required: []string{"title", "body"},
		Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
			w.agreement, w.version = proposeAPI(t, w.cp.A, honesty("First words")).ID, 2
			b := honesty("Better words")
			b["base_version"] = 1
			return w.cp.A, "/api/v1/agreements/" + w.agreement, b
		}},
	{Method: "POST", Route: "/api/v1/agreements/:id/accept", OK: http.StatusOK, Fields: []string{"note"},
		Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
			return w.cp.B, "/api/v1/agreements/" + w.agreement + "/accept", map[string]any{"version": w.version, "note": "Yes."}
		}},
	{Method: "POST", Route: "/api/v1/agreements/:id/review", OK: http.StatusOK, Fields: []string{"next_review_on", "note"},
		Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
			return w.cp.A, "/api/v1/agreements/" + w.agreement + "/review", map[string]any{"next_review_on": "2027-02-01", "note": "Still right."}
		}},
	{Method: "POST", Route: "/api/v1/agreements/:id/withdraw", OK: http.StatusOK, Fields: []string{"note"},
		Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
			return w.cp.B, "/api/v1/agreements/" + w.agreement + "/withdraw", map[string]any{"note": "Not now."}
		}},
	{Method: "PUT", Route: "/api/v1/checkins/:week/mine", OK: http.StatusOK,
		Fields: []string{"appreciation", "went_well", "was_hard", "need"},
		Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
			// Last week: this week has opened already, and opened answers are fixed.
			return w.cp.A, "/api/v1/checkins/2026-W47/mine", ciAnswer("last-week", 5, 5, 5, false)
		}},
	{Method: "POST", Route: "/api/v1/checkins/:week/reflections", OK: http.StatusCreated,
		Fields: []string{"text"}, Required: []string{"text"},
		Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
			return w.cp.A, "/api/v1/checkins/" + ciWeek + "/reflections", map[string]any{"text": "I heard that the week was long."}
		}},
	{Method: "POST", Route: "/api/v1/checkins/:week/reflections/:id/response", OK: http.StatusOK, Fields: []string{"note"},
		Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
			w.reflect = ciReflect(t, w.cp.A, ciWeek, "I heard that you were tired.")
			return w.cp.B, "/api/v1/checkins/" + ciWeek + "/reflections/" + w.reflect + "/response", map[string]any{"accurate": true, "note": "Yes."}
		}},
	{Method: "POST", Route: "/api/v1/checkins/:week/reflections/:id/validation", OK: http.StatusOK,
		Fields: []string{"text"}, Required: []string{"text"},
		Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
			return w.cp.A, "/api/v1/checkins/" + ciWeek + "/reflections/" + w.reflect + "/validation", map[string]any{"text": "That makes sense."}
		}},
	{Method: "POST", Route: "/api/v1/timeouts", OK: http.StatusCreated, Fields: []string{"until", "note"},
		Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
			until := w.app.Clock.Now().Add(time.Hour).UTC().Format(time.RFC3339)
			return w.cp.A, "/api/v1/timeouts", map[string]any{"until": until, "note": "Back after dinner."}
		}},
	{Method: "PUT", Route: "/api/v1/acknowledgment", OK: http.StatusOK,
		Fields:   []string{"what_happened", "responsibility", "impact", "commitments"},
		Required: []string{"what_happened", "responsibility", "impact", "commitments"},
		Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
			return w.cp.A, "/api/v1/acknowledgment", map[string]any{"what_happened": "I hid messages.", "responsibility": "Mine alone.",
				"impact": "You stopped trusting what I say.", "commitments": []string{"Tell you first."}, "share": true}
		}},
	{Method: "POST", Route: "/api/v1/acknowledgment/response", OK: http.StatusOK, Fields: []string{"status", "note"},
		Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
			return w.cp.B, "/api/v1/acknowledgment/response", map[string]any{"status": "read", "note": "Thank you."}
		}},
	{Method: "POST", Route: "/api/v1/plan/items", OK: http.StatusCreated,
		Fields: []string{"title", "notes"}, Required: []string{"title"},
		Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
			return w.cp.A, "/api/v1/plan/items", map[string]any{"title": "Walk on Sundays", "notes": "Phones at home."}
		}},
	{Method: "POST", Route: "/api/v1/plan/therapy", OK: http.StatusOK, Fields: []string{"decision", "revisit_on"},
		Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
			return w.cp.A, "/api/v1/plan/therapy", map[string]any{"decision": "not_now", "revisit_on": "2027-01-10"}
		}},
	{Method: "POST", Route: "/api/v1/moments", OK: http.StatusCreated, Fields: []string{"kind", "note", "on"},
		Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
			return w.cp.A, "/api/v1/moments", map[string]any{"kind": "routine", "note": "Coffee together.", "on": "2026-11-24"}
		}},
}

// textWith returns a copy of body with field set to v, inside the field's list when it is one.
func textWith(body map[string]any, field, v string) map[string]any {
	out := map[string]any{}
	for k, x := range body {
		out[k] = x
	}
	if _, ok := body[field].([]string); ok {
		out[field] = []string{v}
	} else {
		out[field] = v
	}
	return out
}

// textSpoil puts bad inside the field's valid value, so only bad can be wrong with it.
func textSpoil(body map[string]any, field, bad string) map[string]any {
	v, _ := body[field].(string)
	if list, ok := body[field].([]string); ok {
		v = list[0]
	}
	r := []rune(v)
	half := len(r) / 2
	return textWith(body, field, string(r[:half])+bad+string(r[half:]))
}

func TestEveryTextFieldRefusesControlAndBidiCharacters(t *testing.T) {
	t.Parallel()
	app := passkeyApp(t) // a host name, so the passkey row can add one
	w := &textWalk{app: app, cp: ciOpened(t, app, "textrule"), loner: app.Client()}
	w.loner.RegisterAPI("text-loner@example.org", "Loner")
	sent := 0
	for _, row := range textRows {
		cl, path, body := row.Setup(t, w)
		name := row.Method + " " + row.Route
		send := func(b map[string]any) *testutil.Response {
			if email, ok := b["email"].(string); ok { // each registration its own address
				sent++
				b["email"] = fmt.Sprintf("%d-%s", sent, email)
			}
			return cl.JSON(row.Method, path, b)
		}
		for _, field := range row.Fields {
			if _, ok := body[field]; !ok {
				t.Fatalf("%s: the valid body has no %q", name, field)
			}
			for kind, bad := range textBad {
				textWantField(t, name+" "+field+" with a "+kind, send(textSpoil(body, field, bad)), field)
			}
		}
		for _, field := range row.Required {
			textWantField(t, name+" "+field+" with nothing visible", send(textWith(body, field, textInvisible)), field)
		}
		if r := send(body); r.Status != row.OK {
			t.Errorf("%s with a valid body: %d, want %d: %s", name, r.Status, row.OK, r.Body)
		}
	}
}

func textWantField(t *testing.T, what string, r *testutil.Response, field string) {
	t.Helper()
	if r.Status != http.StatusUnprocessableEntity {
		t.Errorf("%s: %d, want 422: %s", what, r.Status, r.Body)
		return
	}
	var got struct {
		Error struct {
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	r.JSON(t, &got)
	if got.Error.Fields[field] == "" {
		t.Errorf("%s: the error does not name %q: %s", what, field, r.Body)
	}
}

// TestEveryWriteEndpointHasATextRow keeps the walk above complete: every API route that writes has a
// row or a reason in textNoFields, and no reason names a route that is gone.
func TestEveryWriteEndpointHasATextRow(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	rows := map[string]bool{}
	for _, row := range textRows {
		rows[row.Method+" "+row.Route] = true
	}
	registered := map[string]bool{}
	var missing []string
	for _, rt := range app.Server.App().GetRoutes(true) {
		if !strings.HasPrefix(rt.Path, "/api/") || rt.Method == http.MethodGet || rt.Method == http.MethodHead {
			continue
		}
		key := rt.Method + " " + rt.Path
		registered[key] = true
		if _, ok := textNoFields[key]; !ok && !rows[key] {
			missing = append(missing, key)
		}
	}
	for key := range textNoFields {
		if !registered[key] {
			t.Errorf("textNoFields names %s, which is not a route", key)
		}
	}
	for key := range rows {
		if !registered[key] {
			t.Errorf("textRows has a row for %s, which is not a route", key)
		}
	}
	sort.Strings(missing)
	for _, key := range missing {
		t.Errorf("%s writes but has no row in textRows (or reason in textNoFields)", key)
	}
}
