package server_test

import (
	"net/http"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// TestRepairArchiveKeepsOnlyOwnWriting: after the couple ends, each former partner's /archive holds
// their own trigger entries, questions, answers and follow-ups, and nothing the other wrote.
func TestRepairArchiveKeepsOnlyOwnWriting(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("rparch")
	trLog(t, cp.A, "RPARCH A's entry")
	trLog(t, cp.B, "RPARCH B's entry")
	q := qAsk(t, cp.A, "RPARCH A's question", "")
	qDecode(t, cp.B.JSON(http.MethodPost, "/api/v1/questions/"+q.ID+"/answer", map[string]string{"text": "RPARCH B's answer"}), http.StatusCreated, "answer")
	qDecode(t, cp.A.JSON(http.MethodPost, "/api/v1/questions/"+q.ID+"/follow-up", map[string]string{"text": "RPARCH A's follow-up"}), http.StatusCreated, "follow-up")
	reauth(t, cp.A)
	planWantStatus(t, cp.A.JSON(http.MethodPost, "/api/v1/couple/leave", nil), http.StatusNoContent, "leave")
	a, b := cp.A.Get("/archive"), cp.B.Get("/archive")
	planWantStatus(t, a, http.StatusOK, "A's archive")
	planWantStatus(t, b, http.StatusOK, "B's archive")
	mustContain(t, "A's archive", a.Body, "Your trigger log", "RPARCH A&#39;s entry", "RPARCH A&#39;s question", "RPARCH A&#39;s follow-up")
	mustNotContain(t, "A's archive", a.Body, "RPARCH B&#39;s entry", "RPARCH B&#39;s answer")
	mustContain(t, "B's archive", b.Body, "RPARCH B&#39;s entry", "RPARCH B&#39;s answer")
	mustNotContain(t, "B's archive", b.Body, "RPARCH A&#39;s entry", "RPARCH A&#39;s question", "RPARCH A&#39;s follow-up")
}
