package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// trTrigger is a trigger as the API returns it.
type trTrigger struct {
	ID       string `json:"id"`
	At       string `json:"at"`
	What     string `json:"what"`
	Strength int    `json:"strength"`
	Helped   string `json:"helped"`
	Signal   *struct {
		ID        string           `json:"id"`
		Text      *string          `json:"text"`
		Responses []trResponseJSON `json:"responses"`
	} `json:"signal"`
}

type trResponseJSON struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Text string `json:"text"`
	By   string `json:"by"`
}

type trSignal struct {
	ID        string           `json:"id"`
	At        string           `json:"at"`
	Message   string           `json:"message"`
	Text      *string          `json:"text"`
	Responses []trResponseJSON `json:"responses"`
}

// trLog posts a trigger as cl and returns it.
func trLog(t *testing.T, cl *testutil.Client, what string) trTrigger {
	t.Helper()
	r := cl.JSON(http.MethodPost, "/api/v1/triggers", map[string]any{"what": what, "strength": 6, "helped": what + " helped"})
	planWantStatus(t, r, http.StatusCreated, "log a trigger")
	var out struct {
		Trigger trTrigger `json:"trigger"`
	}
	r.JSON(t, &out)
	return out.Trigger
}

func trSignals(t *testing.T, cl *testutil.Client) []trSignal {
	t.Helper()
	r := cl.JSON(http.MethodGet, "/api/v1/signals", nil)
	planWantStatus(t, r, http.StatusOK, "GET /signals")
	var out struct {
		Signals []trSignal `json:"signals"`
	}
	r.JSON(t, &out)
	return out.Signals
}

// TestTriggerLogThroughTheAPI walks the trigger log: a private entry, changed and signalled without its
// words; the partner reads only the signal and responds; the author reads the response.
func TestTriggerLogThroughTheAPI(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("trapi")
	const words = "TRAPI private words"
	e := trLog(t, cp.A, words)
	if e.What != words || e.Strength != 6 || e.At != "2026-11-25T12:00:00Z" || e.Signal != nil {
		t.Fatalf("created %+v", e)
	}
	r := cp.A.JSON(http.MethodPatch, "/api/v1/triggers/"+e.ID, map[string]any{"strength": 8, "at": "2026-11-25T09:30:00Z"})
	planWantStatus(t, r, http.StatusOK, "patch")
	if !strings.Contains(r.Body, `"strength":8`) || !strings.Contains(r.Body, `"at":"2026-11-25T09:30:00Z"`) || !strings.Contains(r.Body, words) {
		t.Fatalf("patched: %s", r.Body)
	}
	for _, p := range []string{"/api/v1/triggers", "/api/v1/signals"} {
		if r := cp.B.JSON(http.MethodGet, p, nil); r.Status != http.StatusOK || strings.Contains(r.Body, words) || strings.Contains(r.Body, e.ID) {
			t.Fatalf("B GET %s before any signal: %d %s", p, r.Status, r.Body)
		}
	}
	r = cp.A.JSON(http.MethodPost, "/api/v1/triggers/"+e.ID+"/signal", map[string]bool{"include_text": false})
	planWantStatus(t, r, http.StatusOK, "signal")
	sigs := trSignals(t, cp.B)
	if len(sigs) != 1 || sigs[0].Text != nil || sigs[0].Message == "" || len(sigs[0].Responses) != 0 {
		t.Fatalf("B's signals %+v", sigs)
	}
	if r := cp.B.JSON(http.MethodGet, "/api/v1/signals", nil); strings.Contains(r.Body, words) || strings.Contains(r.Body, `"strength"`) {
		t.Fatalf("the signal carries the entry: %s", r.Body)
	}
	r = cp.A.JSON(http.MethodPost, "/api/v1/signals/"+sigs[0].ID+"/response", map[string]string{"kind": "acknowledge", "text": "x"})
	planWantStatus(t, r, http.StatusForbidden, "the author responds to their own signal")
	r = cp.B.JSON(http.MethodPost, "/api/v1/signals/"+e.ID+"/response", map[string]string{"kind": "acknowledge", "text": "x"})
	planWantStatus(t, r, http.StatusNotFound, "a response to the unsignalled trigger itself")
	r = cp.B.JSON(http.MethodPost, "/api/v1/signals/"+sigs[0].ID+"/response", map[string]string{"kind": "hug", "text": ""})
	ciWantError(t, r, http.StatusUnprocessableEntity, "kind")
	r = cp.B.JSON(http.MethodPost, "/api/v1/signals/"+sigs[0].ID+"/response", map[string]string{"kind": "reassure", "text": "TRAPI I'm home all evening."})
	planWantStatus(t, r, http.StatusCreated, "B responds")
	r = cp.A.JSON(http.MethodGet, "/api/v1/triggers", nil)
	var list struct {
		Triggers []trTrigger `json:"triggers"`
	}
	r.JSON(t, &list)
	if len(list.Triggers) != 1 || list.Triggers[0].Signal == nil || len(list.Triggers[0].Signal.Responses) != 1 ||
		list.Triggers[0].Signal.Responses[0].Kind != "reassure" || list.Triggers[0].Signal.Text != nil {
		t.Fatalf("A's list %s", r.Body)
	}
	r = cp.A.JSON(http.MethodPost, "/api/v1/triggers/"+e.ID+"/signal", map[string]bool{"include_text": true})
	planWantStatus(t, r, http.StatusConflict, "a second signal")
	r = cp.A.JSON(http.MethodDelete, "/api/v1/triggers/"+e.ID, nil)
	planWantStatus(t, r, http.StatusNoContent, "delete")
	if sigs := trSignals(t, cp.B); len(sigs) != 0 {
		t.Fatalf("a removed entry's signal is still there: %+v", sigs)
	}
}

// TestTriggerSignalWithWords: the text goes only when asked for, and as it was then.
func TestTriggerSignalWithWords(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("trwords")
	e := trLog(t, cp.A, "TRWORDS the words")
	planWantStatus(t, cp.A.JSON(http.MethodPost, "/api/v1/triggers/"+e.ID+"/signal", map[string]bool{"include_text": true}), http.StatusOK, "signal")
	planWantStatus(t, cp.A.JSON(http.MethodPatch, "/api/v1/triggers/"+e.ID, map[string]string{"what": "TRWORDS changed later"}), http.StatusOK, "edit")
	sigs := trSignals(t, cp.B)
	if len(sigs) != 1 || sigs[0].Text == nil || *sigs[0].Text != "TRWORDS the words" {
		t.Fatalf("B's signals %+v", sigs)
	}
}

// TestTriggerAPIRejectsBadInput: clear 4xx with the field named, never a 500.
func TestTriggerAPIRejectsBadInput(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("trbad")
	cases := []struct {
		name  string
		body  any
		field string
	}{
		{"empty", map[string]any{}, "what"},
		{"no strength", map[string]any{"what": "x"}, "strength"},
		{"strength 11", map[string]any{"what": "x", "strength": 11}, "strength"},
		{"strength as text", map[string]any{"what": "x", "strength": "high"}, "strength"},
		{"bad time", map[string]any{"what": "x", "strength": 3, "at": "yesterday"}, "at"},
		{"future", map[string]any{"what": "x", "strength": 3, "at": "2026-11-26T12:00:00Z"}, "at"},
		{"not an object", "[1]", "body"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ciWantError(t, cp.A.JSON(http.MethodPost, "/api/v1/triggers", tc.body), http.StatusUnprocessableEntity, tc.field)
		})
	}
	solo := app.Client()
	solo.RegisterAPI("trbad-solo@example.org", "Solo")
	planWantStatus(t, solo.JSON(http.MethodPost, "/api/v1/couple", map[string]string{"timezone": "Europe/London", "checkin_weekday": "sunday"}), http.StatusCreated, "solo couple")
	e := trLog(t, solo, "alone")
	planWantStatus(t, solo.JSON(http.MethodPost, "/api/v1/triggers/"+e.ID+"/signal", map[string]bool{}), http.StatusConflict, "signal with no partner")
}

// TestTriggerExport: the author's export holds their entries; the partner's holds the signal (without
// the words the author kept back) and the response they wrote, never the entry.
func TestTriggerExport(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("trexp")
	e := trLog(t, cp.A, "TREXP private words")
	trLog(t, cp.A, "TREXP never signalled")
	planWantStatus(t, cp.A.JSON(http.MethodPost, "/api/v1/triggers/"+e.ID+"/signal", map[string]bool{}), http.StatusOK, "signal")
	sig := trSignals(t, cp.B)[0]
	planWantStatus(t, cp.B.JSON(http.MethodPost, "/api/v1/signals/"+sig.ID+"/response", map[string]string{"kind": "ask", "text": "TREXP what would help?"}),
		http.StatusCreated, "respond")
	reauth(t, cp.A)
	reauth(t, cp.B)
	a := cp.A.JSON(http.MethodGet, "/api/v1/me/export", nil)
	b := cp.B.JSON(http.MethodGet, "/api/v1/me/export", nil)
	planWantStatus(t, a, http.StatusOK, "A's export")
	planWantStatus(t, b, http.StatusOK, "B's export")
	var ea, eb struct {
		Triggers struct {
			Mine             []trTrigger      `json:"mine"`
			Received         []trSignal       `json:"received"`
			ResponsesWritten []trResponseJSON `json:"responses_written"`
		} `json:"triggers"`
	}
	a.JSON(t, &ea)
	b.JSON(t, &eb)
	responses := 0
	for _, m := range ea.Triggers.Mine {
		if m.Signal != nil {
			responses += len(m.Signal.Responses)
		}
	}
	if len(ea.Triggers.Mine) != 2 || len(ea.Triggers.Received) != 0 || responses != 1 {
		t.Fatalf("A's export: %+v", ea.Triggers)
	}
	if len(eb.Triggers.Mine) != 0 || len(eb.Triggers.Received) != 1 || len(eb.Triggers.ResponsesWritten) != 1 {
		t.Fatalf("B's export: %+v", eb.Triggers)
	}
	mustNotContain(t, "B's export", b.Body, "TREXP private words", "TREXP never signalled")
}
