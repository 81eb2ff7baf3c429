package server_test

import (
	"net/http"
	"reflect"
	"sync"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// The monthly look's week keys, like the weekly check-in's (checkins_crosscouple_test.go), always name
// the caller's own couple's week. The owner couple moves to Pacific/Auckland and the clock to Sunday 29
// November 2026, 12:00 UTC: the owner is in 2026-W49, December's monthly week, which for the other couple
// (London, still 2026-W48) has not begun, so it must answer 404 exactly like a missing one.

// mlC2Prepare opens the owner couple's December look, both partners having shared. The rows are named
// "checkins: …" so TestCheckinsCrossCouple, which wants a row for every route under /checkins/:week, runs
// them too.
func mlC2Prepare(t *testing.T, app *testutil.App, owner testutil.Couple) {
	t.Helper()
	planWantStatus(t, owner.A.JSON(http.MethodPatch, "/api/v1/couple", map[string]string{"timezone": "Pacific/Auckland"}), http.StatusOK, "owner zone")
	if app.Clock.Now().Before(ciC2Sunday) {
		app.Clock.Set(ciC2Sunday)
	}
	for i, cl := range []*testutil.Client{owner.A, owner.B} {
		r := cl.JSON(http.MethodPut, "/api/v1/checkins/"+mlWeek+"/monthly/mine", mlLook(1+i, 2, 3, 4, 5, true))
		if r.Status != http.StatusOK && r.Status != http.StatusConflict { // 409: opened by an earlier row on this app
			t.Fatalf("owner's monthly look: %d %s", r.Status, r.Body)
		}
	}
}

func mlC2(name, method, route, path string, body any) crossCoupleCase {
	var before sync.Map // *testutil.App → []string
	return crossCoupleCase{
		Name: "checkins: monthly " + name, Method: method, Route: route,
		Setup: func(t *testing.T, app *testutil.App, owner testutil.Couple) (string, any) {
			mlC2Prepare(t, app, owner)
			_, cp := getCouple(t, owner.A)
			before.Store(app, coupleRows(t, app, cp.ID))
			return path, body
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
	form := testutil.Form("honesty", "1", "reliability", "1", "emotional_safety", "1", "closeness", "1", "hope", "1", "action", "share")
	addCrossCouple(
		ownerData("own monthly overview", "GET", "/monthly", mlC2Prepare, nil),
		ownerData("own monthly overview", "GET", "/api/v1/monthly", mlC2Prepare, nil),
		mlC2("look page", "GET", "/checkins/:week/monthly", "/checkins/"+mlWeek+"/monthly", nil),
		mlC2("answer", "POST", "/checkins/:week/monthly", "/checkins/"+mlWeek+"/monthly", form),
		mlC2("look", "GET", "/api/v1/checkins/:week/monthly", "/api/v1/checkins/"+mlWeek+"/monthly", nil),
		mlC2("answer", "PUT", "/api/v1/checkins/:week/monthly/mine", "/api/v1/checkins/"+mlWeek+"/monthly/mine", mlLook(1, 1, 1, 1, 1, true)),
	)
}
