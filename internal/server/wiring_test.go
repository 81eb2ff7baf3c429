package server_test

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/testutil"
)

// TestCheckinAsksAboutActiveAgreements checks the wiring between agreements and check-ins: an agreement both
// accepted appears in the week's form and can be answered; one still waiting for acceptance does not and can't.
func TestCheckinAsksAboutActiveAgreements(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("wire")
	active := decodeAgreement(t, cp.A.JSON(http.MethodPost, "/api/v1/agreements", honesty("Tell the truth")), http.StatusCreated)
	decodeAgreement(t, cp.B.JSON(http.MethodPost, "/api/v1/agreements/"+active.ID+"/accept", map[string]int{"version": active.Version}), http.StatusOK)
	waiting := decodeAgreement(t, cp.A.JSON(http.MethodPost, "/api/v1/agreements", honesty("Still waiting")), http.StatusCreated)

	r := cp.B.Get("/api/v1/checkins/" + ciWeek)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, active.ID) || strings.Contains(r.Body, waiting.ID) {
		t.Fatalf("week form should list only the active agreement: %d %s", r.Status, r.Body)
	}
	if page := cp.B.Get("/checkins/" + ciWeek); !strings.Contains(page.Body, "Tell the truth") {
		t.Fatalf("the check-in page does not ask about the active agreement")
	}
	body := ciAnswer("wire", 6, 6, 6, false)
	body["agreements"] = []any{map[string]string{"agreement_id": active.ID, "kept": "kept"}}
	ciPut(t, cp.B, ciWeek, body)
	body["agreements"] = []any{map[string]string{"agreement_id": waiting.ID, "kept": "kept"}}
	if r := cp.B.JSON(http.MethodPut, "/api/v1/checkins/"+ciWeek+"/mine", body); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("answering about an agreement that is not active: %d %s", r.Status, r.Body)
	}
}

// TestNewRefusesADatabaseWithoutAVault: personal text is sealed with the database's vault, so a
// server over a database that has none is refused when it is built, not at its first write.
func TestNewRefusesADatabaseWithoutAVault(t *testing.T) {
	t.Parallel()
	db, err := database.Open(filepath.Join(t.TempDir(), "mend.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) })
	if _, err := server.New(server.Deps{Config: testutil.TestConfig(t.TempDir()), DB: db}); err == nil || !strings.Contains(err.Error(), "key store") {
		t.Fatalf("New over a database without a vault: %v", err)
	}
}
