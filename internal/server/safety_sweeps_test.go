package server_test

import (
	"github.com/mendhq/mend/internal/testutil"
)

// The Safety Check's rows in the shared route sweeps: what only ever touches the caller's own account
// (C2's account-only list), the write endpoints without text of their own (the text rule), and the
// un-share routes in the cross-couple table.
func init() {
	for route, reason := range map[string]string{
		"GET /safety-check":              "the caller's own sessions, history and shared items (TestSecurityShowsOnlyOwnSignIns, K4)",
		"GET /api/v1/me/security":        "the caller's own sessions, history and shared items (TestSecurityShowsOnlyOwnSignIns, K4)",
		"GET /account/two-step":          "the caller's own second factor",
		"POST /account/two-step/start":   "the caller's own second factor (K1 tests)",
		"POST /account/two-step/confirm": "the caller's own second factor (K1 tests)",
		"POST /account/two-step/off":     "the caller's own second factor (K1 tests)",
		"POST /api/v1/me/totp":           "the caller's own second factor (K1 tests)",
		"POST /api/v1/me/totp/confirm":   "the caller's own second factor (K1 tests)",
		"DELETE /api/v1/me/totp":         "the caller's own second factor (K1 tests)",
	} {
		crossCoupleAccountOnly[route] = reason
	}
	for route, reason := range map[string]string{
		"POST /api/v1/auth/login/second-factor": "a challenge and a code, compared, never stored",
		"POST /api/v1/me/totp":                  "no body",
		"POST /api/v1/me/totp/confirm":          "a code, compared, never stored",
		"DELETE /api/v1/me/totp":                "a code or recovery code, compared, never stored",
		"POST /api/v1/moments/:id/unshare":      "no body",
		"POST /api/v1/acknowledgment/unshare":   "no body",
	} {
		textNoFields[route] = reason
	}
	priv := func(prefix, suffix string) func(string, string, string) string {
		return func(_, id, _ string) string { return prefix + id + suffix }
	}
	shared := func(prefix, suffix string) func(string, string, string) string {
		return func(_, _, id string) string { return prefix + id + suffix }
	}
	fixed := func(p string) func(string, string, string) string {
		return func(string, string, string) string { return p }
	}
	addCrossCouple(
		planC2("shared moment unshare", "POST", "/api/v1/moments/:id/unshare", shared("/api/v1/moments/", "/unshare"), nil),
		planC2("private moment unshare", "POST", "/api/v1/moments/:id/unshare", priv("/api/v1/moments/", "/unshare"), nil),
		planC2("moment unshare form", "POST", "/safety-check/moments/:id/unshare", shared("/safety-check/moments/", "/unshare"), testutil.Form()),
		// The acknowledgment has no id: another couple un-sharing acts on its own, where nothing is shared.
		planC2("ack unshare", "POST", "/api/v1/acknowledgment/unshare", fixed("/api/v1/acknowledgment/unshare"), nil),
		planC2("ack unshare form", "POST", "/safety-check/acknowledgment/unshare", fixed("/safety-check/acknowledgment/unshare"), testutil.Form()),
	)
}
