package database_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"gorm.io/gorm"

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

// TestReadyzChecksWhatTheEngineNeeds: on SQLite /readyz asks the readers too (a page is read there), and
// on PostgreSQL it answers 503 when the server takes no writes (a standby after a fail-over, or a
// database set read-only, as a full disk makes some providers do).
func TestReadyzChecksWhatTheEngineNeeds(t *testing.T) {
	t.Parallel()
	ready := func(t *testing.T, db *gorm.DB) int {
		t.Helper()
		srv, err := server.New(server.Deps{Config: testutil.TestConfig(t.TempDir()), DB: db})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := srv.App().Test(httptest.NewRequest("GET", "/readyz", nil), 5000)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	t.Run("sqlite readers", func(t *testing.T) {
		t.Parallel()
		db, _ := testutil.NewDB(t)
		if got := ready(t, db); got != 200 {
			t.Fatalf("/readyz = %d, want 200", got)
		}
		database.Reader(db).Close()
		if got := ready(t, db); got != 503 {
			t.Errorf("/readyz with the readers gone = %d, want 503", got)
		}
	})
	t.Run("postgres read-only", func(t *testing.T) {
		t.Parallel()
		_, u := testutil.NewPostgresDB(t)
		db, err := database.OpenPostgres(context.Background(), u+"&options=-c%20default_transaction_read_only%3Don", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer database.Close(db)
		testutil.AttachVault(t, db)
		if got := ready(t, db); got != 503 {
			t.Errorf("/readyz on a read-only PostgreSQL = %d, want 503", got)
		}
	})
}
