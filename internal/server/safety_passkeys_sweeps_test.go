package server_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// The rows of passkeys, auto-lock and the pause in the shared route sweeps: all of it touches only the
// caller's own account (C2's account-only list); the write endpoints without text of their own (the
// text rule), and the one with a name, walked like every text field.
func init() {
	for route, reason := range map[string]string{
		"POST /api/v1/me/passkeys/begin":         "the caller's own passkeys (K3 tests)",
		"POST /api/v1/me/passkeys/finish":        "the caller's own passkeys (K3 tests)",
		"POST /api/v1/me/passkeys/:id/confirm":   "the caller's own passkeys: another's id is 404 (TestRemovingAPasskeyNeedsTheFactor)",
		"DELETE /api/v1/me/passkeys/:id":         "the caller's own passkeys: another's id is 404 (TestRemovingAPasskeyNeedsTheFactor)",
		"PUT /api/v1/me/auto-lock":               "the caller's own setting",
		"POST /api/v1/me/notifications/pause":    "the caller's own notifications",
		"POST /safety-check/passkeys/:id/remove": "the caller's own passkeys: another's id is 404",
		"POST /safety-check/auto-lock":           "the caller's own setting",
		"POST /safety-check/pause":               "the caller's own notifications",
	} {
		crossCoupleAccountOnly[route] = reason
	}
	for route, reason := range map[string]string{
		"POST /api/v1/auth/passkey/begin":      "a challenge, matched by its hash",
		"POST /api/v1/auth/passkey/finish":     "a ceremony, a challenge and an authenticator's answer, checked, never stored as text",
		"POST /api/v1/me/passkeys/begin":       "no body",
		"POST /api/v1/me/passkeys/:id/confirm": "no body",
		"DELETE /api/v1/me/passkeys/:id":       "a code, a recovery code or a passkey's answer, compared, never stored",
		"PUT /api/v1/me/auto-lock":             "a number of minutes",
		"POST /api/v1/me/notifications/pause":  "no body",
	} {
		textNoFields[route] = reason
	}
	textRows = append(textRows, textRow{Method: "POST", Route: "/api/v1/me/passkeys/finish", OK: http.StatusCreated,
		Fields: []string{"name"},
		Setup: func(t *testing.T, w *textWalk) (*testutil.Client, string, map[string]any) {
			cl := w.app.Client()
			cl.RegisterAPI("text-passkey@example.org", "Pat")
			cer, opts := begun(t, cl.JSON(http.MethodPost, "/api/v1/me/passkeys/begin", nil))
			cred := testutil.NewAuthenticator(w.app.Config.BaseURL).Create(t, opts)
			return cl, "/api/v1/me/passkeys/finish", map[string]any{"ceremony": cer, "name": "My phone", "credential": json.RawMessage(cred)}
		}})
}
