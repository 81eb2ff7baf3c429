package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

func TestNewCoupleMakesAnActiveCoupleOfTwo(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("nc")
	for name, cl := range map[string]*testutil.Client{"A": cp.A, "B": cp.B} {
		r := cl.JSON(http.MethodGet, "/api/v1/couple", nil)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: GET /couple: %d %s", name, r.Status, r.Body)
		}
		var got struct {
			Couple struct {
				ID             string `json:"id"`
				Status         string `json:"status"`
				Timezone       string `json:"timezone"`
				CheckinWeekday string `json:"checkin_weekday"`
				Members        []struct {
					ID          string `json:"id"`
					DisplayName string `json:"display_name"`
					Me          bool   `json:"me"`
				} `json:"members"`
			} `json:"couple"`
		}
		r.JSON(t, &got)
		if got.Couple.Status != "active" || len(got.Couple.Members) != 2 || got.Couple.Timezone != "Europe/London" || got.Couple.CheckinWeekday != "sunday" {
			t.Errorf("%s: couple = %+v", name, got.Couple)
		}
		if strings.Contains(r.Body, "@example.org") {
			t.Errorf("%s: couple JSON carries an email: %s", name, r.Body)
		}
	}
}
