package server_test

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

// apiAgreement is an agreement as the API returns it.
type apiAgreement struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Body         string   `json:"body"`
	Category     string   `json:"category"`
	ReviewOn     string   `json:"review_on"`
	EndsOn       *string  `json:"ends_on"`
	Status       string   `json:"status"`
	Version      int      `json:"version"`
	DueForReview bool     `json:"due_for_review"`
	WaitingForMe bool     `json:"waiting_for_me"`
	AcceptedBy   []string `json:"accepted_by"`
	// AcceptedByFormerPartner is set on a joint text whose other author has deleted their account.
	AcceptedByFormerPartner bool `json:"accepted_by_former_partner"`
	Versions                []struct {
		Number int     `json:"number"`
		Title  string  `json:"title"`
		Body   string  `json:"body"`
		Author *string `json:"author"`
	} `json:"versions"`
	Log []struct {
		Action  string  `json:"action"`
		Version int     `json:"version"`
		By      *string `json:"by"`
		At      string  `json:"at"`
		Note    string  `json:"note"`
	} `json:"log"`
}

// The fake clock starts on 2026-11-25.
func honesty(title string) map[string]any {
	return map[string]any{"title": title, "body": "We tell each other the truth, even when it is hard.", "category": "honesty", "review_on": "2027-01-25"}
}

func calendars(ends string) map[string]any {
	return map[string]any{"title": "Calendars", "body": "I share my calendar with you for a while.", "category": "transparency", "review_on": "2026-12-20", "ends_on": ends}
}

// decodeAgreement reads {"agreement": {...}} from r, failing unless r has status want.
func decodeAgreement(t *testing.T, r *testutil.Response, want int) apiAgreement {
	t.Helper()
	if r.Status != want {
		t.Fatalf("status %d, want %d: %s", r.Status, want, r.Body)
	}
	var got struct {
		Agreement *apiAgreement `json:"agreement"`
	}
	r.JSON(t, &got)
	if got.Agreement == nil {
		t.Fatalf("no agreement in %s", r.Body)
	}
	return *got.Agreement
}

// proposeAPI creates an agreement through the API as cl.
func proposeAPI(t *testing.T, cl *testutil.Client, body map[string]any) apiAgreement {
	t.Helper()
	return decodeAgreement(t, cl.JSON(http.MethodPost, "/api/v1/agreements", body), http.StatusCreated)
}

func getAPI(t *testing.T, cl *testutil.Client, id string) apiAgreement {
	t.Helper()
	return decodeAgreement(t, cl.JSON(http.MethodGet, "/api/v1/agreements/"+id, nil), http.StatusOK)
}

func acceptAPI(cl *testutil.Client, id string, version int) *testutil.Response {
	return cl.JSON(http.MethodPost, "/api/v1/agreements/"+id+"/accept", map[string]any{"version": version})
}

func editAPI(cl *testutil.Client, id string, base int, body map[string]any) *testutil.Response {
	b := map[string]any{"base_version": base}
	for k, v := range body {
		b[k] = v
	}
	return cl.JSON(http.MethodPut, "/api/v1/agreements/"+id, b)
}

// activeAgreement is an agreement A proposed and B accepted.
func activeAgreement(t *testing.T, cp testutil.Couple, body map[string]any) apiAgreement {
	t.Helper()
	a := proposeAPI(t, cp.A, body)
	return decodeAgreement(t, acceptAPI(cp.B, a.ID, 1), http.StatusOK)
}

// dbRows returns a fingerprint of every agreement row, to show that nothing changed.
func dbRows(t *testing.T, app *testutil.App, agreementID string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, q := range []string{
		"SELECT id, couple_id, created_at FROM agreements WHERE id = ?",
		"SELECT id, number, author_id, title, body, category, review_on, ends_on, created_at FROM agreement_versions WHERE agreement_id = ? ORDER BY number",
		"SELECT id, seq, version, actor_id, action, note, next_review_on, created_at FROM agreement_events WHERE agreement_id = ? ORDER BY seq",
	} {
		var rows []map[string]any
		if err := app.DB.Raw(q, agreementID).Scan(&rows).Error; err != nil {
			t.Fatalf("rows: %v", err)
		}
		out = append(out, rows...)
	}
	return out
}

var locationID = regexp.MustCompile(`^/agreements/([A-Za-z0-9_-]+)\?saved=`)

// proposePage creates an agreement through the page form as cl and returns its id.
func proposePage(t *testing.T, cl *testutil.Client, form testutil.Values) string {
	t.Helper()
	cl.Get("/agreements/new")
	r := cl.PostForm("/agreements", form)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("propose: %d %s", r.Status, r.Body)
	}
	m := locationID.FindStringSubmatch(r.Header.Get("Location"))
	if m == nil {
		t.Fatalf("propose redirected to %q", r.Header.Get("Location"))
	}
	return m[1]
}

// travel moves the clock to when and signs both partners in again (sessions expire as time passes).
func travel(app *testutil.App, cp testutil.Couple, prefix string, when time.Time) {
	app.Clock.Set(when)
	cp.A.LoginAPI(prefix+"-a@example.org", testutil.Password)
	cp.B.LoginAPI(prefix+"-b@example.org", testutil.Password)
}
