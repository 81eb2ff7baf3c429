package plan_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/plan"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/internal/vault"
)

// sealedCols are the plan's sealed columns, as table and column.
var sealedCols = [][2]string{
	{"acknowledgment_versions", "what_happened"}, {"acknowledgment_versions", "responsibility"},
	{"acknowledgment_versions", "impact"}, {"acknowledgment_versions", "commitments"},
	{"acknowledgment_responses", "note"}, {"moments", "note"}, {"plan_items", "title"}, {"plan_items", "notes"},
}

// TestTextsAreSealedAtRest checks that the acknowledgment, its responses, moments and the couple's own
// plan items are stored sealed (internal/vault) on both engines, and read back as written on every
// path that shows them: the pages' service calls, the export and the archive.
func TestTextsAreSealedAtRest(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			f := newFixtureOn(t, engine)
			ctx := context.Background()
			const c = "canary-9d1e"
			draft := plan.AckText{WhatHappened: c + " draft", Commitments: []string{c + " first"}}
			must[*plan.AckPage](t)(f.svc.SaveAcknowledgment(ctx, f.a, draft, false))
			text := plan.AckText{WhatHappened: c + " what", Responsibility: c + " mine", Impact: c + " impact, but you",
				Commitments: []string{c + " one", c + " two"}}
			page := must[*plan.AckPage](t)(f.svc.SaveAcknowledgment(ctx, f.a, text, true))
			if page.Mine == nil || page.Mine.Version != 2 || page.Mine.Text.Impact != text.Impact || len(page.Hints) == 0 {
				t.Fatalf("saved: %+v", page.Mine)
			}
			// The same text again is no new version: the stored one is compared opened.
			page = must[*plan.AckPage](t)(f.svc.SaveAcknowledgment(ctx, f.a, text, true))
			if page.Mine.Version != 2 || len(page.Mine.Versions) != 2 || page.Mine.Versions[0].WhatHappened != c+" draft" {
				t.Fatalf("saved again: %+v", page.Mine)
			}
			must[*plan.AckResponse](t)(f.svc.Respond(ctx, f.b, plan.ResponseNeedMore, c+" response"))
			must[*plan.Moment](t)(f.svc.AddMoment(ctx, f.b, plan.MomentInput{Kind: "kindness", Note: c + " moment", Shared: true}))
			added := must[*plan.ItemView](t)(f.svc.AddItem(ctx, f.a, plan.ItemInput{Title: c + " title", Notes: c + " notes"}))
			if added.Title != c+" title" || added.Notes != c+" notes" {
				t.Fatalf("added item: %+v", added)
			}
			for _, col := range sealedCols {
				testutil.RequireSealed(t, f.db, col[0], col[1], c)
			}

			mine := must[*plan.AckPage](t)(f.svc.Acknowledgment(ctx, f.a))
			if mine.Mine.Text.Responsibility != text.Responsibility || mine.Mine.Shared == nil || mine.Mine.Shared.Commitments != c+" one\n"+c+" two" ||
				mine.Mine.Response == nil || mine.Mine.Response.Note != c+" response" || len(mine.Hints) == 0 {
				t.Fatalf("author's page: %+v", mine.Mine)
			}
			theirs := must[*plan.AckPage](t)(f.svc.Acknowledgment(ctx, f.b))
			if theirs.Partner == nil || theirs.Partner.Text.WhatHappened != text.WhatHappened || theirs.Partner.MyResponse.Note != c+" response" {
				t.Fatalf("partner's page: %+v", theirs.Partner)
			}
			if ms := must[[]plan.Moment](t)(f.svc.Moments(ctx, f.a)); len(ms) != 1 || ms[0].Note != c+" moment" {
				t.Fatalf("moments: %+v", ms)
			}
			if it := item(t, must[*plan.PlanView](t)(f.svc.Plan(ctx, f.b)), added.ID); it.Title != c+" title" || it.Notes != c+" notes" {
				t.Fatalf("plan item: %+v", it)
			}
			if d := must[*plan.DashboardView](t)(f.svc.Dashboard(ctx, f.a)); d.Next != nil && d.Next.ID == added.ID && d.Next.Title != c+" title" {
				t.Fatalf("dashboard: %+v", d.Next)
			}

			acks := must[[]plan.AuthoredAck](t)(f.svc.AuthoredAcks(ctx, f.a.Me.UserID))
			if len(acks) != 1 || len(acks[0].Versions) != 2 || acks[0].Versions[1].Impact != text.Impact || acks[0].Responses[0].Note != c+" response" {
				t.Fatalf("export of acknowledgments: %+v", acks)
			}
			if rs := must[[]plan.AckResponse](t)(f.svc.ResponsesBy(ctx, f.b.Me.UserID)); len(rs) != 1 || rs[0].Note != c+" response" {
				t.Fatalf("export of responses: %+v", rs)
			}
			if ms := must[[]plan.Moment](t)(f.svc.AuthoredMoments(ctx, f.b.Me.UserID)); len(ms) != 1 || ms[0].Note != c+" moment" {
				t.Fatalf("export of moments: %+v", ms)
			}
			if its := must[[]plan.Item](t)(f.svc.AuthoredItems(ctx, f.a.Me.UserID)); len(its) != 1 || its[0].Title != c+" title" || its[0].Notes != c+" notes" {
				t.Fatalf("export of items: %+v", its)
			}
			ar := must[*plan.Archive](t)(f.svc.ArchiveOf(ctx, f.a.Me.UserID, f.a.Couple.ID))
			if ar.Acknowledgment == nil || ar.Acknowledgment.WhatHappened != text.WhatHappened || len(ar.Items) != 1 || ar.Items[0].Notes != c+" notes" {
				t.Fatalf("archive of A: %+v", ar)
			}
			if ar := must[*plan.Archive](t)(f.svc.ArchiveOf(ctx, f.b.Me.UserID, f.b.Couple.ID)); len(ar.Moments) != 1 || ar.Moments[0].Note != c+" moment" {
				t.Fatalf("archive of B: %+v", ar)
			}
		})
	}
}

// TestTextsAreSealedWithTheirWritersKey: everything here goes with its writer when they delete their
// account (the rows cascade with them), so each text is under its writer's own key. With A's key gone,
// A's acknowledgment and item no longer open, while B's response and moment still do.
func TestTextsAreSealedWithTheirWritersKey(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	const c = "canary-5b2c"
	text := plan.AckText{WhatHappened: c + " what", Responsibility: c + " mine", Impact: c + " impact", Commitments: []string{c + " one"}}
	must[*plan.AckPage](t)(f.svc.SaveAcknowledgment(ctx, f.a, text, true))
	must[*plan.AckResponse](t)(f.svc.Respond(ctx, f.b, plan.ResponseRead, c+" response"))
	must[*plan.Moment](t)(f.svc.AddMoment(ctx, f.b, plan.MomentInput{Kind: "kindness", Note: c + " moment", Shared: true}))
	must[*plan.ItemView](t)(f.svc.AddItem(ctx, f.a, plan.ItemInput{Title: c + " title", Notes: c + " notes"}))
	v := vault.From(f.db)
	if err := v.Shred(ctx, vault.Person(f.a.Me.UserID)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Acknowledgment(ctx, f.a); !errors.Is(err, vault.ErrShredded) {
		t.Errorf("A's acknowledgment after A's key went: %v; want ErrShredded", err)
	}
	if _, err := f.svc.AuthoredItems(ctx, f.a.Me.UserID); !errors.Is(err, vault.ErrShredded) {
		t.Errorf("A's item after A's key went: %v; want ErrShredded", err)
	}
	if rs, err := f.svc.ResponsesBy(ctx, f.b.Me.UserID); err != nil || len(rs) != 1 || rs[0].Note != c+" response" {
		t.Errorf("B's response: %+v, %v", rs, err)
	}
	if ms, err := f.svc.Moments(ctx, f.b); err != nil || len(ms) != 1 || ms[0].Note != c+" moment" {
		t.Errorf("B's moment: %+v, %v", ms, err)
	}
}

// TestEncryptExistingSealsOldTexts: rows written before encryption read as they are, and mend keys
// encrypt-existing (with plan.Columns) seals them in place, after which they read the same.
func TestEncryptExistingSealsOldTexts(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			f := newFixtureOn(t, engine)
			ctx := context.Background()
			a, b, cp := f.a.Me.UserID, f.b.Me.UserID, f.a.Couple.ID
			for _, q := range []struct {
				sql  string
				args []any
			}{
				{"INSERT INTO acknowledgments (id, couple_id, author_id, created_at) VALUES ('k1', ?, ?, ?)", []any{cp, a, start}},
				{"INSERT INTO acknowledgment_versions (acknowledgment_id, number, what_happened, responsibility, impact, commitments, created_at, shared_at) VALUES ('k1', 1, 'plain what', 'plain mine', 'plain impact', 'plain one\nplain two', ?, ?)", []any{start, start}},
				{"INSERT INTO acknowledgment_responses (id, acknowledgment_id, version, responder_id, status, note, created_at) VALUES ('r1', 'k1', 1, ?, 'read', 'plain response', ?)", []any{b, start}},
				{"INSERT INTO moments (id, couple_id, author_id, kind, on_date, note, shared, created_at) VALUES ('m1', ?, ?, 'kindness', '2026-11-24', 'plain moment', ?, ?)", []any{cp, b, true, start}},
				{"INSERT INTO plan_items (couple_id, id, starter, created_by, title, notes, position, created_at) VALUES (?, 'i1', '', ?, 'plain title', 'plain notes', 100, ?)", []any{cp, a, start}},
				{"INSERT INTO plan_items (couple_id, id, starter, created_by, title, notes, position, created_at) VALUES (?, 'honesty', 'honesty', NULL, '', '', 1, ?)", []any{cp, start}},
			} {
				if err := f.db.Exec(q.sql, q.args...).Error; err != nil {
					t.Fatalf("%s: %v", q.sql, err)
				}
			}
			check := func(when string) {
				t.Helper()
				p, err := f.svc.Acknowledgment(ctx, f.b)
				if err != nil || p.Partner == nil || p.Partner.Text.WhatHappened != "plain what" || strings.Join(p.Partner.Text.Commitments, "|") != "plain one|plain two" ||
					p.Partner.MyResponse == nil || p.Partner.MyResponse.Note != "plain response" {
					t.Fatalf("%s: acknowledgment %+v, %v", when, p, err)
				}
				if ms, err := f.svc.Moments(ctx, f.a); err != nil || len(ms) != 1 || ms[0].Note != "plain moment" {
					t.Fatalf("%s: moments %+v, %v", when, ms, err)
				}
				pv, err := f.svc.Plan(ctx, f.b)
				if err != nil {
					t.Fatal(err)
				}
				if it := item(t, pv, "i1"); it.Title != "plain title" || it.Notes != "plain notes" {
					t.Fatalf("%s: item %+v", when, it)
				}
			}
			check("before encrypt-existing")
			if n, err := vault.From(f.db).EncryptExisting(ctx, f.db, plan.Columns(), 2, io.Discard); err != nil || n != 8 {
				t.Fatalf("encrypt-existing sealed %d, %v; want 8", n, err)
			}
			for _, col := range sealedCols {
				testutil.RequireSealed(t, f.db, col[0], col[1], "plain")
			}
			check("after encrypt-existing")
		})
	}
}
