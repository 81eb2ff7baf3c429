package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// ciWeek is the week the test clock (2026-11-25) falls in.
const ciWeek = "2026-W48"

// ciAnswer is a complete answer whose every text field carries tag, so it can be searched for.
func ciAnswer(tag string, trust, connection, safety int, submit bool) map[string]any {
	return map[string]any{
		"appreciation": tag + "-appreciation", "went_well": tag + "-went-well", "was_hard": tag + "-was-hard",
		"need": tag + "-need", "trust": trust, "connection": connection, "safety": safety, "submit": submit,
		"agreements": []any{},
	}
}

// ciPut sends PUT /checkins/{week}/mine and fails the test unless it answers 200.
func ciPut(t *testing.T, cl *testutil.Client, week string, body any) *testutil.Response {
	t.Helper()
	r := cl.JSON(http.MethodPut, "/api/v1/checkins/"+week+"/mine", body)
	if r.Status != http.StatusOK {
		t.Fatalf("PUT %s/mine: %d %s", week, r.Status, r.Body)
	}
	return r
}

// ciOpened makes a couple whose ciWeek has opened: A answered (3, 4, safety 7), B (8, 9, safety 6).
func ciOpened(t *testing.T, app *testutil.App, prefix string) testutil.Couple {
	t.Helper()
	cp := app.NewCouple(prefix)
	ciPut(t, cp.A, ciWeek, ciAnswer(prefix+"-A", 3, 4, 7, true))
	ciPut(t, cp.B, ciWeek, ciAnswer(prefix+"-B", 8, 9, 6, true))
	return cp
}

// ciReflect has the listener restate the partner's answers and returns the reflection id.
func ciReflect(t *testing.T, listener *testutil.Client, week, text string) string {
	t.Helper()
	r := listener.JSON(http.MethodPost, "/api/v1/checkins/"+week+"/reflections", map[string]string{"text": text})
	if r.Status != http.StatusCreated {
		t.Fatalf("reflect: %d %s", r.Status, r.Body)
	}
	var got struct {
		Reflection struct {
			ID string `json:"id"`
		} `json:"reflection"`
	}
	r.JSON(t, &got)
	return got.Reflection.ID
}

// ciWeekJSON is GET /checkins/{week}.
type ciWeekJSON struct {
	Week    string         `json:"week"`
	State   string         `json:"state"`
	Mine    map[string]any `json:"mine"`
	Partner map[string]any `json:"partner"`
	// Reflections are kept loose so tests see exactly the fields sent.
	Reflections []map[string]any `json:"reflections"`
}

func ciGetWeek(t *testing.T, cl *testutil.Client, week string) ciWeekJSON {
	t.Helper()
	r := cl.JSON(http.MethodGet, "/api/v1/checkins/"+week, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", week, r.Status, r.Body)
	}
	var w ciWeekJSON
	r.JSON(t, &w)
	return w
}

// ciWantError checks an API error's status, code and, when field is set, that the field is named.
func ciWantError(t *testing.T, r *testutil.Response, status int, field string) map[string]any {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	e, _ := r.Map(t)["error"].(map[string]any)
	if e == nil || e["message"] == "" {
		t.Fatalf("no error envelope: %s", r.Body)
	}
	if field != "" {
		fields, _ := e["fields"].(map[string]any)
		if fields[field] == nil {
			t.Fatalf("error does not name %q: %s", field, r.Body)
		}
	}
	return e
}

// ciMustNotContain fails when body contains any of the canaries.
func ciMustNotContain(t *testing.T, what, body string, canaries ...string) {
	t.Helper()
	for _, c := range canaries {
		if strings.Contains(body, c) {
			t.Errorf("%s reveals %q", what, c)
		}
	}
}
