package proof

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/config"
)

// canaryMark is in every text, email and password of a canary journey.
const canaryMark = "zq9canary"

func canary(field string) string { return canaryMark + "-" + field + "-" }

// mistakes sends the journey's requests that fail, each carrying canaries: a duplicate registration,
// wrong passwords, an invalid form, a stale edit, a text that is too long and unknown tokens.
func (j *journey) mistakes() {
	cl := j.app.Client()
	cl.JSON(http.MethodPost, "/api/v1/auth/register", map[string]string{"email": j.emailA, "display_name": canary("dup"), "password": "dup " + canary("password")})
	cl.JSON(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": j.emailA, "password": "wrong " + canary("password")})
	cl.Get("/login")
	cl.PostForm("/login", map[string][]string{"email": {j.emailB}, "password": {"wrong " + canary("password")}})
	cl.Get("/reset/" + canary("reset-token"))
	j.A.JSON(http.MethodPost, "/api/v1/auth/reauth", map[string]string{"password": "wrong " + canary("password")})
	j.A.JSON(http.MethodPost, "/api/v1/couple/join", map[string]string{"token": canary("invite-token")})
	j.A.Get("/agreements/new")
	j.A.PostForm("/agreements", map[string][]string{"title": {""}, "body": {canary("invalid-body")}, "category": {"honesty"}})
	j.A.JSON(http.MethodPut, "/api/v1/agreements/"+j.agreements[0], map[string]any{"base_version": 1, "title": canary("stale-title"),
		"body": canary("stale-body"), "category": "honesty", "review_on": "2027-01-10"})
	j.A.JSON(http.MethodPut, "/api/v1/checkins/"+j.week+"/mine", map[string]any{"appreciation": strings.Repeat(canary("long"), 400)})
	j.A.JSON(http.MethodGet, "/api/v1/agreements/"+canary("id"), nil)
	j.A.Get("/checkins/" + canary("week"))
}

// TestNoPersonalTextOrSecretInAnyLog covers SECURITY G2 over the whole app: a journey where every
// text, email and password carries a canary, with mistakes on the way (wrong passwords, invalid forms,
// a stale edit, unknown tokens) and both accounts deleted at the end. Neither a canary nor any token,
// cookie or CSRF value met on the way is in the server's log or the database's log.
func TestNoPersonalTextOrSecretInAnyLog(t *testing.T) {
	t.Parallel()
	j := newJourney(t, canary)
	j.run()
	j.mistakes()
	j.crawl(true)
	j.finish()
	j.erase()
	logs := j.app.Logs.String()
	if !strings.Contains(logs, `"msg":"request"`) {
		t.Fatalf("the log holds no request lines, so the test would prove nothing:\n%.500s", logs)
	}
	if i := strings.Index(logs, canaryMark); i >= 0 {
		t.Errorf("a canary reached the log: %s", logs[max(0, i-300):min(len(logs), i+100)])
	}
	for _, s := range j.secrets {
		if len(s) >= 8 && strings.Contains(logs, s) {
			t.Errorf("a secret (%.6s…) reached the log", s)
		}
	}
}

// dbFilesHold reports where the database holds needle. On SQLite it checkpoints the WAL and names the
// database files that hold it, free pages and all (Mend deletes with secure_delete on). On PostgreSQL,
// whose files keep dead rows until the server vacuums them (its own business, not Mend's), it names
// the tables with a row that holds it.
func dbFilesHold(t *testing.T, j *journey, needle string) []string {
	t.Helper()
	if j.app.Engine == config.EnginePostgres {
		var in []string
		for _, row := range dbState(t, j.app) {
			if table, _, _ := strings.Cut(row, ":"); strings.Contains(row, needle) && !slices.Contains(in, table) {
				in = append(in, table)
			}
		}
		return in
	}
	var busy, frames, done int
	if err := j.app.DB.Raw("PRAGMA wal_checkpoint(TRUNCATE)").Row().Scan(&busy, &frames, &done); err != nil || busy != 0 {
		t.Fatalf("checkpoint: %v (busy %d)", err, busy)
	}
	var in []string
	for _, f := range []string{j.app.DBPath, j.app.DBPath + "-wal", j.app.DBPath + "-shm"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(needle)) {
			in = append(in, f)
		}
	}
	return in
}

// jointTextsOfB are the journey's agreement texts B wrote and A accepted: joint texts, which stay with A
// when B deletes their account (DESIGN §2.9, SECURITY H2).
var jointTextsOfB = map[string]bool{"agreement-title-v3-b": true, "agreement-body-v3-b": true, "transparency-title-b": true, "transparency-body-b": true}

// sealedAtRest reports whether the journey's field f is stored sealed (internal/vault, README
// "Encryption at rest"), so it is never in the database files in the clear, before deletion either.
func sealedAtRest(f string) bool {
	for _, p := range []string{"display-name-", "trigger-", "signal-response-", "question-", "answer-", "follow-up-", "timeout-note", "calendar-title-", "review-title-",
		"agreement-", "transparency-", "accept-note-", "withdraw-note-", "review-note", "ack-", "moment-", "plan-item-",
		"appreciation-", "went-well-", "was-hard-", "need-", "sealed-", "heard-", "clarify-", "confirm-", "validate-"} {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	return false
}

// TestDeletionLeavesNoTextInTheDatabaseFiles covers SECURITY H2 over every feature: after B deletes
// their account, nothing B wrote (every field ending in "-b") is left in the database files except the
// agreement versions both accepted, which A's archive keeps, while A's own words still are there too;
// after A deletes theirs as well, no canary at all is left. The fields sealed at rest are never there
// in the clear, not even before.
func TestDeletionLeavesNoTextInTheDatabaseFiles(t *testing.T) {
	t.Parallel()
	j := newJourney(t, canary)
	j.run()
	j.finish()
	var byB, byA []string
	for _, f := range j.fields {
		if jointTextsOfB[f] {
			continue
		}
		if strings.HasSuffix(f, "-b") || strings.HasSuffix(f, "-b2") {
			byB = append(byB, f)
		} else if !strings.HasPrefix(f, "email") && f != "user-agent" {
			byA = append(byA, f)
		}
	}
	for _, f := range append(append([]string{}, byB...), byA...) {
		in := dbFilesHold(t, j, canary(f))
		switch {
		case sealedAtRest(f) && len(in) > 0:
			t.Errorf("%s is sealed at rest, yet it is in the clear in %v", f, in)
		case !sealedAtRest(f) && len(in) == 0:
			t.Fatalf("%s is not in the database before deletion, so the test would prove nothing", f)
		}
	}
	j.get(j.B, "/account/delete")
	j.form(j.B, "/account/delete", http.StatusOK, "confirm", "yes", "password", j.passNew)
	for _, f := range byB {
		if in := dbFilesHold(t, j, canary(f)); len(in) > 0 {
			t.Errorf("B's %s is still in %v after B's account was deleted", f, in)
		}
	}
	// Sealed texts are never in the files in the clear: that they stayed, A reads.
	if r := j.A.JSON(http.MethodGet, "/api/v1/me/export", nil); !strings.Contains(r.Body, canary("agreement-title-v1")) ||
		!strings.Contains(r.Body, canary("agreement-body-v3-b")) {
		t.Errorf("A's own agreement or the joint text B wrote went with B's account: %d %.300s", r.Status, r.Body)
	}
	archive := j.get(j.A, "/archive")
	for _, f := range []string{"appreciation-a", "heard-a"} {
		if !strings.Contains(archive.Body, canary(f)) {
			t.Errorf("A's own %s went with B's account", f)
		}
	}
	for f := range jointTextsOfB {
		if !sealedAtRest(f) && len(dbFilesHold(t, j, canary(f))) == 0 {
			t.Errorf("the joint text %s went with B's account", f)
		}
		if strings.Contains(f, "title") && !strings.Contains(archive.Body, canary(f)) {
			t.Errorf("A's archive lacks the joint text %s", f)
		}
	}
	j.api(j.A, http.MethodDelete, "/api/v1/me", nil, http.StatusNoContent)
	if in := dbFilesHold(t, j, canaryMark); len(in) > 0 {
		t.Errorf("a canary is still in %v after both accounts were deleted", in)
	}
}

// TestNoTextOrTokenInAnyURL covers SECURITY H5: across the journey, no request path, redirect or link
// (href, src, action) carries personal text, an email or a token, except the single-use invite and
// reset links themselves.
func TestNoTextOrTokenInAnyURL(t *testing.T) {
	t.Parallel()
	j := newJourney(t, canary)
	j.run()
	j.crawl(false)
	j.finish()
	allowed := func(u string) bool {
		return strings.HasPrefix(u, "/join/"+j.invite) && j.invite != "" || strings.HasPrefix(u, "/reset/"+j.reset) && j.reset != ""
	}
	check := func(where, u string) {
		if allowed(u) {
			return
		}
		if strings.Contains(u, canaryMark) || strings.Contains(strings.ToLower(u), "%40") || strings.Contains(u, "@") && !strings.HasPrefix(u, "mailto:") {
			t.Errorf("%s: personal text in URL %q", where, u)
		}
		for _, s := range j.secrets {
			if len(s) >= 8 && strings.Contains(u, s) {
				t.Errorf("%s: a secret in URL %q", where, u)
			}
		}
	}
	for _, ex := range j.seen {
		where := ex.Who + " " + ex.Method + " " + ex.Path
		check(where, ex.Path)
		check(where+" redirect", ex.Resp.Header.Get("Location"))
		if strings.HasPrefix(ex.Resp.Header.Get("Content-Type"), "text/html") {
			for _, tag := range startTags(ex.Resp.Body) {
				for _, a := range []string{"href", "src", "action", "formaction"} {
					if v, ok := tag.Attrs[a]; ok {
						check(where+" <"+tag.Name+" "+a+">", v)
					}
				}
			}
		}
	}
}

// TestResponsesCarryNoHashesTokensOrThePartnersEmail covers SECURITY C5 across every API answer,
// page and export of the journey: no JSON key names a password, hash, salt or secret; no password
// hash, session cookie or bearer token appears in a body; and neither partner ever receives the other's
// email address.
func TestResponsesCarryNoHashesTokensOrThePartnersEmail(t *testing.T) {
	t.Parallel()
	j := newJourney(t, canary)
	j.run()
	j.crawl(true)
	j.finish()
	forbiddenKey := func(k string) bool {
		k = strings.ToLower(k)
		for _, bad := range []string{"password", "hash", "salt", "secret", "session_token", "csrf"} {
			if strings.Contains(k, bad) {
				return true
			}
		}
		return false
	}
	var walk func(where string, v any)
	walk = func(where string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, inner := range x {
				if forbiddenKey(k) {
					t.Errorf("%s: JSON key %q", where, k)
				}
				walk(where, inner)
			}
		case []any:
			for _, inner := range x {
				walk(where, inner)
			}
		}
	}
	cookies := []string{j.A.Cookies["mend_session"], j.B.Cookies["mend_session"]}
	for _, ex := range j.seen {
		where := ex.Who + " " + ex.Method + " " + ex.Path
		body := ex.Resp.Body
		if strings.HasPrefix(ex.Resp.Header.Get("Content-Type"), "application/json") && body != "" {
			var v any
			if err := json.Unmarshal([]byte(body), &v); err != nil {
				t.Errorf("%s: invalid JSON: %v", where, err)
			}
			walk(where, v)
		}
		if strings.Contains(body, "$argon2") {
			t.Errorf("%s: a password hash in the body", where)
		}
		for _, c := range cookies {
			if c != "" && strings.Contains(body, c) {
				t.Errorf("%s: a session cookie in the body", where)
			}
		}
		if ex.Who == "A" && strings.Contains(body, j.emailB) || ex.Who == "B" && strings.Contains(body, j.emailA) {
			t.Errorf("%s: the partner's email address", where)
		}
	}
}
