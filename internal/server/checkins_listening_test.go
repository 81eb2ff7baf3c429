package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

func TestCheckinOnlyThePartnerReflectsOnlyTheAuthorConfirms(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := ciOpened(t, app, "listen")
	base := "/api/v1/checkins/" + ciWeek + "/reflections"

	ciWantError(t, cp.B.JSON(http.MethodPost, base, map[string]string{"text": "  "}), http.StatusUnprocessableEntity, "text")
	// B restates A's answers: the reflection is always about the other person's answers.
	id := ciReflect(t, cp.B, ciWeek, "You found Sunday hard and need more time together.")
	w := ciGetWeek(t, cp.A, ciWeek)
	if len(w.Reflections) != 1 || w.Reflections[0]["by"] != "partner" || w.Reflections[0]["accurate"] != nil {
		t.Fatalf("A's view of B's reflection: %+v", w.Reflections)
	}
	// The listener cannot confirm their own restatement.
	r := cp.B.JSON(http.MethodPost, base+"/"+id+"/response", map[string]any{"accurate": true})
	if e := ciWantError(t, r, http.StatusForbidden, ""); !strings.Contains(e["message"].(string), "Only the person whose answers") {
		t.Errorf("unclear message: %v", e["message"])
	}
	ciWantError(t, cp.A.JSON(http.MethodPost, base+"/"+id+"/response", map[string]any{"note": "x"}), http.StatusUnprocessableEntity, "accurate")
	// Nor validate before the author responded, and the author cannot validate at all.
	ciWantError(t, cp.B.JSON(http.MethodPost, base+"/"+id+"/validation", map[string]string{"text": "x"}), http.StatusConflict, "")
	r = cp.A.JSON(http.MethodPost, base+"/"+id+"/response", map[string]any{"accurate": false, "note": "It was Saturday."})
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `"reflection"`) || !strings.Contains(r.Body, `"accurate":false`) {
		t.Fatalf("respond: %d %s", r.Status, r.Body)
	}
	ciWantError(t, cp.A.JSON(http.MethodPost, base+"/"+id+"/response", map[string]any{"accurate": true}), http.StatusConflict, "")
	r = cp.A.JSON(http.MethodPost, base+"/"+id+"/validation", map[string]string{"text": "me"})
	if e := ciWantError(t, r, http.StatusForbidden, ""); !strings.Contains(e["message"].(string), "Only the person who wrote") {
		t.Errorf("unclear message: %v", e["message"])
	}
	// After "not quite" no validating line; B says it again and A confirms.
	ciWantError(t, cp.B.JSON(http.MethodPost, base+"/"+id+"/validation", map[string]string{"text": "x"}), http.StatusConflict, "")
	app.Clock.Advance(time.Minute)
	again := ciReflect(t, cp.B, ciWeek, "Saturday was the hard day.")
	if r := cp.A.JSON(http.MethodPost, base+"/"+again+"/response", map[string]any{"accurate": true}); r.Status != http.StatusOK {
		t.Fatalf("confirm: %d %s", r.Status, r.Body)
	}
	r = cp.B.JSON(http.MethodPost, base+"/"+again+"/validation", map[string]string{"text": "It makes sense you felt alone."})
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "It makes sense") {
		t.Fatalf("validate: %d %s", r.Status, r.Body)
	}
	w = ciGetWeek(t, cp.B, ciWeek)
	if len(w.Reflections) != 2 || w.Reflections[0]["note"] != "It was Saturday." || w.Reflections[0]["validation"] != "" {
		t.Errorf("B's view of the \"not quite\" reflection: %v", w.Reflections)
	}
	got := w.Reflections[1]
	if got["by"] != "me" || got["accurate"] != true || got["validation"] != "It makes sense you felt alone." {
		t.Errorf("B's view of the finished reflection: %v", got)
	}
	for k := range got {
		switch k {
		case "id", "week", "by", "text", "accurate", "note", "responded_at", "validation", "validated_at", "created_at":
		default:
			t.Errorf("reflection carries an unexpected field %q", k)
		}
	}
	ciWantError(t, cp.A.JSON(http.MethodPost, base+"/nope/response", map[string]any{"accurate": true}), http.StatusNotFound, "")
	ciWantError(t, cp.A.JSON(http.MethodPost, "/api/v1/checkins/2026-W47/reflections/"+id+"/response", map[string]any{"accurate": true}), http.StatusNotFound, "")
}

func TestCheckinTimeoutsAPI(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("pause")
	now := app.Clock.Now()
	for _, tc := range []struct {
		name, until, note, field string
	}{
		{"not RFC 3339", "tonight", "", "until"},
		{"in the past", now.Add(-time.Minute).Format(time.RFC3339), "", "until"},
		{"more than a day", now.Add(25 * time.Hour).Format(time.RFC3339), "", "until"},
		{"note too long", now.Add(time.Hour).Format(time.RFC3339), strings.Repeat("n", 501), "note"},
	} {
		r := cp.A.JSON(http.MethodPost, "/api/v1/timeouts", map[string]string{"until": tc.until, "note": tc.note})
		ciWantError(t, r, http.StatusUnprocessableEntity, tc.field)
	}
	ciWantError(t, cp.B.Get("/api/v1/timeouts/current"), http.StatusNotFound, "")
	until := now.Add(90 * time.Minute).In(time.FixedZone("", 3600)).Format(time.RFC3339)
	r := cp.A.JSON(http.MethodPost, "/api/v1/timeouts", map[string]string{"until": until, "note": "Back after a walk"})
	if r.Status != http.StatusCreated || !strings.Contains(r.Body, `"until":"2026-11-25T13:30:00Z"`) || !strings.Contains(r.Body, `"asked_by":"me"`) {
		t.Fatalf("start: %d %s", r.Status, r.Body)
	}
	ciWantError(t, cp.B.JSON(http.MethodPost, "/api/v1/timeouts", map[string]string{"until": until}), http.StatusConflict, "")
	r = cp.B.Get("/api/v1/timeouts/current")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `"asked_by":"partner"`) || !strings.Contains(r.Body, "Back after a walk") {
		t.Fatalf("partner's view: %d %s", r.Status, r.Body)
	}
	for _, p := range []string{"/checkins", "/checkins/" + ciWeek} {
		if body := cp.B.Get(p).Body; !strings.Contains(body, "A pause was asked for until 13:30 today") || !strings.Contains(body, "Back after a walk") {
			t.Errorf("B's %s lacks the calm banner", p)
		}
		if body := cp.A.Get(p).Body; !strings.Contains(body, "You asked for a pause until 13:30 today") {
			t.Errorf("A's %s lacks the pause notice", p)
		}
	}
	// Only the person who asked may end the pause early.
	ciWantError(t, cp.B.JSON(http.MethodPost, "/api/v1/timeouts/current/end", nil), http.StatusForbidden, "")
	if r := cp.A.JSON(http.MethodPost, "/api/v1/timeouts/current/end", nil); r.Status != http.StatusNoContent {
		t.Fatalf("the asker ending the pause: %d %s", r.Status, r.Body)
	}
	ciWantError(t, cp.A.Get("/api/v1/timeouts/current"), http.StatusNotFound, "")
	ciWantError(t, cp.A.JSON(http.MethodPost, "/api/v1/timeouts/current/end", nil), http.StatusNotFound, "")
	if strings.Contains(cp.B.Get("/checkins").Body, "pause-banner") {
		t.Error("the banner stayed after the pause ended")
	}
	// A pause ends by itself at its time.
	r = cp.B.JSON(http.MethodPost, "/api/v1/timeouts", map[string]string{"until": now.Add(20 * time.Minute).Format(time.RFC3339)})
	if r.Status != http.StatusCreated {
		t.Fatalf("second pause: %d %s", r.Status, r.Body)
	}
	app.Clock.Advance(21 * time.Minute)
	ciWantError(t, cp.A.Get("/api/v1/timeouts/current"), http.StatusNotFound, "")
}
