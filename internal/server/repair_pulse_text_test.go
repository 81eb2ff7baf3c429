package server_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

// The trigger log's, the questions' and the pulse's rows in the text-rule walk (text_rule_test.go):
// every string field they store refuses control and bidi characters with 422 naming the field.
func init() {
	var trig, question string
	textRows = append(textRows,
		textRow{Method: "POST", Route: "/api/v1/triggers", OK: http.StatusCreated,
			Fields: []string{"what", "helped"}, Required: []string{"what"},
			Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
				return w.cp.A, "/api/v1/triggers", map[string]any{"what": "A song in a shop", "strength": 6, "helped": "A walk"}
			}},
		textRow{Method: "PATCH", Route: "/api/v1/triggers/:id", OK: http.StatusOK,
			Fields: []string{"what", "helped"}, Required: []string{"what"},
			Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
				trig = trLog(t, w.cp.A, "A smell").ID
				return w.cp.A, "/api/v1/triggers/" + trig, map[string]any{"what": "A smell of smoke", "helped": "Tea"}
			}},
		textRow{Method: "POST", Route: "/api/v1/signals/:id/response", OK: http.StatusCreated,
			Fields: []string{"kind", "text"}, Required: []string{"text"},
			Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
				r := w.cp.A.JSON(http.MethodPost, "/api/v1/triggers/"+trig+"/signal", map[string]any{"include_text": false})
				planWantStatus(t, r, http.StatusOK, "signal")
				signals := trSignals(t, w.cp.B)
				if len(signals) == 0 {
					t.Fatal("the partner received no signal")
				}
				return w.cp.B, "/api/v1/signals/" + signals[0].ID + "/response", map[string]any{"kind": "reassure", "text": "I am here."}
			}},
		textRow{Method: "POST", Route: "/api/v1/questions", OK: http.StatusCreated,
			Fields: []string{"text"}, Required: []string{"text"},
			Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
				return w.cp.A, "/api/v1/questions", map[string]any{"text": "Where did you go that Friday?"}
			}},
		textRow{Method: "POST", Route: "/api/v1/questions/:id/answer", OK: http.StatusCreated,
			Fields: []string{"text"}, Required: []string{"text"},
			Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
				question = qAsk(t, w.cp.A, "What did it mean to you?", "").ID
				return w.cp.B, "/api/v1/questions/" + question + "/answer", map[string]any{"text": "It meant I was hiding."}
			}},
		textRow{Method: "POST", Route: "/api/v1/questions/:id/follow-up", OK: http.StatusCreated,
			Fields: []string{"text"}, Required: []string{"text"},
			Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
				return w.cp.A, "/api/v1/questions/" + question + "/follow-up", map[string]any{"text": "And now?"}
			}},
		textRow{Method: "POST", Route: "/api/v1/questions/pause", OK: http.StatusCreated,
			Fields: []string{"until", "note"},
			Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
				until := w.app.Clock.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
				return w.cp.A, "/api/v1/questions/pause", map[string]any{"until": until, "note": "A quiet weekend."}
			}},
		textRow{Method: "PUT", Route: "/api/v1/me/notifications", OK: http.StatusOK,
			// A title left empty (or with nothing visible) falls back to the neutral default, so neither is required.
			Fields: []string{"calendar_title", "review_title"},
			Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
				return w.cp.A, "/api/v1/me/notifications", map[string]any{"calendar_title": "Our time", "review_title": "Look again"}
			}},
	)
	for route, reason := range map[string]string{
		"DELETE /api/v1/triggers/:id":             "no body",
		"POST /api/v1/triggers/:id/signal":        "a yes/no choice (include_text); the words sent are the entry's, checked when written",
		"POST /api/v1/questions/pause/end":        "no body",
		"PUT /api/v1/checkins/:week/monthly/mine": "ratings only (integers) and submit",
		"POST /api/v1/me/calendar":                "no body",
		"DELETE /api/v1/me/calendar":              "no body",
		"POST /api/v1/me/email/confirm":           "no body",
	} {
		textNoFields[route] = reason
	}
}
