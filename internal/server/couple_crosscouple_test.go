package server_test

import (
	"net/http"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// The couple's own routes carry no ids: the couple always comes from the session. Their rows check the
// equivalent of a 404: another couple's member only ever reaches their own couple.

// ownerInvite ends the owner couple (B leaves), starts a new one as A and returns a live invite of it.
func ownerInvite(t *testing.T, owner testutil.Couple) string {
	t.Helper()
	reauth(t, owner.B)
	if r := owner.B.JSON(http.MethodPost, "/api/v1/couple/leave", nil); r.Status != http.StatusNoContent {
		t.Fatalf("leave: %d %s", r.Status, r.Body)
	}
	return startCouple(t, owner.A)
}

func ownerStillWaiting(t *testing.T, app *testutil.App, owner testutil.Couple) {
	t.Helper()
	if st, cp := getCouple(t, owner.A); st != http.StatusOK || cp.Status != "waiting_for_partner" || len(cp.Members) != 1 {
		t.Errorf("the owner's new couple changed: %d %+v", st, cp)
	}
}

func ownerInvitesUnchanged(t *testing.T, app *testutil.App, owner testutil.Couple) {
	t.Helper()
	_, cp := getCouple(t, owner.A)
	if n := count(t, app, "SELECT COUNT(*) FROM invites WHERE couple_id = ?", cp.ID); n != 1 {
		t.Errorf("the owner couple has %d invites, want the one it used", n)
	}
}

func fixed(path string, body any) func(*testing.T, *testutil.App, testutil.Couple) (string, any) {
	return func(*testing.T, *testutil.App, testutil.Couple) (string, any) { return path, body }
}

func withOwnerToken(path string, form bool) func(*testing.T, *testutil.App, testutil.Couple) (string, any) {
	return func(t *testing.T, _ *testutil.App, owner testutil.Couple) (string, any) {
		tok := ownerInvite(t, owner)
		if form {
			return path, testutil.Form("token", tok)
		}
		return path, map[string]string{"token": tok}
	}
}

func init() {
	settings := map[string]string{"timezone": "Asia/Tokyo", "checkin_weekday": "friday", "role": "hurt"}
	addCrossCouple(
		crossCoupleCase{Name: "reads only its own couple", Method: http.MethodGet, Route: "/api/v1/couple", Setup: fixed("/api/v1/couple", nil)},
		crossCoupleCase{Name: "cannot start a second", Method: http.MethodPost, Route: "/api/v1/couple", Setup: fixed("/api/v1/couple", settings)},
		crossCoupleCase{Name: "changes only its own", Method: http.MethodPatch, Route: "/api/v1/couple", Setup: fixed("/api/v1/couple", settings)},
		crossCoupleCase{Name: "invites only to its own", Method: http.MethodPost, Route: "/api/v1/couple/invite",
			Setup: fixed("/api/v1/couple/invite", nil), Check: ownerInvitesUnchanged},
		crossCoupleCase{Name: "owner's live invite", Method: http.MethodPost, Route: "/api/v1/couple/join",
			Setup: withOwnerToken("/api/v1/couple/join", false), Check: ownerStillWaiting},
		crossCoupleCase{Name: "leaves only its own", Method: http.MethodPost, Route: "/api/v1/couple/leave", Setup: fixed("/api/v1/couple/leave", nil)},
		crossCoupleCase{Name: "own archive", Method: http.MethodGet, Route: "/api/v1/me/archive", Setup: fixed("/api/v1/me/archive", nil)},
		crossCoupleCase{Name: "own export", Method: http.MethodGet, Route: "/api/v1/me/export", Setup: fixed("/api/v1/me/export", nil)},
		crossCoupleCase{Name: "deletes only itself", Method: http.MethodDelete, Route: "/api/v1/me", Setup: fixed("/api/v1/me", nil)},
		crossCoupleCase{Name: "own dashboard", Method: http.MethodGet, Route: "/dashboard", Setup: fixed("/dashboard", nil)},
		crossCoupleCase{Name: "own couple page", Method: http.MethodGet, Route: "/couple", Setup: fixed("/couple", nil)},
		crossCoupleCase{Name: "cannot start a second", Method: http.MethodPost, Route: "/couple",
			Setup: fixed("/couple", testutil.Form("timezone", "UTC", "checkin_weekday", "monday"))},
		crossCoupleCase{Name: "changes only its own", Method: http.MethodPost, Route: "/couple/settings",
			Setup: fixed("/couple/settings", testutil.Form("timezone", "Asia/Tokyo", "checkin_weekday", "friday"))},
		crossCoupleCase{Name: "sets only its own role", Method: http.MethodPost, Route: "/couple/role",
			Setup: fixed("/couple/role", testutil.Form("role", "hurt"))},
		crossCoupleCase{Name: "invites only to its own", Method: http.MethodPost, Route: "/couple/invite",
			Setup: fixed("/couple/invite", testutil.Values{}), Check: ownerInvitesUnchanged},
		crossCoupleCase{Name: "owner's live invite", Method: http.MethodPost, Route: "/couple/join",
			Setup: withOwnerToken("/couple/join", true), Check: ownerStillWaiting},
		crossCoupleCase{Name: "leaves only its own", Method: http.MethodPost, Route: "/couple/leave",
			Setup: fixed("/couple/leave", testutil.Form("confirm", "yes"))},
		crossCoupleCase{Name: "own archive", Method: http.MethodGet, Route: "/archive", Setup: fixed("/archive", nil)},
		crossCoupleCase{Name: "own export", Method: http.MethodGet, Route: "/account/export", Setup: fixed("/account/export", nil)},
		crossCoupleCase{Name: "deletion form", Method: http.MethodGet, Route: "/account/delete", Setup: fixed("/account/delete", nil)},
		crossCoupleCase{Name: "deletes only itself", Method: http.MethodPost, Route: "/account/delete",
			Setup: fixed("/account/delete", testutil.Form("password", testutil.Password, "confirm", "yes"))},
	)
}
