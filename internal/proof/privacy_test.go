package proof

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// privateFields are the journey's texts only their author may ever see: the acknowledgment draft
// written after the shared version, the private moment, the trigger never signalled and what helped
// with the signalled one, the question waiting for the check-in, and (added by the test) a sealed check-in.
var privateFields = []string{"ack-draft-what", "ack-draft-responsibility", "ack-draft-impact", "ack-draft-commitment",
	"moment-private-a", "trigger-private-a", "trigger-helped-a", "question-waiting-a", "sealed-appreciation-a", "sealed-went-well-a", "sealed-was-hard-a", "sealed-need-a"}

// lowSafetyWords are shown only to a person whose own safety answer is low.
var lowSafetyWords = []string{"Support just for you", "you said you feel less safe"}

// TestPrivateThingsReachOnlyTheirAuthor is the actor matrix of SECURITY C3 over the whole app. A's
// private things: an acknowledgment draft after a shared version, a private moment, a trigger never
// signalled and what helped with the one signalled (its words were shared), a question waiting for the
// check-in, a check-in answer
// for last week shared while B has not answered (sealed), a low safety rating (2) there, and a private
// wish for therapy. Every page and GET API route of the app, and the export, are fetched as A (who must
// see each of them somewhere), as B, as a member of another couple and as a visitor: none of the others
// sees any private text, the low-safety help, a safety value of A's, or the wish.
func TestPrivateThingsReachOnlyTheirAuthor(t *testing.T) {
	t.Parallel()
	j := newJourney(t, canary)
	j.run()
	prev := "2026-W47"
	j.api(j.A, http.MethodPut, "/api/v1/checkins/"+prev+"/mine", map[string]any{"appreciation": j.text("sealed-appreciation-a"),
		"went_well": j.text("sealed-went-well-a"), "was_hard": j.text("sealed-was-hard-a"), "need": j.text("sealed-need-a"),
		"trust": 3, "connection": 3, "safety": 2, "submit": true}, http.StatusOK)
	j.api(j.A, http.MethodPost, "/api/v1/plan/therapy", map[string]any{"ask": true}, http.StatusOK)
	other := j.app.NewCouple("c3other")
	actors := map[string]*testutil.Client{"A": j.A, "B": j.B, "other couple": other.A, "visitor": j.app.Client()}
	pages, _ := j.getPaths(false)
	apis, _ := j.getPaths(true)
	seenByA := map[string]bool{}
	for who, cl := range actors {
		for _, p := range append(append([]string{}, pages...), apis...) {
			var r *testutil.Response
			if strings.HasPrefix(p, "/api/") {
				r = cl.JSON(http.MethodGet, p, nil)
			} else {
				r = cl.Get(p)
			}
			if r.Status >= 500 {
				t.Errorf("%s GET %s: %d", who, p, r.Status)
			}
			for _, f := range privateFields {
				if !strings.Contains(r.Body, canary(f)) {
					continue
				}
				if who == "A" {
					seenByA[f] = true
				} else {
					t.Errorf("%s sees A's private %s on GET %s", who, f, p)
				}
			}
			for _, w := range lowSafetyWords {
				if who == "A" && strings.Contains(r.Body, w) {
					seenByA["low safety"] = true
				} else if who != "A" && strings.Contains(r.Body, w) {
					t.Errorf("%s sees A's low-safety help (%q) on GET %s", who, w, p)
				}
			}
			if who == "A" && strings.Contains(r.Body, `"asked":true`) {
				seenByA["therapy wish"] = true
			}
			if who != "A" && (strings.Contains(r.Body, `"asked":true`) || strings.Contains(r.Body, `"both_asked":true`)) {
				t.Errorf("%s learns of A's wish for therapy on GET %s", who, p)
			}
			if who == "B" && strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
				for _, v := range safetyValues(t, r.Body) {
					if v != float64(6) {
						t.Errorf("B sees a safety rating of %v on GET %s; B's own is 6", v, p)
					}
				}
			}
		}
	}
	for _, f := range append(privateFields, "low safety", "therapy wish") {
		if !seenByA[f] {
			t.Errorf("A never sees their own %s, so the matrix proves nothing about it", f)
		}
	}
}

// safetyValues returns every value of a "safety" key in a JSON document.
func safetyValues(t *testing.T, body string) []any {
	t.Helper()
	var doc any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("JSON: %v", err)
	}
	var out []any
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, inner := range x {
				if k == "safety" && inner != nil {
					out = append(out, inner)
				}
				walk(inner)
			}
		case []any:
			for _, inner := range x {
				walk(inner)
			}
		}
	}
	walk(doc)
	return out
}
