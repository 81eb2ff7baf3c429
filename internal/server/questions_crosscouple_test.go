package server_test

import (
	"net/http"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

// seedQuestions gives the owner couple an answered question, one waiting for the check-in and a
// follow-up, all with ownerPrefix text, and returns the answered question's id.
func seedQuestions(t *testing.T, _ *testutil.App, owner testutil.Couple) string {
	t.Helper()
	q := qAsk(t, owner.A, ownerPrefix+" question", "")
	qAsk(t, owner.A, ownerPrefix+" waiting question", "next_checkin")
	qDecode(t, owner.B.JSON(http.MethodPost, "/api/v1/questions/"+q.ID+"/answer", map[string]string{"text": ownerPrefix + " answer"}), http.StatusCreated, "owner answer")
	qDecode(t, owner.A.JSON(http.MethodPost, "/api/v1/questions/"+q.ID+"/follow-up", map[string]string{"text": ownerPrefix + " follow-up"}), http.StatusCreated, "owner follow-up")
	return q.ID
}

// seedQuestionPause also pauses the owner couple's questions, so another couple's end is tried on it.
func seedQuestionPause(t *testing.T, app *testutil.App, owner testutil.Couple) {
	t.Helper()
	seedQuestions(t, app, owner)
	until := app.Clock.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	planWantStatus(t, owner.A.JSON(http.MethodPost, "/api/v1/questions/pause", map[string]string{"until": until, "note": ownerPrefix + " pause"}),
		http.StatusCreated, "owner pause")
}

// qC2 builds a row for a route with a question id; every row of the owner couple must be unchanged.
func qC2(name, method, route, suffix string, api bool, body any) crossCoupleCase {
	var before sync.Map // *testutil.App → []string
	return crossCoupleCase{
		Name: "questions " + name, Method: method, Route: route,
		Setup: func(t *testing.T, app *testutil.App, owner testutil.Couple) (string, any) {
			id := seedQuestions(t, app, owner)
			_, cp := getCouple(t, owner.A)
			before.Store(app, coupleRows(t, app, cp.ID))
			prefix := "/questions/"
			if api {
				prefix = "/api/v1/questions/"
			}
			return prefix + id + suffix, body
		},
		Check: func(t *testing.T, app *testutil.App, owner testutil.Couple) {
			was, _ := before.Load(app)
			_, cp := getCouple(t, owner.A)
			if now := coupleRows(t, app, cp.ID); !reflect.DeepEqual(was, now) {
				t.Errorf("the owner couple's rows changed:\nbefore %v\nafter  %v", was, now)
			}
		},
	}
}

func init() {
	seed := func(t *testing.T, app *testutil.App, owner testutil.Couple) { seedQuestions(t, app, owner) }
	until := "2026-11-26T12:00:00Z"
	addCrossCouple(
		ownerData("own questions", "GET", "/questions", seed, nil),
		ownerData("own questions", "GET", "/api/v1/questions", seed, nil),
		ownerData("asks only in its own couple", "POST", "/questions", seed, testutil.Form("text", "ours", "wait", "now")),
		ownerData("asks only in its own couple", "POST", "/api/v1/questions", seed, map[string]string{"text": "ours"}),
		ownerData("pauses only its own questions", "POST", "/questions/pause", seedQuestionPause, testutil.Form("for", "24", "note", "ours")),
		ownerData("pauses only its own questions", "POST", "/api/v1/questions/pause", seedQuestionPause, map[string]string{"until": until, "note": "ours"}),
		ownerData("ends only its own pause", "POST", "/questions/pause/end", seedQuestionPause, testutil.Form()),
		ownerData("ends only its own pause", "POST", "/api/v1/questions/pause/end", seedQuestionPause, nil),
		qC2("answer", "POST", "/questions/:id/answer", "/answer", false, testutil.Form("text", "theirs")),
		qC2("follow-up", "POST", "/questions/:id/follow-up", "/follow-up", false, testutil.Form("text", "theirs")),
		qC2("answer", "POST", "/api/v1/questions/:id/answer", "/answer", true, map[string]string{"text": "theirs"}),
		qC2("follow-up", "POST", "/api/v1/questions/:id/follow-up", "/follow-up", true, map[string]string{"text": "theirs"}),
	)
}
