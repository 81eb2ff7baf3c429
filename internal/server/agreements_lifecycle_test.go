package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

func exportedAgreements(t *testing.T, cl *testutil.Client) []apiAgreement {
	t.Helper()
	reauth(t, cl)
	r := cl.Get("/api/v1/me/export")
	var got struct {
		Agreements []apiAgreement `json:"agreements"`
	}
	r.JSON(t, &got)
	if r.Status != http.StatusOK {
		t.Fatalf("export: %d %s", r.Status, r.Body)
	}
	return got.Agreements
}

// Export carries every agreement with its versions and log; deleting an account removes what it wrote
// (its versions, its consent, agreements left with no versions), and the former partner keeps the rest
// in their archive and export.
func TestAgreementsInExportDeletionAndArchive(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("ag-erase")
	x := activeAgreement(t, cp, honesty("Written by A, edited by B"))
	decodeAgreement(t, editAPI(cp.B, x.ID, 1, honesty("B's edit of A's agreement")), http.StatusOK)
	decodeAgreement(t, acceptAPI(cp.A, x.ID, 2), http.StatusOK)
	y := proposeAPI(t, cp.B, honesty("Written by B alone"))
	decodeAgreement(t, acceptAPI(cp.A, y.ID, 1), http.StatusOK)
	z := activeAgreement(t, cp, honesty("Written by A alone"))

	got := exportedAgreements(t, cp.A)
	if len(got) != 3 {
		t.Fatalf("export has %d agreements, want 3", len(got))
	}
	for _, a := range got {
		if len(a.Versions) == 0 || len(a.Log) == 0 {
			t.Errorf("exported agreement without versions or log: %+v", a)
		}
	}

	var bID string
	app.DB.Raw("SELECT author_id FROM agreement_versions WHERE agreement_id = ?", y.ID).Scan(&bID)
	reauth(t, cp.B)
	if r := cp.B.JSON(http.MethodDelete, "/api/v1/me", nil); r.Status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	var n int64
	app.DB.Raw("SELECT (SELECT COUNT(*) FROM agreement_versions WHERE author_id = ?) + (SELECT COUNT(*) FROM agreement_events WHERE actor_id = ?)", bID, bID).Scan(&n)
	if n != 0 {
		t.Fatalf("%d rows of the deleted account remain", n)
	}
	app.DB.Raw("SELECT COUNT(*) FROM agreements WHERE id = ?", y.ID).Scan(&n)
	if n != 0 {
		t.Fatal("an agreement only the deleted account wrote remains")
	}

	archive := cp.A.Get("/archive")
	for _, want := range []string{"Agreements you accepted", "Written by A, edited by B", "Written by A alone"} {
		if !strings.Contains(archive.Body, want) {
			t.Errorf("archive lacks %q", want)
		}
	}
	for _, gone := range []string{"B&#39;s edit", "Written by B alone"} {
		if strings.Contains(archive.Body, gone) {
			t.Errorf("archive still shows %q", gone)
		}
	}
	got = exportedAgreements(t, cp.A)
	titles := map[string]int{}
	for _, a := range got {
		titles[a.Title] = len(a.Versions)
	}
	if len(got) != 2 || titles["Written by A, edited by B"] != 1 || titles["Written by A alone"] != 1 {
		t.Fatalf("export after the partner's deletion: %v", titles)
	}
	app.DB.Raw("SELECT COUNT(*) FROM agreement_versions WHERE agreement_id = ?", z.ID).Scan(&n)
	if n != 1 {
		t.Fatalf("the agreement A wrote alone has %d versions, want 1", n)
	}
}
