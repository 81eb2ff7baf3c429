package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

type planAckAPI struct {
	Acknowledgment *struct {
		Version       int      `json:"version"`
		Shared        bool     `json:"shared"`
		SharedVersion *int     `json:"shared_version"`
		WhatHappened  string   `json:"what_happened"`
		Commitments   []string `json:"commitments"`
		Versions      []any    `json:"versions"`
		Response      *struct {
			Status string `json:"status"`
			Note   string `json:"note"`
		} `json:"response"`
	} `json:"acknowledgment"`
	Partner *struct {
		WhatHappened string `json:"what_happened"`
		Version      int    `json:"version"`
		Author       string `json:"author_display_name"`
	} `json:"partner_acknowledgment"`
	Hints []struct {
		Field  string `json:"field"`
		Phrase string `json:"phrase"`
	} `json:"hints"`
}

func planGetAck(t *testing.T, cl *testutil.Client) planAckAPI {
	t.Helper()
	r := cl.JSON(http.MethodGet, "/api/v1/acknowledgment", nil)
	planWantStatus(t, r, http.StatusOK, "GET /acknowledgment")
	var got planAckAPI
	r.JSON(t, &got)
	return got
}

func TestAcknowledgmentAPI(t *testing.T) {
	t.Parallel()
	ps := newPlanSetup(t, "ackapi")
	a, b := ps.cp.A, ps.cp.B
	r := a.JSON(http.MethodPut, "/api/v1/acknowledgment", map[string]any{"what_happened": "DRAFTCANARY but you were away", "share": false})
	planWantStatus(t, r, http.StatusOK, "PUT draft")
	var got planAckAPI
	r.JSON(t, &got)
	if got.Acknowledgment == nil || got.Acknowledgment.Version != 1 || got.Acknowledgment.Shared || len(got.Hints) != 1 || got.Hints[0].Phrase != "but you" {
		t.Fatalf("after a draft: %s", r.Body)
	}
	if r := b.JSON(http.MethodGet, "/api/v1/acknowledgment", nil); strings.Contains(r.Body, "DRAFTCANARY") || !strings.Contains(r.Body, `"partner_acknowledgment":null`) {
		t.Errorf("B sees A's draft: %s", r.Body)
	}
	planWantStatus(t, b.JSON(http.MethodPost, "/api/v1/acknowledgment/response", map[string]string{"status": "read"}), http.StatusNotFound, "respond to nothing")
	r = a.JSON(http.MethodPut, "/api/v1/acknowledgment", map[string]any{"what_happened": "x", "share": true})
	planWantStatus(t, r, http.StatusUnprocessableEntity, "share an incomplete one")
	for _, f := range []string{"responsibility", "impact", "commitments"} {
		if !strings.Contains(r.Body, `"`+f+`"`) {
			t.Errorf("422 lacks field %s: %s", f, r.Body)
		}
	}
	r = a.JSON(http.MethodPut, "/api/v1/acknowledgment", planFullAck)
	planWantStatus(t, r, http.StatusOK, "share")
	r.JSON(t, &got)
	if !got.Acknowledgment.Shared || *got.Acknowledgment.SharedVersion != 2 || len(got.Hints) != 0 || len(got.Acknowledgment.Versions) != 2 {
		t.Errorf("after sharing: %s", r.Body)
	}
	bs := planGetAck(t, b)
	if bs.Partner == nil || bs.Partner.Version != 2 || bs.Partner.Author != "ackapi A" || bs.Acknowledgment != nil {
		t.Fatalf("B sees %+v", bs)
	}
	r = b.JSON(http.MethodPost, "/api/v1/acknowledgment/response", map[string]string{"status": "forgiven"})
	planWantStatus(t, r, http.StatusUnprocessableEntity, "unknown status")
	r = b.JSON(http.MethodPost, "/api/v1/acknowledgment/response", map[string]string{"status": "need_more", "note": "What about June?"})
	planWantStatus(t, r, http.StatusOK, "respond")
	if !strings.Contains(r.Body, `"response":{"status":"need_more"`) {
		t.Errorf("response body: %s", r.Body)
	}
	if as := planGetAck(t, a); as.Acknowledgment.Response == nil || as.Acknowledgment.Response.Note != "What about June?" {
		t.Errorf("A sees response %+v", as.Acknowledgment.Response)
	}
	for _, bad := range []string{`[1]`, `{"commitments": "one"}`, `{"share": "yes"}`, `{"what_happened": 5}`} {
		if r := a.JSON(http.MethodPut, "/api/v1/acknowledgment", bad); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("PUT %s: %d %s, want 422", bad, r.Status, r.Body)
		}
	}
}

func TestPlanAPI(t *testing.T) {
	t.Parallel()
	ps := newPlanSetup(t, "planapi")
	a, b := ps.cp.A, ps.cp.B
	r := a.JSON(http.MethodGet, "/api/v1/plan", nil)
	planWantStatus(t, r, http.StatusOK, "GET /plan")
	var pl struct {
		Items []struct {
			ID       string `json:"id"`
			Kind     string `json:"kind"`
			Done     bool   `json:"done"`
			Evidence *struct {
				Met bool `json:"met"`
			} `json:"evidence"`
			Mine    map[string]bool `json:"mine"`
			Partner map[string]bool `json:"partner"`
			History []struct {
				What string `json:"what"`
				By   string `json:"by"`
			} `json:"history"`
		} `json:"items"`
		Progress struct{ Done, Total int } `json:"progress"`
		Prompt   struct {
			Show    bool     `json:"show"`
			Reasons []string `json:"reasons"`
		} `json:"therapy_prompt"`
	}
	r.JSON(t, &pl)
	if len(pl.Items) != 5 || pl.Progress.Total != 5 || pl.Items[0].ID != "acknowledge" || pl.Items[4].ID != "therapy" || pl.Prompt.Show {
		t.Fatalf("a new plan: %s", r.Body)
	}
	for _, it := range pl.Items {
		if it.Kind != "article" || it.Evidence == nil || it.Evidence.Met || it.Partner == nil {
			t.Errorf("item %+v", it)
		}
	}
	r = b.JSON(http.MethodPost, "/api/v1/plan/items", map[string]string{"title": "Cook together on Fridays", "notes": "no phones"})
	planWantStatus(t, r, http.StatusCreated, "POST item")
	var created struct {
		Item struct {
			ID          string `json:"id"`
			Kind        string `json:"kind"`
			CreatedByMe bool   `json:"created_by_me"`
		} `json:"item"`
	}
	r.JSON(t, &created)
	if created.Item.Kind != "custom" || !created.Item.CreatedByMe || created.Item.ID == "" {
		t.Errorf("created %s", r.Body)
	}
	planWantStatus(t, b.JSON(http.MethodPost, "/api/v1/plan/items", map[string]string{"title": ""}), http.StatusUnprocessableEntity, "empty title")
	r = a.JSON(http.MethodPatch, "/api/v1/plan/items/"+created.Item.ID, map[string]bool{"did_my_part": true, "done": true})
	planWantStatus(t, r, http.StatusOK, "PATCH item")
	r = b.JSON(http.MethodPatch, "/api/v1/plan/items/"+created.Item.ID, map[string]bool{"noticed": true})
	planWantStatus(t, r, http.StatusOK, "PATCH item as B")
	// A's "done" is A's own mark: the item is done once B marks it too.
	if !strings.Contains(r.Body, `"mine":{"did_my_part":false,"noticed":true,"done":false}`) ||
		!strings.Contains(r.Body, `"partner":{"did_my_part":true,"noticed":false,"done":true}`) ||
		!strings.Contains(r.Body, `"done":false,"done_at":null`) || strings.Count(r.Body, `"by":"partner"`) != 2 || strings.Count(r.Body, `"by":"me"`) != 1 {
		t.Errorf("B's view of the item A marked done: %s", r.Body)
	}
	if r := b.JSON(http.MethodGet, "/api/v1/plan", nil); !strings.Contains(r.Body, `"progress":{"done":0,"total":6}`) {
		t.Errorf("one partner's mark counts as done: %s", r.Body)
	}
	r = b.JSON(http.MethodPatch, "/api/v1/plan/items/"+created.Item.ID, map[string]bool{"done": true})
	planWantStatus(t, r, http.StatusOK, "B confirms")
	if !strings.Contains(r.Body, `"mine":{"did_my_part":false,"noticed":true,"done":true}`) || !strings.Contains(r.Body, `"done":true,"done_at":"2026-11-25T12:00:00Z"`) {
		t.Errorf("B's view after both marked it done: %s", r.Body)
	}
	planWantStatus(t, a.JSON(http.MethodPatch, "/api/v1/plan/items/therapy", map[string]any{"done": "yes"}), http.StatusUnprocessableEntity, "wrong type")
	planWantStatus(t, a.JSON(http.MethodPatch, "/api/v1/plan/items/therapy", map[string]any{}), http.StatusUnprocessableEntity, "nothing to change")
	planWantStatus(t, a.JSON(http.MethodPatch, "/api/v1/plan/items/nothing-here", map[string]any{"done": true}), http.StatusNotFound, "unknown item")
	r = a.JSON(http.MethodPost, "/api/v1/plan/therapy", map[string]string{"decision": "considering", "revisit_on": "2027-01-15"})
	planWantStatus(t, r, http.StatusOK, "therapy decision")
	if !strings.Contains(r.Body, `"therapy":{"decision":"considering","revisit_on":"2027-01-15"`) {
		t.Errorf("therapy: %s", r.Body)
	}
	planWantStatus(t, a.JSON(http.MethodPost, "/api/v1/plan/therapy", map[string]string{"decision": "someday"}), http.StatusUnprocessableEntity, "bad decision")
	r = b.JSON(http.MethodGet, "/api/v1/plan", nil)
	if !strings.Contains(r.Body, `"progress":{"done":1,"total":6}`) || !strings.Contains(r.Body, `"id":"therapy","title"`) {
		t.Errorf("B's plan: %s", r.Body)
	}
	solo := ps.app.Client()
	solo.RegisterAPI("planapi-solo@example.org", "Solo")
	for _, p := range []string{"/api/v1/plan", "/api/v1/acknowledgment", "/api/v1/moments", "/api/v1/progress"} {
		planWantStatus(t, solo.JSON(http.MethodGet, p, nil), http.StatusNotFound, "without a couple "+p)
	}
}

func TestMomentsAPI(t *testing.T) {
	t.Parallel()
	ps := newPlanSetup(t, "momapi")
	a, b := ps.cp.A, ps.cp.B
	r := a.JSON(http.MethodPost, "/api/v1/moments", map[string]any{"kind": "kindness", "note": "MOMENTCANARY", "on": "2026-11-24"})
	planWantStatus(t, r, http.StatusCreated, "private moment")
	var priv struct {
		Moment struct {
			ID     string `json:"id"`
			Shared bool   `json:"shared"`
			Mine   bool   `json:"mine"`
		} `json:"moment"`
	}
	r.JSON(t, &priv)
	r = a.JSON(http.MethodPost, "/api/v1/moments", map[string]any{"kind": "routine", "note": "evening walk", "shared": true})
	planWantStatus(t, r, http.StatusCreated, "shared moment")
	var shared = priv
	r.JSON(t, &shared)
	if priv.Moment.Shared || !priv.Moment.Mine || !shared.Moment.Shared {
		t.Errorf("moments: %+v %+v", priv, shared)
	}
	r = b.JSON(http.MethodGet, "/api/v1/moments", nil)
	if strings.Contains(r.Body, "MOMENTCANARY") || strings.Contains(r.Body, priv.Moment.ID) || !strings.Contains(r.Body, "evening walk") || !strings.Contains(r.Body, `"mine":false`) {
		t.Errorf("B's moments: %s", r.Body)
	}
	planWantStatus(t, b.JSON(http.MethodDelete, "/api/v1/moments/"+priv.Moment.ID, nil), http.StatusNotFound, "B deletes A's private moment")
	planWantStatus(t, b.JSON(http.MethodDelete, "/api/v1/moments/"+shared.Moment.ID, nil), http.StatusForbidden, "B deletes A's shared moment")
	planWantStatus(t, a.JSON(http.MethodDelete, "/api/v1/moments/"+shared.Moment.ID, nil), http.StatusNoContent, "A deletes")
	if r := a.JSON(http.MethodGet, "/api/v1/moments", nil); strings.Contains(r.Body, shared.Moment.ID) || !strings.Contains(r.Body, priv.Moment.ID) {
		t.Errorf("A's moments after delete: %s", r.Body)
	}
	for _, bad := range []map[string]any{{"kind": "date night"}, {"kind": "other", "on": "2026-12-01"}, {"kind": "other", "on": "yesterday"}, {"kind": "other", "shared": "yes"}} {
		if r := a.JSON(http.MethodPost, "/api/v1/moments", bad); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("POST %v: %d %s", bad, r.Status, r.Body)
		}
	}
}
