package proof

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/testutil"
)

// A journey is two partners using every feature of Mend, in process, through pages and the API, with
// every piece of text they type produced by text(field); a field written by B ends in "-b". The sweeps run it with XSS payloads (E1),
// canaries (G2, H2, H5) and plain words, and then look at every page, response and log line.

// exchange is one request of the journey and its answer.
type exchange struct {
	Who, Method, Path string
	Resp              *testutil.Response
}

type journey struct {
	t      testing.TB
	app    *testutil.App
	text   func(field string) string
	A, B   *testutil.Client
	seen   []exchange
	week   string
	zone   string   // the couple's time zone
	fields []string // every field text() was asked for

	emailA, emailB                   string
	passA, passB, passReset, passNew string
	agreements                       []string // ids: the edited one, the transparency one
	reflections                      []string
	planItem                         string
	moments                          []string
	triggers                         []string // A's: the signalled one, the private one
	signals                          []string // A's (received by B), B's (received by A)
	questions                        []string // A's answered one, B's
	invite, reset                    string
	feed                             string   // the calendar feed's secret (runPulse)
	secrets                          []string // tokens, cookies and passwords met on the way
}

// newJourney returns a journey on a fresh app whose texts come from text.
func newJourney(t testing.TB, text func(field string) string, mutate ...func(*config.Config)) *journey {
	t.Helper()
	app := newLoggedApp(t, mutate...)
	j := &journey{t: t, app: app, A: app.Client(), B: app.Client(), week: "2026-W48", zone: "Europe/London"}
	j.text = func(field string) string {
		j.fields = append(j.fields, field)
		return text(field)
	}
	j.passA, j.passB = "first password "+text("password-a"), "first password "+text("password-b")
	j.passReset, j.passNew = "reset password "+text("password-reset"), "changed password "+text("password-new")
	j.A.Headers["User-Agent"] = "Mozilla/5.0 " + j.text("user-agent") + " Firefox/140.0"
	return j
}

func (j *journey) who(cl *testutil.Client) string {
	if cl == j.A {
		return "A"
	}
	return "B"
}

func (j *journey) keep(ex exchange) *testutil.Response {
	j.seen = append(j.seen, ex)
	return ex.Resp
}

// get fetches path as cl.
func (j *journey) get(cl *testutil.Client, path string) *testutil.Response {
	return j.keep(exchange{j.who(cl), http.MethodGet, path, cl.Get(path)})
}

// form posts a form as cl and fails the journey unless the answer has status want.
func (j *journey) form(cl *testutil.Client, path string, want int, kv ...string) *testutil.Response {
	j.t.Helper()
	r := j.keep(exchange{j.who(cl), http.MethodPost, path, cl.PostForm(path, testutil.Form(kv...))})
	if r.Status != want {
		j.t.Fatalf("%s POST %s: %d, want %d\n%.2000s", j.who(cl), path, r.Status, want, r.Body)
	}
	return r
}

// api sends JSON as cl and fails the journey unless the answer has status want.
func (j *journey) api(cl *testutil.Client, method, path string, body any, want int) map[string]any {
	j.t.Helper()
	r := j.keep(exchange{j.who(cl), method, path, cl.JSON(method, path, body)})
	if r.Status != want {
		j.t.Fatalf("%s %s %s: %d, want %d\n%.2000s", j.who(cl), method, path, r.Status, want, r.Body)
	}
	if r.Body == "" {
		return nil
	}
	return r.Map(j.t)
}

func idOf(m map[string]any, key string) string {
	inner, _ := m[key].(map[string]any)
	id, _ := inner["id"].(string)
	return id
}

var agreementLocation = regexp.MustCompile(`^/agreements/([A-Za-z0-9_-]+)`)

// run takes both partners from registration to an opened check-in and everything the plan offers.
// It leaves the couple active; finish ends it.
func (j *journey) run() {
	t := j.t
	t.Helper()
	j.emailA, j.emailB = "partner-a-"+strings.ToLower(j.textOr("email-a", "a"))+"@example.org", "partner-b-"+strings.ToLower(j.textOr("email-b", "b"))+"@example.org"
	for _, p := range []struct {
		cl                *testutil.Client
		email, name, pass string
	}{{j.A, j.emailA, j.text("display-name-a"), j.passA}, {j.B, j.emailB, j.text("display-name-b"), j.passB}} {
		j.get(p.cl, "/register")
		j.form(p.cl, "/register", http.StatusSeeOther, "email", p.email, "display_name", p.name, "password", p.pass)
		j.get(p.cl, "/dashboard")
		j.secrets = append(j.secrets, p.pass, p.cl.Cookies["mend_session"], p.cl.Cookies["mend_csrf"], p.cl.CSRF)
	}
	j.form(j.A, "/couple", http.StatusSeeOther, "timezone", j.zone, "checkin_weekday", "sunday")
	j.get(j.A, "/couple")
	inv := j.api(j.A, http.MethodPost, "/api/v1/couple/invite", nil, http.StatusCreated)
	j.invite, _ = inv["token"].(string)
	j.secrets = append(j.secrets, j.invite)
	j.get(j.B, "/join/"+j.invite)
	j.form(j.B, "/couple/join", http.StatusSeeOther, "token", j.invite)
	j.get(j.A, "/couple")
	j.form(j.A, "/couple/role", http.StatusSeeOther, "role", "broke_trust")
	j.form(j.B, "/couple/role", http.StatusSeeOther, "role", "hurt")
	j.get(j.A, "/account")
	j.form(j.A, "/account/name", http.StatusSeeOther, "display_name", j.text("display-name-a2"))
	j.api(j.B, http.MethodPatch, "/api/v1/me", map[string]string{"display_name": j.text("display-name-b2")}, http.StatusOK)
	j.runAgreements()
	j.runCheckin()
	j.runPlan()
	j.runPulse()
	j.runRepair()
}

// textOr is text(field) reduced to what an email's local part may hold, or fallback.
func (j *journey) textOr(field, fallback string) string {
	s := j.text(field)
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return fallback
	}
	return b.String()
}

func (j *journey) runAgreements() {
	t := j.t
	j.get(j.A, "/agreements/new")
	r := j.form(j.A, "/agreements", http.StatusSeeOther, "title", j.text("agreement-title-v1"), "body", j.text("agreement-body-v1"),
		"category", "honesty", "review_on", "2027-01-10")
	m := agreementLocation.FindStringSubmatch(r.Header.Get("Location"))
	if m == nil {
		t.Fatalf("no agreement in %q", r.Header.Get("Location"))
	}
	id := m[1]
	j.get(j.B, "/agreements/"+id)
	j.form(j.B, "/agreements/"+id+"/accept", http.StatusSeeOther, "version", "1", "note", j.text("accept-note-b"))
	j.get(j.A, "/agreements/"+id+"/edit")
	j.form(j.A, "/agreements/"+id+"/edit", http.StatusSeeOther, "base_version", "1", "title", j.text("agreement-title-v2"),
		"body", j.text("agreement-body-v2"), "category", "honesty", "review_on", "2027-01-10")
	j.api(j.B, http.MethodPost, "/api/v1/agreements/"+id+"/accept", map[string]any{"version": 2}, http.StatusOK)
	j.form(j.B, "/agreements/"+id+"/withdraw", http.StatusSeeOther, "note", j.text("withdraw-note-b"))
	j.api(j.B, http.MethodPut, "/api/v1/agreements/"+id, map[string]any{"base_version": 2, "title": j.text("agreement-title-v3-b"),
		"body": j.text("agreement-body-v3-b"), "category": "honesty", "review_on": "2027-01-10"}, http.StatusOK)
	j.api(j.A, http.MethodPost, "/api/v1/agreements/"+id+"/accept", map[string]any{"version": 3}, http.StatusOK)
	j.form(j.A, "/agreements/"+id+"/review", http.StatusSeeOther, "next_review_on", "2027-02-10", "note", j.text("review-note"))

	tr := j.api(j.B, http.MethodPost, "/api/v1/agreements", map[string]any{"title": j.text("transparency-title-b"),
		"body": j.text("transparency-body-b"), "category": "transparency", "review_on": "2026-12-20", "ends_on": "2027-01-20"}, http.StatusCreated)
	tid := idOf(tr, "agreement")
	j.api(j.A, http.MethodPost, "/api/v1/agreements/"+tid+"/accept", map[string]any{"version": 1}, http.StatusOK)
	j.api(j.A, http.MethodPost, "/api/v1/agreements/"+tid+"/review", map[string]any{"next_review_on": "2026-12-27", "note": j.text("review-note-api")}, http.StatusOK)
	j.agreements = []string{id, tid}
}

func (j *journey) runCheckin() {
	w := j.week
	j.get(j.A, "/checkins/"+w)
	j.form(j.A, "/checkins/"+w, http.StatusSeeOther, "appreciation", j.text("appreciation-a"), "went_well", j.text("went-well-a"),
		"was_hard", j.text("was-hard-a"), "need", j.text("need-a"), "trust", "4", "connection", "5", "safety", "7",
		"agreement."+j.agreements[0], "kept", "agreement."+j.agreements[1], "partly", "action", "share")
	j.api(j.B, http.MethodPut, "/api/v1/checkins/"+w+"/mine", map[string]any{"appreciation": j.text("appreciation-b"),
		"went_well": j.text("went-well-b"), "was_hard": j.text("was-hard-b"), "need": j.text("need-b"), "trust": 8, "connection": 9,
		"safety": 6, "submit": true, "agreements": []map[string]string{{"agreement_id": j.agreements[0], "kept": "not_sure"}}}, http.StatusOK)
	j.get(j.B, "/checkins/"+w)
	j.form(j.B, "/checkins/"+w+"/reflections", http.StatusSeeOther, "heard", j.text("heard-b"))
	week := j.api(j.A, http.MethodGet, "/api/v1/checkins/"+w, nil, http.StatusOK)
	refls, _ := week["reflections"].([]any)
	if len(refls) != 1 {
		j.t.Fatalf("reflections: %v", week["reflections"])
	}
	rid, _ := refls[0].(map[string]any)["id"].(string)
	j.form(j.A, "/checkins/"+w+"/reflections/"+rid+"/response", http.StatusSeeOther, "accurate", "no", "reply", j.text("clarify-a"))
	// "Not quite" invites another restatement; the validating line follows the one A confirms.
	j.form(j.B, "/checkins/"+w+"/reflections", http.StatusSeeOther, "heard", j.text("heard-again-b"))
	week = j.api(j.A, http.MethodGet, "/api/v1/checkins/"+w, nil, http.StatusOK)
	refls, _ = week["reflections"].([]any)
	ridAgain := ""
	for _, r := range refls {
		if id, _ := r.(map[string]any)["id"].(string); id != rid {
			ridAgain = id
		}
	}
	if len(refls) != 2 || ridAgain == "" {
		j.t.Fatalf("reflections after restating again: %v", week["reflections"])
	}
	j.form(j.A, "/checkins/"+w+"/reflections/"+ridAgain+"/response", http.StatusSeeOther, "accurate", "yes")
	j.form(j.B, "/checkins/"+w+"/reflections/"+ridAgain+"/validation", http.StatusSeeOther, "reply", j.text("validate-b"))
	r2 := j.api(j.A, http.MethodPost, "/api/v1/checkins/"+w+"/reflections", map[string]string{"text": j.text("heard-a")}, http.StatusCreated)
	rid2 := idOf(r2, "reflection")
	j.api(j.B, http.MethodPost, "/api/v1/checkins/"+w+"/reflections/"+rid2+"/response", map[string]any{"accurate": true, "note": j.text("confirm-b")}, http.StatusOK)
	j.api(j.A, http.MethodPost, "/api/v1/checkins/"+w+"/reflections/"+rid2+"/validation", map[string]string{"text": j.text("validate-a")}, http.StatusOK)
	j.reflections = []string{rid, ridAgain, rid2}
	j.form(j.A, "/timeouts", http.StatusSeeOther, "for", "60", "note", j.text("timeout-note"))
}

func (j *journey) runPlan() {
	j.api(j.A, http.MethodPut, "/api/v1/acknowledgment", map[string]any{"what_happened": j.text("ack-what"), "responsibility": j.text("ack-responsibility"),
		"impact": j.text("ack-impact"), "commitments": []string{j.text("ack-commitment-1"), j.text("ack-commitment-2")}, "share": true}, http.StatusOK)
	j.get(j.A, "/acknowledgment")
	j.form(j.A, "/acknowledgment", http.StatusSeeOther, "what_happened", j.text("ack-draft-what"), "responsibility", j.text("ack-draft-responsibility"),
		"impact", j.text("ack-draft-impact"), "commitments", j.text("ack-draft-commitment"), "action", "save")
	j.get(j.B, "/acknowledgment")
	j.form(j.B, "/acknowledgment/response", http.StatusSeeOther, "status", "need_more", "note", j.text("ack-response-note-b"))
	j.get(j.A, "/plan")
	j.form(j.A, "/plan/items", http.StatusSeeOther, "title", j.text("plan-item-title"), "notes", j.text("plan-item-notes"))
	plan := j.api(j.A, http.MethodGet, "/api/v1/plan", nil, http.StatusOK)
	items, _ := plan["items"].([]any)
	for _, it := range items {
		m, _ := it.(map[string]any)
		if title, _ := m["title"].(string); title == j.textNoRecord("plan-item-title") {
			j.planItem, _ = m["id"].(string)
		}
	}
	if j.planItem == "" {
		j.t.Fatalf("the new plan item is not in %v", plan)
	}
	j.form(j.A, "/plan/items/"+j.planItem, http.StatusSeeOther, "field", "did_my_part", "value", "1")
	j.api(j.B, http.MethodPatch, "/api/v1/plan/items/"+j.planItem, map[string]bool{"noticed": true, "done": true}, http.StatusOK)
	j.api(j.B, http.MethodPost, "/api/v1/plan/items", map[string]string{"title": j.text("plan-item-title-b"), "notes": j.text("plan-item-notes-b")}, http.StatusCreated)
	j.form(j.A, "/plan/therapy", http.StatusSeeOther, "form", "decision", "decision", "considering", "revisit_on", "2027-01-20")
	j.get(j.A, "/moments")
	j.form(j.A, "/moments", http.StatusSeeOther, "kind", "kindness", "note", j.text("moment-private-a"), "on", "2026-11-24")
	shared := j.api(j.B, http.MethodPost, "/api/v1/moments", map[string]any{"kind": "routine", "note": j.text("moment-shared-b"),
		"on": "2026-11-23", "shared": true}, http.StatusCreated)
	j.moments = append(j.moments, idOf(shared, "moment"))
	ms := j.api(j.A, http.MethodGet, "/api/v1/moments", nil, http.StatusOK)
	list, _ := ms["moments"].([]any)
	for _, it := range list {
		if id, _ := it.(map[string]any)["id"].(string); id != "" && id != j.moments[0] {
			j.moments = append(j.moments, id)
		}
	}
	j.api(j.A, http.MethodPost, "/api/v1/moments", map[string]any{"kind": "conversation", "note": j.text("moment-shared-a"),
		"on": "2026-11-25", "shared": true}, http.StatusCreated)
}

// runRepair uses the trigger log: A notes a moment through the page and signals it with its words,
// keeps another private, B responds; B notes one through the API and signals it without its words,
// and A responds through the page.
func (j *journey) runRepair() {
	j.get(j.A, "/triggers")
	j.form(j.A, "/triggers", http.StatusSeeOther, "at", "2026-11-24T20:00", "what", j.text("trigger-what-a"), "strength", "7",
		"helped", j.text("trigger-helped-a"))
	j.api(j.A, http.MethodPost, "/api/v1/triggers", map[string]any{"what": j.text("trigger-private-a"), "strength": 4}, http.StatusCreated)
	list := j.api(j.A, http.MethodGet, "/api/v1/triggers", nil, http.StatusOK)
	items, _ := list["triggers"].([]any)
	for _, want := range []string{"trigger-what-a", "trigger-private-a"} {
		for _, it := range items {
			m, _ := it.(map[string]any)
			if what, _ := m["what"].(string); what == j.textNoRecord(want) {
				id, _ := m["id"].(string)
				j.triggers = append(j.triggers, id)
			}
		}
	}
	if len(j.triggers) != 2 {
		j.t.Fatalf("A's triggers: %v", list)
	}
	j.get(j.A, "/triggers/"+j.triggers[0]+"/signal")
	j.form(j.A, "/triggers/"+j.triggers[0]+"/signal", http.StatusSeeOther, "include_text", "1")
	sigs := j.api(j.B, http.MethodGet, "/api/v1/signals", nil, http.StatusOK)
	got, _ := sigs["signals"].([]any)
	if len(got) != 1 {
		j.t.Fatalf("B's signals: %v", sigs)
	}
	sid, _ := got[0].(map[string]any)["id"].(string)
	j.api(j.B, http.MethodPost, "/api/v1/signals/"+sid+"/response", map[string]string{"kind": "reassure", "text": j.text("signal-response-b")}, http.StatusCreated)
	tb := j.api(j.B, http.MethodPost, "/api/v1/triggers", map[string]any{"what": j.text("trigger-what-b"), "strength": 5,
		"helped": j.text("trigger-helped-b")}, http.StatusCreated)
	j.api(j.B, http.MethodPost, "/api/v1/triggers/"+idOf(tb, "trigger")+"/signal", map[string]bool{"include_text": false}, http.StatusOK)
	r := j.get(j.A, "/triggers")
	m := regexp.MustCompile(`action="/signals/([A-Za-z0-9_-]+)/response"`).FindStringSubmatch(r.Body)
	if m == nil {
		j.t.Fatalf("A's trigger page offers no response to B's signal")
	}
	j.signals = []string{sid, m[1]}
	j.form(j.A, "/signals/"+m[1]+"/response", http.StatusSeeOther, "kind", "acknowledge", "text", j.text("signal-response-a"))
	j.runQuestions()
}

// runQuestions uses the questions: A asks one through the page and writes one down to wait for the
// check-in; B answers and corrects the answer, A follows up; B asks one, A answers it through the page;
// B pauses the questions with a note and ends the pause.
func (j *journey) runQuestions() {
	j.get(j.A, "/questions")
	r := j.form(j.A, "/questions", http.StatusSeeOther, "text", j.text("question-a"), "wait", "now")
	m := regexp.MustCompile(`q=([A-Za-z0-9_-]+)`).FindStringSubmatch(r.Header.Get("Location"))
	if m == nil {
		j.t.Fatalf("no question in %q", r.Header.Get("Location"))
	}
	qa := m[1]
	j.form(j.A, "/questions", http.StatusSeeOther, "text", j.text("question-waiting-a"), "wait", "checkin")
	j.api(j.B, http.MethodPost, "/api/v1/questions/"+qa+"/answer", map[string]string{"text": j.text("answer-b")}, http.StatusCreated)
	j.api(j.B, http.MethodPost, "/api/v1/questions/"+qa+"/answer", map[string]string{"text": j.text("answer-correction-b")}, http.StatusCreated)
	j.form(j.A, "/questions/"+qa+"/follow-up", http.StatusSeeOther, "text", j.text("follow-up-a"))
	qb := idOf(j.api(j.B, http.MethodPost, "/api/v1/questions", map[string]string{"text": j.text("question-b")}, http.StatusCreated), "question")
	j.get(j.A, "/questions")
	j.form(j.A, "/questions/"+qb+"/answer", http.StatusSeeOther, "text", j.text("answer-a"))
	j.api(j.B, http.MethodPost, "/api/v1/questions/"+qb+"/follow-up", map[string]string{"text": j.text("follow-up-b")}, http.StatusCreated)
	j.api(j.B, http.MethodPost, "/api/v1/questions/pause", map[string]string{"until": "2026-11-26T12:00:00Z", "note": j.text("question-pause-note-b")}, http.StatusCreated)
	j.get(j.A, "/questions")
	j.api(j.B, http.MethodPost, "/api/v1/questions/pause/end", nil, http.StatusNoContent)
	j.questions = []string{qa, qb}
}

// textNoRecord is text(field) without adding field to the list of fields asked for again.
func (j *journey) textNoRecord(field string) string {
	n := len(j.fields)
	s := j.text(field)
	j.fields = j.fields[:n]
	return s
}

// finish exports both partners' data, resets A's password with a reset link, changes B's password,
// and ends the couple (A leaves).
func (j *journey) finish() {
	j.get(j.A, "/account/export")
	j.api(j.B, http.MethodGet, "/api/v1/me/export", nil, http.StatusOK)
	tok, err := j.app.Server.Accounts().CreateResetToken(context.Background(), j.emailA)
	if err != nil {
		j.t.Fatalf("reset token: %v", err)
	}
	j.reset = tok
	j.secrets = append(j.secrets, tok, j.passReset, j.passNew)
	j.get(j.A, "/reset/"+tok)
	j.form(j.A, "/reset/"+tok, http.StatusSeeOther, "new_password", j.passReset)
	j.get(j.A, "/login")
	j.form(j.A, "/login", http.StatusSeeOther, "email", j.emailA, "password", j.passReset)
	j.get(j.A, "/dashboard")
	j.get(j.B, "/account")
	j.form(j.B, "/account/password", http.StatusSeeOther, "current_password", j.passB, "new_password", j.passNew)
	j.secrets = append(j.secrets, j.A.Cookies["mend_session"], j.A.CSRF, j.B.CSRF)
	j.get(j.A, "/couple")
	j.form(j.A, "/couple/leave", http.StatusSeeOther, "confirm", "yes")
}

// erase deletes both accounts: B through the page form, then A through the API.
func (j *journey) erase() {
	j.get(j.B, "/account/delete")
	j.form(j.B, "/account/delete", http.StatusOK, "confirm", "yes", "password", j.passNew)
	j.api(j.A, http.MethodDelete, "/api/v1/me", nil, http.StatusNoContent)
}
