package database_test

import (
	"net/http/httptest"
	"testing"

	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/testutil"
)

// TestReadyzOnBothEngines builds the server over each engine and asks /readyz, the load balancer's
// question: 200 while the database answers, 503 once it is gone.
func TestReadyzOnBothEngines(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db := testutil.NewDBOn(t, engine)
			srv, err := server.New(server.Deps{Config: testutil.TestConfig(t.TempDir()), DB: db})
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []int{200, 503} {
				resp, err := srv.App().Test(httptest.NewRequest("GET", "/readyz", nil), 5000)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != want {
					t.Fatalf("/readyz = %d, want %d", resp.StatusCode, want)
				}
				database.Close(db)
			}
		})
	}
}
