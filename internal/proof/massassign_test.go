package proof

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// injected are the fields no request may set (SECURITY C4): ids, owners, the couple, timestamps,
// derived states and versions. Every value carries a marker the test looks for afterwards.
func injected(otherCouple, otherUser string) map[string]any {
	return map[string]any{
		"id": "c4injectedid", "user_id": otherUser, "author_id": otherUser, "author": otherUser, "created_by": otherUser,
		"listener_id": otherUser, "couple_id": otherCouple, "owner": otherUser, "by": "partner", "me": false,
		"created_at": "2001-01-01T00:00:00Z", "updated_at": "2001-01-01T00:00:00Z", "shared_at": "2001-01-01T00:00:00Z",
		"accepted_by": []string{otherUser}, "status": "ended", "version": 99, "number": 99, "state": "opened",
		"email": "c4injected@example.org", "password_hash": "c4injected", "members": []any{map[string]any{"id": otherUser}},
		"accurate": true, "responded_at": "2001-01-01T00:00:00Z", "validation": "c4injected", "done_at": "2001-01-01T00:00:00Z",
		"created_by_me": false, "partner": map[string]any{"safety": 0},
	}
}

func with(base map[string]any, extra map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range extra {
		out[k] = v
	}
	for k, v := range base {
		out[k] = v
	}
	return out
}

// TestRequestsCannotSetIdsOwnersOrTimestamps covers SECURITY C4: every JSON body that creates or
// changes something is sent with the real fields plus ids, owners, another couple, timestamps, states
// and versions. Each succeeds as if the extras were absent: nothing in the database or in any answer
// takes the injected values, and the other couple gains nothing.
func TestRequestsCannotSetIdsOwnersOrTimestamps(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	other := app.NewCouple("c4other")
	var otherMe struct {
		User   struct{ ID string } `json:"user"`
		Couple struct{ ID string } `json:"couple"`
	}
	other.A.Get("/api/v1/me").JSON(t, &otherMe)
	x := injected(otherMe.Couple.ID, otherMe.User.ID)

	solo := app.Client()
	if r := solo.JSON(http.MethodPost, "/api/v1/auth/register", with(map[string]any{"email": "c4-solo@example.org", "display_name": "Solo",
		"password": testutil.Password}, x)); r.Status != http.StatusCreated {
		t.Fatalf("register: %d %s", r.Status, r.Body)
	}
	solo.LoginAPI("c4-solo@example.org", testutil.Password)
	cp := app.NewCouple("c4owner")
	a, b := cp.A, cp.B
	send := func(cl *testutil.Client, method, path string, body map[string]any, want int) map[string]any {
		t.Helper()
		r := cl.JSON(method, path, with(body, x))
		if r.Status != want {
			t.Fatalf("%s %s with extra fields: %d %s, want %d", method, path, r.Status, r.Body, want)
		}
		for _, marker := range []string{"c4injected", "2001-01-01", otherMe.Couple.ID} {
			if strings.Contains(r.Body, marker) {
				t.Errorf("%s %s answered with the injected %q: %s", method, path, marker, r.Body)
			}
		}
		if r.Body == "" {
			return nil
		}
		return r.Map(t)
	}
	send(solo, http.MethodPost, "/api/v1/couple", map[string]any{"timezone": "Europe/London", "checkin_weekday": "sunday"}, http.StatusCreated)
	send(a, http.MethodPatch, "/api/v1/me", map[string]any{"display_name": "Ada"}, http.StatusOK)
	send(a, http.MethodPatch, "/api/v1/couple", map[string]any{"checkin_weekday": "monday"}, http.StatusOK)
	ag := send(a, http.MethodPost, "/api/v1/agreements", map[string]any{"title": "T", "body": "B", "category": "honesty", "review_on": "2027-01-10"}, http.StatusCreated)
	id := idOf(ag, "agreement")
	if got := ag["agreement"].(map[string]any); got["status"] != "proposed" || got["version"] != float64(1) {
		t.Errorf("a new agreement took injected state: %v", got)
	}
	send(b, http.MethodPost, "/api/v1/agreements/"+id+"/accept", map[string]any{"version": 1}, http.StatusOK)
	ed := send(a, http.MethodPut, "/api/v1/agreements/"+id, map[string]any{"base_version": 1, "title": "T2", "body": "B2", "category": "honesty", "review_on": "2027-01-10"}, http.StatusOK)
	if got := ed["agreement"].(map[string]any); got["version"] != float64(2) || got["status"] != "proposed" {
		t.Errorf("an edit took injected state: %v", got)
	}
	send(b, http.MethodPost, "/api/v1/agreements/"+id+"/accept", map[string]any{"version": 2}, http.StatusOK)
	send(a, http.MethodPost, "/api/v1/agreements/"+id+"/review", map[string]any{"next_review_on": "2027-02-10"}, http.StatusOK)
	send(b, http.MethodPost, "/api/v1/agreements/"+id+"/withdraw", map[string]any{"note": "n"}, http.StatusOK)
	answer := map[string]any{"appreciation": "a", "went_well": "w", "was_hard": "h", "need": "n", "trust": 5, "connection": 5, "safety": 5, "submit": true}
	send(a, http.MethodPut, "/api/v1/checkins/2026-W48/mine", answer, http.StatusOK)
	wk := send(b, http.MethodPut, "/api/v1/checkins/2026-W48/mine", answer, http.StatusOK)
	if wk["state"] != "opened" {
		t.Fatalf("week did not open: %v", wk)
	}
	rf := send(b, http.MethodPost, "/api/v1/checkins/2026-W48/reflections", map[string]any{"text": "I heard"}, http.StatusCreated)
	rid := idOf(rf, "reflection")
	if got := rf["reflection"].(map[string]any); got["by"] != "me" || got["accurate"] != nil || got["validation"] != "" {
		t.Errorf("a new reflection took injected state: %v", got)
	}
	send(a, http.MethodPost, "/api/v1/checkins/2026-W48/reflections/"+rid+"/response", map[string]any{"accurate": true, "note": "n"}, http.StatusOK)
	send(b, http.MethodPost, "/api/v1/checkins/2026-W48/reflections/"+rid+"/validation", map[string]any{"text": "v"}, http.StatusOK)
	send(a, http.MethodPost, "/api/v1/timeouts", map[string]any{"until": "2026-11-25T14:00:00Z", "note": "n"}, http.StatusCreated)
	{
		send(a, http.MethodPut, "/api/v1/acknowledgment", map[string]any{"what_happened": "w", "responsibility": "r", "impact": "i",
			"commitments": []string{"c"}, "share": true}, http.StatusOK)
		send(b, http.MethodPost, "/api/v1/acknowledgment/response", map[string]any{"status": "read"}, http.StatusOK)
		it := send(a, http.MethodPost, "/api/v1/plan/items", map[string]any{"title": "t", "notes": "n"}, http.StatusCreated)
		if got := it["item"].(map[string]any); got["done"] != false || got["created_by_me"] != true {
			t.Errorf("a new plan item took injected state: %v", got)
		}
		send(b, http.MethodPatch, "/api/v1/plan/items/"+idOf(it, "item"), map[string]any{"noticed": true}, http.StatusOK)
		send(a, http.MethodPost, "/api/v1/plan/therapy", map[string]any{"decision": "considering"}, http.StatusOK)
		send(a, http.MethodPost, "/api/v1/moments", map[string]any{"kind": "kindness", "note": "n", "on": "2026-11-24"}, http.StatusCreated)
	}
	for _, row := range dbState(t, app) {
		for _, marker := range []string{"c4injected", "2001-01-01"} {
			if strings.Contains(row, marker) {
				t.Errorf("an injected value was stored: %s", row)
			}
		}
	}
	for _, p := range []string{"/api/v1/agreements", "/api/v1/checkins/2026-W48", "/api/v1/timeouts/current"} {
		if r := other.A.Get(p); strings.Contains(r.Body, `"T2"`) || strings.Contains(r.Body, "I heard") {
			t.Errorf("the other couple's %s shows what was written with its couple_id: %s", p, r.Body)
		}
	}
}
