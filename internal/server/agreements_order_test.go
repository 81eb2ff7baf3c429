package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// TestAgreementNewVersionReadsChangesFirst: a new version's page says what changed (the word diff)
// before the full text, then offers accepting as the one obvious action; withdrawing consent is there,
// but quietly, behind its own disclosure and without a filled button.
func TestAgreementNewVersionReadsChangesFirst(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("ag-order")
	id := proposePage(t, cp.A, pageForm("Evenings", "We are home by ten on weekdays."))
	form := pageForm("Evenings", "We are home by eleven on weekdays.")
	form.Set("base_version", "1")
	if r := cp.B.PostForm("/agreements/"+id+"/edit", form); r.Status != http.StatusSeeOther {
		t.Fatalf("edit: %d", r.Status)
	}
	body := cp.A.Get("/agreements/" + id).Body
	ciInOrder(t, "version 2 for A", body, `id="changes-title"`, "<del>ten</del><ins>eleven</ins>", "<h2 id=\"text-title\">The full text",
		"We are home by eleven on weekdays.", `action="/agreements/`+id+`/accept"`, `<button type="submit">I accept version 2</button>`, "Suggest changes")

	if r := cp.A.PostForm("/agreements/"+id+"/accept", testutil.Form("version", "2")); r.Status != http.StatusSeeOther {
		t.Fatalf("accept: %d", r.Status)
	}
	body = cp.A.Get("/agreements/" + id).Body
	ciInOrder(t, "A's page once accepted", body, "Suggest changes", `<details class="quiet-action"`, "<summary>Withdraw my consent</summary>",
		`action="/agreements/`+id+`/withdraw"`, `<button type="submit" class="quiet">Withdraw my consent</button>`)
	if strings.Contains(body, `<details class="quiet-action" open`) {
		t.Error("the withdraw disclosure is open without a refused post")
	}
	r := cp.A.PostForm("/agreements/"+id+"/withdraw", testutil.Form("note", strings.Repeat("x", 1001)))
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `<details class="quiet-action" open`) {
		t.Errorf("a refused withdrawal: %d, and its form must show open with its message", r.Status)
	}
}
