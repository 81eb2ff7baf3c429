package server_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

// qQuestion is a question as the API returns it.
type qQuestion struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	AskedBy   string `json:"asked_by"`
	Waiting   bool   `json:"waiting"`
	WaitUntil *struct {
		Kind string `json:"kind"`
		On   string `json:"on"`
	} `json:"wait_until"`
	Answer   *qVersion  `json:"answer"`
	Versions []qVersion `json:"versions"`
	FollowUp []struct {
		Text string `json:"text"`
		By   string `json:"by"`
	} `json:"follow_ups"`
	Similar []struct {
		ID      string `json:"id"`
		AskedAt string `json:"asked_at"`
	} `json:"similar"`
}

type qVersion struct {
	Version int    `json:"version"`
	Text    string `json:"text"`
	By      string `json:"by"`
	At      string `json:"at"`
}

func qDecode(t *testing.T, r *testutil.Response, want int, what string) qQuestion {
	t.Helper()
	planWantStatus(t, r, want, what)
	var out struct {
		Question qQuestion `json:"question"`
	}
	r.JSON(t, &out)
	return out.Question
}

func qAsk(t *testing.T, cl *testutil.Client, text, wait string) qQuestion {
	t.Helper()
	return qDecode(t, cl.JSON(http.MethodPost, "/api/v1/questions", map[string]string{"text": text, "wait_until": wait}), http.StatusCreated, "ask")
}

func qList(t *testing.T, cl *testutil.Client) ([]qQuestion, map[string]any) {
	t.Helper()
	r := cl.JSON(http.MethodGet, "/api/v1/questions", nil)
	planWantStatus(t, r, http.StatusOK, "GET /questions")
	var out struct {
		Questions []qQuestion    `json:"questions"`
		Pause     map[string]any `json:"pause"`
	}
	r.JSON(t, &out)
	return out.Questions, out.Pause
}

// TestQuestionsThroughTheAPI: asked, answered, corrected as a new version with every version kept,
// followed up by both; the asker cannot answer, another couple cannot reach it.
func TestQuestionsThroughTheAPI(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("qapi")
	bID := planUserID(t, cp.B)
	q := qAsk(t, cp.A, "When did it end?", "")
	if q.Answer != nil || len(q.Versions) != 0 || q.Waiting || q.WaitUntil != nil {
		t.Fatalf("asked %+v", q)
	}
	ciWantError(t, cp.A.JSON(http.MethodPost, "/api/v1/questions/"+q.ID+"/answer", map[string]string{"text": "x"}), http.StatusForbidden, "")
	ciWantError(t, cp.B.JSON(http.MethodPost, "/api/v1/questions/"+q.ID+"/answer", map[string]string{"text": " "}), http.StatusUnprocessableEntity, "text")
	got := qDecode(t, cp.B.JSON(http.MethodPost, "/api/v1/questions/"+q.ID+"/answer", map[string]string{"text": "In June."}), http.StatusCreated, "answer")
	if got.Answer == nil || got.Answer.Version != 1 || got.Answer.By != bID {
		t.Fatalf("answered %+v", got)
	}
	app.Clock.Advance(time.Hour)
	got = qDecode(t, cp.B.JSON(http.MethodPost, "/api/v1/questions/"+q.ID+"/answer", map[string]string{"text": "In August, not June."}), http.StatusCreated, "correct")
	if len(got.Versions) != 2 || got.Versions[0].Text != "In June." || got.Versions[1].Text != "In August, not June." ||
		got.Answer.Version != 2 || got.Versions[0].At == got.Versions[1].At {
		t.Fatalf("corrected %+v", got)
	}
	list, _ := qList(t, cp.A)
	if len(list) != 1 || len(list[0].Versions) != 2 {
		t.Fatalf("A's list %+v", list)
	}
	for _, cl := range []*testutil.Client{cp.A, cp.B} {
		qDecode(t, cl.JSON(http.MethodPost, "/api/v1/questions/"+q.ID+"/follow-up", map[string]string{"text": "And then?"}), http.StatusCreated, "follow-up")
	}
	if list, _ := qList(t, cp.B); len(list[0].FollowUp) != 2 {
		t.Fatalf("follow-ups %+v", list[0].FollowUp)
	}
	other := app.NewCouple("qapiother")
	if list, _ := qList(t, other.A); len(list) != 0 {
		t.Fatalf("another couple lists %+v", list)
	}
}

// TestQuestionsWaitAndLinkEarlierAnswers: a question waiting for the next check-in is not the partner's
// to see until then; a similar question links the earlier answer and is asked all the same.
func TestQuestionsWaitAndLinkEarlierAnswers(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("qwait")
	w := qAsk(t, cp.A, "QWAIT is she still in touch?", "next_checkin")
	if !w.Waiting || w.WaitUntil == nil || w.WaitUntil.Kind != "next_checkin" || w.WaitUntil.On != "2026-11-29" {
		t.Fatalf("waiting %+v", w)
	}
	r := cp.B.JSON(http.MethodGet, "/api/v1/questions", nil)
	mustNotContain(t, "B's questions", r.Body, "QWAIT", w.ID)
	ciWantError(t, cp.B.JSON(http.MethodPost, "/api/v1/questions/"+w.ID+"/answer", map[string]string{"text": "x"}), http.StatusNotFound, "")
	ciWantError(t, cp.A.JSON(http.MethodPost, "/api/v1/questions", map[string]string{"text": "x", "wait_until": "someday"}), http.StatusUnprocessableEntity, "wait_until")

	first := qAsk(t, cp.A, "Why did you keep messaging her after you promised to stop?", "")
	qDecode(t, cp.B.JSON(http.MethodPost, "/api/v1/questions/"+first.ID+"/answer", map[string]string{"text": "I was scared."}), http.StatusCreated, "answer")
	app.Clock.Advance(time.Minute)
	again := qAsk(t, cp.A, "Why did you keep messaging her after promising?", "")
	if len(again.Similar) != 1 || again.Similar[0].ID != first.ID {
		t.Fatalf("similar %+v", again.Similar)
	}
}

// TestQuestionPauseThroughTheAPI: either may pause; while paused nothing is answered; only the one who
// paused ends it early.
func TestQuestionPauseThroughTheAPI(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("qpause")
	q := qAsk(t, cp.A, "When?", "")
	until := app.Clock.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	ciWantError(t, cp.B.JSON(http.MethodPost, "/api/v1/questions/pause", map[string]string{"until": "soon"}), http.StatusUnprocessableEntity, "until")
	r := cp.B.JSON(http.MethodPost, "/api/v1/questions/pause", map[string]string{"until": until, "note": "Two evenings off."})
	planWantStatus(t, r, http.StatusCreated, "pause")
	if _, p := qList(t, cp.A); p == nil || p["mine"] != false || p["note"] != "Two evenings off." {
		t.Fatalf("A sees the pause as %v", p)
	}
	ciWantError(t, cp.B.JSON(http.MethodPost, "/api/v1/questions/"+q.ID+"/answer", map[string]string{"text": "x"}), http.StatusConflict, "")
	ciWantError(t, cp.A.JSON(http.MethodPost, "/api/v1/questions/pause/end", nil), http.StatusForbidden, "")
	planWantStatus(t, cp.B.JSON(http.MethodPost, "/api/v1/questions/pause/end", nil), http.StatusNoContent, "end")
	ciWantError(t, cp.B.JSON(http.MethodPost, "/api/v1/questions/pause/end", nil), http.StatusNotFound, "")
	qDecode(t, cp.B.JSON(http.MethodPost, "/api/v1/questions/"+q.ID+"/answer", map[string]string{"text": "Now."}), http.StatusCreated, "answer after")
}

// TestQuestionExport: the asker's export holds the questions they asked, with the answers; the other's
// holds the questions they can see and what they wrote, never one still waiting.
func TestQuestionExport(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("qexp")
	q := qAsk(t, cp.A, "QEXP asked", "")
	qAsk(t, cp.A, "QEXP waiting", "next_checkin")
	qDecode(t, cp.B.JSON(http.MethodPost, "/api/v1/questions/"+q.ID+"/answer", map[string]string{"text": "QEXP answer"}), http.StatusCreated, "answer")
	reauth(t, cp.A)
	reauth(t, cp.B)
	var ea, eb struct {
		Questions struct {
			Asked          []qQuestion `json:"asked"`
			Received       []qQuestion `json:"received"`
			AnswersWritten []qVersion  `json:"answers_written"`
		} `json:"questions"`
	}
	a, b := cp.A.JSON(http.MethodGet, "/api/v1/me/export", nil), cp.B.JSON(http.MethodGet, "/api/v1/me/export", nil)
	planWantStatus(t, a, http.StatusOK, "A's export")
	planWantStatus(t, b, http.StatusOK, "B's export")
	a.JSON(t, &ea)
	b.JSON(t, &eb)
	if len(ea.Questions.Asked) != 2 || len(ea.Questions.Received) != 0 {
		t.Fatalf("A's export %+v", ea.Questions)
	}
	if len(eb.Questions.Received) != 1 || len(eb.Questions.AnswersWritten) != 1 || len(eb.Questions.Asked) != 0 {
		t.Fatalf("B's export %+v", eb.Questions)
	}
	mustNotContain(t, "B's export", b.Body, "QEXP waiting")
}
