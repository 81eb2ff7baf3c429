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

// Export carries every agreement with its versions and log. Deleting an account while the couple is
// active ends the couple and removes what the account wrote (its versions, its consent, agreements left
// with no versions), except joint texts (DESIGN §2.9): a version both accepted stays in the former
// partner's archive and export, attributed to "your former partner" and carrying no id of theirs.
func TestAgreementsInExportDeletionAndArchive(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("ag-erase")
	x := activeAgreement(t, cp, honesty("Written by A, edited by B"))
	decodeAgreement(t, editAPI(cp.B, x.ID, 1, honesty("B's edit of A's agreement")), http.StatusOK)
	decodeAgreement(t, acceptAPI(cp.A, x.ID, 2), http.StatusOK)
	y := proposeAPI(t, cp.B, honesty("Written by B, accepted by A"))
	decodeAgreement(t, acceptAPI(cp.A, y.ID, 1), http.StatusOK)
	z := activeAgreement(t, cp, honesty("Written by A alone"))
	w := proposeAPI(t, cp.B, honesty("Proposed by B, never accepted"))

	got := exportedAgreements(t, cp.A)
	if len(got) != 4 {
		t.Fatalf("export has %d agreements, want 4", len(got))
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
	app.DB.Raw("SELECT COUNT(*) FROM agreements WHERE id = ?", w.ID).Scan(&n)
	if n != 0 {
		t.Fatal("an agreement only the deleted account accepted remains")
	}

	archive := cp.A.Get("/archive")
	for _, want := range []string{"Agreements you accepted", "B&#39;s edit of A&#39;s agreement", "Written by B, accepted by A", "Written by A alone",
		"written by your former partner · accepted", "written by you · accepted",
		"every agreement you had both accepted stays here, shown as written by your former partner"} {
		if !strings.Contains(archive.Body, want) {
			t.Errorf("archive lacks %q", want)
		}
	}
	if strings.Contains(archive.Body, "Proposed by B, never accepted") || strings.Contains(archive.Body, "ag-erase B") {
		t.Error("the archive shows what only the deleted partner accepted, or their name")
	}
	got = exportedAgreements(t, cp.A)
	byTitle := map[string]apiAgreement{}
	for _, a := range got {
		byTitle[a.Title] = a
	}
	ex, ey := byTitle["B's edit of A's agreement"], byTitle["Written by B, accepted by A"]
	if len(got) != 3 || len(ex.Versions) != 2 || ex.Versions[1].Author != nil || ey.Versions[0].Author != nil || len(byTitle["Written by A alone"].Versions) != 1 {
		t.Fatalf("export after the partner's deletion: %+v", got)
	}
	if ex.Status != "active" || !ex.AcceptedByFormerPartner || len(ex.AcceptedBy) != 1 || ex.Log[1].By != nil || ex.Log[1].Note != "" {
		t.Errorf("the joint text's consent in the export: %+v", ex)
	}
	app.DB.Raw("SELECT COUNT(*) FROM agreement_versions WHERE agreement_id = ?", z.ID).Scan(&n)
	if n != 1 {
		t.Fatalf("the agreement A wrote alone has %d versions, want 1", n)
	}
}
