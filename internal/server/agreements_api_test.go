package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

func TestAgreementAPIProposalAcceptanceAndEdit(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("ag-life")
	a := proposeAPI(t, cp.A, honesty("Honesty"))
	if a.Status != "proposed" || a.Version != 1 || a.WaitingForMe || len(a.Versions) != 1 || len(a.Log) != 1 || a.Log[0].Action != "proposed" {
		t.Fatalf("after proposal: %+v", a)
	}
	if !strings.HasSuffix(a.Log[0].At, "Z") || a.ReviewOn != "2027-01-25" || a.EndsOn != nil {
		t.Fatalf("dates: at=%s review_on=%s ends_on=%v", a.Log[0].At, a.ReviewOn, a.EndsOn)
	}
	if b := getAPI(t, cp.B, a.ID); !b.WaitingForMe || b.Status != "proposed" {
		t.Fatalf("B sees %+v", b)
	}
	b := decodeAgreement(t, acceptAPI(cp.B, a.ID, 1), http.StatusOK)
	if b.Status != "active" || len(b.AcceptedBy) != 2 || b.Log[1].Action != "accepted" {
		t.Fatalf("after acceptance: %+v", b)
	}

	edited := honesty("Honesty, always")
	edited["body"] = "We tell each other the truth, even when it is very hard."
	e := decodeAgreement(t, editAPI(cp.B, a.ID, 1, edited), http.StatusOK)
	if e.Status != "proposed" || e.Version != 2 || len(e.Versions) != 2 || e.Versions[0].Title != "Honesty" || e.Title != "Honesty, always" {
		t.Fatalf("after edit: %+v", e)
	}
	if got := getAPI(t, cp.A, a.ID); !got.WaitingForMe || got.Status != "proposed" {
		t.Fatalf("A should be asked about version 2: %+v", got)
	}
	if r := acceptAPI(cp.A, a.ID, 1); r.Status != http.StatusConflict || !strings.Contains(r.Body, `"code":"conflict"`) {
		t.Fatalf("accepting the old version: %d %s", r.Status, r.Body)
	}
	if got := decodeAgreement(t, acceptAPI(cp.A, a.ID, 2), http.StatusOK); got.Status != "active" || got.Version != 2 {
		t.Fatalf("after accepting version 2: %+v", got)
	}

	var list struct {
		Agreements []apiAgreement `json:"agreements"`
	}
	r := cp.B.JSON(http.MethodGet, "/api/v1/agreements", nil)
	r.JSON(t, &list)
	if r.Status != http.StatusOK || len(list.Agreements) != 1 || list.Agreements[0].Status != "active" {
		t.Fatalf("list: %d %s", r.Status, r.Body)
	}
	for _, leak := range []string{"couple_id", "@example.org", "password"} {
		if strings.Contains(r.Body, leak) {
			t.Errorf("list carries %q", leak)
		}
	}
}

func TestAgreementAPIConcurrentEditsOneWins(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("ag-race")
	a := proposeAPI(t, cp.A, honesty("Honesty"))
	const n = 12
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		cl := app.Client()
		cl.Bearer = cp.A.Bearer
		if i%2 == 1 {
			cl.Bearer = cp.B.Bearer
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i] = editAPI(cl, a.ID, 1, honesty("Edit "+string(rune('a'+i)))).Status
		}()
	}
	close(start)
	wg.Wait()
	ok, conflict := 0, 0
	for _, st := range statuses {
		switch st {
		case http.StatusOK:
			ok++
		case http.StatusConflict:
			conflict++
		}
	}
	if ok != 1 || conflict != n-1 {
		t.Fatalf("statuses %v: want exactly one 200 and %d 409s", statuses, n-1)
	}
	if got := getAPI(t, cp.A, a.ID); got.Version != 2 || len(got.Versions) != 2 {
		t.Fatalf("after the race: version %d, %d versions", got.Version, len(got.Versions))
	}
}

func TestAgreementAPIWithdrawal(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("ag-wd")
	a := activeAgreement(t, cp, honesty("Honesty"))
	r := cp.B.JSON(http.MethodPost, "/api/v1/agreements/"+a.ID+"/withdraw", map[string]any{"note": "I need to think again"})
	got := decodeAgreement(t, r, http.StatusOK)
	last := got.Log[len(got.Log)-1]
	if got.Status != "withdrawn" || last.Action != "withdrawn" || last.Note != "I need to think again" {
		t.Fatalf("after withdrawal: %+v", got)
	}
	if r := acceptAPI(cp.A, a.ID, 1); r.Status != http.StatusConflict {
		t.Fatalf("accepting a withdrawn version: %d", r.Status)
	}
	if got := decodeAgreement(t, editAPI(cp.A, a.ID, 1, honesty("Again")), http.StatusOK); got.Status != "proposed" {
		t.Fatalf("a new version after withdrawal: %+v", got)
	}
}

func TestAgreementAPITransparencyEnds(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("ag-end")
	a := activeAgreement(t, cp, calendars("2026-12-31"))
	if a.Status != "active" || a.EndsOn == nil || *a.EndsOn != "2026-12-31" {
		t.Fatalf("before: %+v", a)
	}
	travel(app, cp, "ag-end", time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC))
	if got := getAPI(t, cp.A, a.ID); got.Status != "active" {
		t.Fatalf("on its last day: %s", got.Status)
	}
	travel(app, cp, "ag-end", time.Date(2027, 1, 1, 1, 0, 0, 0, time.UTC))
	got := getAPI(t, cp.A, a.ID)
	if got.Status != "ended" || got.DueForReview {
		t.Fatalf("after its end date: status %s due %v", got.Status, got.DueForReview)
	}
	r := cp.B.JSON(http.MethodPost, "/api/v1/agreements/"+a.ID+"/review", map[string]any{"next_review_on": "2027-02-01", "note": "We talked"})
	if got := decodeAgreement(t, r, http.StatusOK); got.Status != "ended" || got.Log[len(got.Log)-1].Action != "reviewed" {
		t.Fatalf("review of an ended agreement: %+v", got)
	}
}

func TestAgreementAPIDueForReview(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("ag-due")
	a := activeAgreement(t, cp, honesty("Honesty")) // review on 2027-01-25
	if a.DueForReview {
		t.Fatal("due straight away")
	}
	travel(app, cp, "ag-due", time.Date(2027, 1, 24, 23, 0, 0, 0, time.UTC))
	if getAPI(t, cp.B, a.ID).DueForReview {
		t.Fatal("due the day before its review date")
	}
	travel(app, cp, "ag-due", time.Date(2027, 1, 25, 8, 0, 0, 0, time.UTC))
	got := getAPI(t, cp.B, a.ID)
	if !got.DueForReview || got.Status != "active" {
		t.Fatalf("on the review date: %+v", got)
	}
	r := cp.B.JSON(http.MethodPost, "/api/v1/agreements/"+a.ID+"/review", map[string]any{"next_review_on": "2027-04-25"})
	got = decodeAgreement(t, r, http.StatusOK)
	if got.DueForReview || got.ReviewOn != "2027-04-25" {
		t.Fatalf("after review: %+v", got)
	}
}

func TestAgreementAPIRejectsBadInputWithFields(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("ag-bad")
	a := proposeAPI(t, cp.A, honesty("Honesty"))
	with := func(k string, v any) map[string]any {
		b := honesty("Honesty")
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
		return b
	}
	cases := []struct {
		name, method, path string
		body               any
		field              string
	}{
		{"end date more than 6 months out", "POST", "", calendars("2027-05-26"), "ends_on"},
		{"transparency without end date", "POST", "", with("category", "transparency"), "ends_on"},
		{"transparency with null end date", "POST", "", map[string]any{"title": "t", "body": "b", "category": "transparency", "review_on": "2027-01-01", "ends_on": nil}, "ends_on"},
		{"end date on honesty", "POST", "", with("ends_on", "2027-01-01"), "ends_on"},
		{"unknown category", "POST", "", with("category", "phone-checks"), "category"},
		{"missing category", "POST", "", with("category", nil), "category"},
		{"review date not a date", "POST", "", with("review_on", "soon"), "review_on"},
		{"review date in the past", "POST", "", with("review_on", "2026-01-01"), "review_on"},
		{"missing review date", "POST", "", with("review_on", nil), "review_on"},
		{"empty title", "POST", "", with("title", " "), "title"},
		{"title too long", "POST", "", with("title", strings.Repeat("x", 121)), "title"},
		{"body too long", "POST", "", with("body", strings.Repeat("x", 5001)), "body"},
		{"title of the wrong type", "POST", "", with("title", 7), "title"},
		{"edit without base version", "PUT", "/" + a.ID, honesty("Edited"), "base_version"},
		{"edit with a bad end date", "PUT", "/" + a.ID, map[string]any{"base_version": 1, "title": "t", "body": "b", "category": "transparency", "review_on": "2027-01-01", "ends_on": "2027-13-01"}, "ends_on"},
		{"accept without version", "POST", "/" + a.ID + "/accept", map[string]any{}, "version"},
		{"accept with a string version", "POST", "/" + a.ID + "/accept", map[string]any{"version": "1"}, "version"},
		{"review without date", "POST", "/" + a.ID + "/review", map[string]any{}, "next_review_on"},
		{"withdraw with a long note", "POST", "/" + a.ID + "/withdraw", map[string]any{"note": strings.Repeat("n", 1001)}, "note"},
		{"not JSON", "POST", "", "{title:", "body"},
	}
	before := dbRows(t, app, a.ID)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := cp.B.JSON(tc.method, "/api/v1/agreements"+tc.path, tc.body)
			var got struct {
				Error struct {
					Code   string            `json:"code"`
					Fields map[string]string `json:"fields"`
				} `json:"error"`
			}
			r.JSON(t, &got)
			if r.Status != http.StatusUnprocessableEntity || got.Error.Code != "invalid" || got.Error.Fields[tc.field] == "" {
				t.Fatalf("%d %s; want 422 naming %s", r.Status, r.Body, tc.field)
			}
		})
	}
	var n int64
	app.DB.Raw("SELECT COUNT(*) FROM agreements").Scan(&n)
	if n != 1 {
		t.Fatalf("%d agreements stored, want 1", n)
	}
	if after := dbRows(t, app, a.ID); len(after) != len(before) {
		t.Fatalf("rows changed: %d → %d", len(before), len(after))
	}
}

// Withdrawing needs one's own consent to the latest version (DESIGN §2.3): the page offers "Withdraw my
// consent" only to someone whose acceptance of the latest version is in the log, and the API and the
// page form refuse anyone else with 409 and a message that says why, leaving the log as it was.
func TestWithdrawalOnlyFromWhoAcceptedTheLatestVersion(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("ag-wd-own")
	a := proposeAPI(t, cp.A, honesty("Honesty"))
	if page := cp.B.Get("/agreements/" + a.ID); strings.Contains(page.Body, "Withdraw my consent") {
		t.Error("B, who has not accepted version 1, is offered to withdraw consent")
	}
	if page := cp.A.Get("/agreements/" + a.ID); !strings.Contains(page.Body, "Withdraw my consent") {
		t.Error("A, who proposed version 1, is not offered to withdraw consent")
	}
	before := dbRows(t, app, a.ID)
	r := cp.B.JSON(http.MethodPost, "/api/v1/agreements/"+a.ID+"/withdraw", map[string]any{"note": "not mine"})
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, `"code":"conflict"`) || !strings.Contains(r.Body, "not accepted") {
		t.Fatalf("withdrawal by a partner who has not accepted: %d %s", r.Status, r.Body)
	}
	if r := cp.B.PostForm("/agreements/"+a.ID+"/withdraw", testutil.Form("note", "not mine")); r.Status != http.StatusConflict ||
		!strings.Contains(r.Body, "not accepted") {
		t.Fatalf("the page form: %d", r.Status)
	}
	if after := dbRows(t, app, a.ID); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("a refused withdrawal changed the rows:\n%v\n%v", before, after)
	}
	decodeAgreement(t, acceptAPI(cp.B, a.ID, 1), http.StatusOK)
	if page := cp.B.Get("/agreements/" + a.ID); !strings.Contains(page.Body, "Withdraw my consent") {
		t.Error("B accepted version 1 and is not offered to withdraw consent")
	}
	decodeAgreement(t, cp.B.JSON(http.MethodPost, "/api/v1/agreements/"+a.ID+"/withdraw", map[string]any{}), http.StatusOK)
}
