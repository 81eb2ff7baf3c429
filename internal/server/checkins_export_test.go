package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

func ciReauth(t *testing.T, cl *testutil.Client) {
	t.Helper()
	if r := cl.JSON(http.MethodPost, "/api/v1/auth/reauth", map[string]string{"password": testutil.Password}); r.Status != http.StatusNoContent {
		t.Fatalf("reauth: %d %s", r.Status, r.Body)
	}
}

// ciExport is the check-in part of GET /me/export.
type ciExport struct {
	Checkins struct {
		Answers        []map[string]any `json:"answers"`
		PartnerAnswers []map[string]any `json:"partner_answers"`
		Reflections    []map[string]any `json:"reflections"`
		Timeouts       []map[string]any `json:"timeouts"`
	} `json:"checkins"`
}

func ciGetExport(t *testing.T, cl *testutil.Client) (ciExport, string) {
	t.Helper()
	ciReauth(t, cl)
	r := cl.Get("/api/v1/me/export")
	if r.Status != http.StatusOK {
		t.Fatalf("export: %d %s", r.Status, r.Body)
	}
	var ex ciExport
	r.JSON(t, &ex)
	return ex, r.Body
}

func TestCheckinExport(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("export")
	ciPut(t, cp.A, "2026-W47", ciAnswer("EXPORT-A-SEALED", 1, 1, 7, true)) // shared, never opened
	ex, raw := ciGetExport(t, cp.B)
	ciMustNotContain(t, "B's export before opening", raw, "EXPORT-A")
	if len(ex.Checkins.Answers) != 0 || len(ex.Checkins.PartnerAnswers) != 0 {
		t.Errorf("B's export before any opening: %+v", ex.Checkins)
	}

	ciPut(t, cp.A, ciWeek, ciAnswer("EXPORT-A", 3, 4, 7, true))
	ciPut(t, cp.B, ciWeek, ciAnswer("EXPORT-B", 8, 9, 6, true))
	id := ciReflect(t, cp.B, ciWeek, "EXPORT-B heard A")
	cp.A.JSON(http.MethodPost, "/api/v1/checkins/"+ciWeek+"/reflections/"+id+"/response", map[string]any{"accurate": false, "note": "EXPORT-A note"})
	cp.A.JSON(http.MethodPost, "/api/v1/timeouts", map[string]string{"until": app.Clock.Now().Add(time.Hour).Format(time.RFC3339), "note": "EXPORT-A pause"})

	ex, raw = ciGetExport(t, cp.B)
	ciMustNotContain(t, "B's export", raw, "EXPORT-A-SEALED")
	for _, re := range ciSafetySeven {
		if re.MatchString(raw) {
			t.Errorf("B's export carries A's safety rating (%s)", re)
		}
	}
	c := ex.Checkins
	if len(c.Answers) != 1 || c.Answers[0]["safety"] != float64(6) || c.Answers[0]["was_hard"] != "EXPORT-B-was-hard" {
		t.Errorf("B's own answers: %v", c.Answers)
	}
	if len(c.PartnerAnswers) != 1 || c.PartnerAnswers[0]["was_hard"] != "EXPORT-A-was-hard" || c.PartnerAnswers[0]["trust"] != float64(3) {
		t.Errorf("A's opened answers in B's export: %v", c.PartnerAnswers)
	}
	if _, ok := c.PartnerAnswers[0]["safety"]; ok {
		t.Error("the partner's answers in the export have a safety field")
	}
	if len(c.Reflections) != 1 || c.Reflections[0]["by"] != "me" || c.Reflections[0]["note"] != "EXPORT-A note" {
		t.Errorf("reflections: %v", c.Reflections)
	}
	if len(c.Timeouts) != 1 || c.Timeouts[0]["asked_by"] != "partner" {
		t.Errorf("time-outs: %v", c.Timeouts)
	}
	exA, _ := ciGetExport(t, cp.A)
	if len(exA.Checkins.Answers) != 2 || exA.Checkins.Answers[0]["safety"] != float64(7) {
		t.Errorf("A's export of A's own answers (with A's safety): %v", exA.Checkins.Answers)
	}

	// After the couple ends, each keeps only what they wrote: not the former partner's answers, response or pause.
	ciReauth(t, cp.A)
	if r := cp.A.JSON(http.MethodPost, "/api/v1/couple/leave", nil); r.Status != http.StatusNoContent {
		t.Fatalf("leave: %d %s", r.Status, r.Body)
	}
	ex, raw = ciGetExport(t, cp.B)
	ciMustNotContain(t, "B's export after the couple ended", raw, "EXPORT-A")
	if len(ex.Checkins.Answers) != 1 || len(ex.Checkins.Reflections) != 1 || ex.Checkins.Reflections[0]["text"] != "EXPORT-B heard A" {
		t.Errorf("B's own writing after the couple ended: %+v", ex.Checkins)
	}
	if r := cp.B.Get("/api/v1/checkins/" + ciWeek); r.Status != http.StatusNotFound {
		t.Errorf("B still reaches the ended couple's week: %d", r.Status)
	}
}

func TestCheckinAccountDeletion(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := ciOpened(t, app, "erase")
	id := ciReflect(t, cp.B, ciWeek, "ERASE-B heard A")
	cp.A.JSON(http.MethodPost, "/api/v1/checkins/"+ciWeek+"/reflections/"+id+"/response", map[string]any{"accurate": true, "note": "ERASE-A note"})
	ciReflect(t, cp.A, ciWeek, "ERASE-A heard B")
	cp.A.JSON(http.MethodPost, "/api/v1/timeouts", map[string]string{"until": app.Clock.Now().Add(time.Hour).Format(time.RFC3339), "note": "ERASE-A pause"})
	var aID string
	if err := app.DB.Raw("SELECT id FROM users WHERE email = ?", "erase-a@example.org").Scan(&aID).Error; err != nil || aID == "" {
		t.Fatalf("user id: %v", err)
	}
	ciReauth(t, cp.A)
	if r := cp.A.JSON(http.MethodDelete, "/api/v1/me", nil); r.Status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	for table, where := range map[string]string{
		"checkin_answers":     "user_id = ?",
		"checkin_reflections": "listener_id = ? OR author_id = ?",
		"checkin_timeouts":    "user_id = ?",
	} {
		var n int64
		args := []any{aID}
		if strings.Count(where, "?") == 2 {
			args = append(args, aID)
		}
		if err := app.DB.Table(table).Where(where, args...).Count(&n).Error; err != nil || n != 0 {
			t.Errorf("%s: %d rows of the deleted user (%v)", table, n, err)
		}
	}
	var left int64
	app.DB.Raw("SELECT COUNT(*) FROM checkin_reflections WHERE text LIKE '%ERASE-A%' OR note <> '' OR accurate IS NOT NULL").Scan(&left)
	if left != 0 {
		t.Errorf("%d reflections still hold the deleted user's writing", left)
	}
	// B's own writing stays B's: their answers and what they heard.
	ex, raw := ciGetExport(t, cp.B)
	ciMustNotContain(t, "B's export after A's deletion", raw, "erase-A", "ERASE-A")
	if len(ex.Checkins.Answers) != 1 || ex.Checkins.Answers[0]["was_hard"] != "erase-B-was-hard" {
		t.Errorf("B's own answers after A's deletion: %v", ex.Checkins.Answers)
	}
	if len(ex.Checkins.Reflections) != 1 || ex.Checkins.Reflections[0]["text"] != "ERASE-B heard A" {
		t.Errorf("B's own reflection after A's deletion: %v", ex.Checkins.Reflections)
	}
	archive := cp.B.Get("/archive").Body
	ciWantBody(t, "B's archive after A's deletion", archive, "erase-B-was-hard", "ERASE-B heard A")
	ciMustNotContain(t, "B's archive after A's deletion", archive, "erase-A", "ERASE-A")
}

// TestCheckinArchive: after the couple ends, each keeps in /archive only what they wrote themselves.
func TestCheckinArchive(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := ciOpened(t, app, "archive")
	ciReflect(t, cp.A, ciWeek, "ARCHIVE-A heard B")
	id := ciReflect(t, cp.B, ciWeek, "ARCHIVE-B heard A")
	cp.A.JSON(http.MethodPost, "/api/v1/checkins/"+ciWeek+"/reflections/"+id+"/response", map[string]any{"accurate": false, "note": "ARCHIVE-A note"})
	ciReauth(t, cp.B)
	if r := cp.B.JSON(http.MethodPost, "/api/v1/couple/leave", nil); r.Status != http.StatusNoContent {
		t.Fatalf("leave: %d %s", r.Status, r.Body)
	}
	page := cp.A.Get("/archive")
	if page.Status != http.StatusOK {
		t.Fatalf("archive: %d", page.Status)
	}
	ciWantBody(t, "A's archive", page.Body, "My check-ins", "23–29 November 2026", "archive-A-was-hard", "7 out of 10", "ARCHIVE-A heard B")
	ciMustNotContain(t, "A's archive", page.Body, "archive-B", "ARCHIVE-B", "6 out of 10")
	ciWantBody(t, "B's archive", cp.B.Get("/archive").Body, "archive-B-was-hard", "ARCHIVE-B heard A")
	ciMustNotContain(t, "B's archive", cp.B.Get("/archive").Body, "archive-A", "ARCHIVE-A", "7 out of 10")
}
