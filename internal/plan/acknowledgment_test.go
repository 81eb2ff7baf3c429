package plan_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/plan"
)

func TestHintsFireOnListedPhrasesOnly(t *testing.T) {
	t.Parallel()
	// Each hint quotes the words as they were typed: case, curly apostrophes and spacing kept.
	fire := []struct{ text, quote string }{
		{"I'm sorry, but you were never home.", "but you"},
		{"If you hadn't pushed me away this would not have happened.", "If you hadn't"},
		{"If you had not gone quiet…", "If you had not"},
		{"I’m sorry if you were hurt.", "I’m sorry if"},
		{"I am sorry if it upset you", "I am sorry if"},
		{"You made me feel invisible.", "You made me"},
		{"It was only a few messages.", "It was only"},
		{"it was   just  texting", "it was   just"},
		{"It was\nonly once.", "It was\nonly"},
		{"I'm sorry you feel that way.", "sorry you feel"},
		{"It's not a big deal compared to what others do.", "not a big deal"},
		{"You are overreacting.", "overreacting"},
		{"We should just move on.", "just move on"},
		{"BUT YOU KNEW", "BUT YOU"},
		// Letters whose lower case is shorter or longer in bytes come before the phrase.
		{"Straße ẞ, and \u212A: But You knew.", "But You"},
		{"İİİ I'M SORRY IF it hurt", "I'M SORRY IF"},
	}
	for _, tc := range fire {
		hs := plan.HintsFor("what_happened", tc.text)
		found := false
		for _, h := range hs {
			found = found || (h.Phrase == tc.quote && h.Field == "what_happened" && h.Message != "")
		}
		if !found {
			t.Errorf("%q: hints %+v lack the quote %q", tc.text, hs, tc.quote)
		}
	}
	neutral := []string{
		"I lied to you about where I was on three evenings in March, and I hid the messages.",
		"I take full responsibility. Nobody else made this choice.",
		"You stopped trusting what I say, and you lost sleep for weeks.",
		"I will tell you about any contact within a day. I will answer your questions honestly.",
		"I rebut yourself-doubt with facts.", // "but you" inside words is not the phrase
		"Tell me if you have questions; I'll answer them, only honestly.",
		"",
	}
	for _, text := range neutral {
		if hs := plan.HintsFor("impact", text); len(hs) != 0 {
			t.Errorf("neutral %q got hints %+v", text, hs)
		}
	}
	all := plan.Hints(plan.AckText{Responsibility: "You made me do it", Commitments: []string{"fine", "It was only once"}})
	fields := map[string]bool{}
	for _, h := range all {
		fields[h.Field] = true
	}
	if !fields["responsibility"] || !fields["commitments"] || fields["what_happened"] {
		t.Errorf("hints by field: %+v", all)
	}
}

func TestAcknowledgmentDraftsStayPrivate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	draft := plan.AckText{WhatHappened: "DRAFT-ONE but you", Responsibility: "mine"}
	p := must[*plan.AckPage](t)(f.svc.SaveAcknowledgment(ctx, f.a, draft, false))
	if p.Mine == nil || p.Mine.Version != 1 || p.Mine.Shared != nil || len(p.Hints) == 0 {
		t.Fatalf("after a draft: %+v", p)
	}
	if pb := must[*plan.AckPage](t)(f.svc.Acknowledgment(ctx, f.b)); pb.Partner != nil || pb.Mine != nil {
		t.Fatalf("B sees a private draft: %+v", pb.Partner)
	}
	if _, err := f.svc.Respond(ctx, f.b, plan.ResponseRead, ""); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("responding to an unshared draft: %v, want not found", err)
	}
	if _, err := f.svc.SaveAcknowledgment(ctx, f.a, draft, true); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("sharing without every part: %v, want invalid", err)
	}
	full := plan.AckText{WhatHappened: "SHARED-TWO", Responsibility: "All mine.", Impact: "You felt alone.", Commitments: []string{"Be on time\nTell you first", " "}}
	f.clock.Advance(time.Minute)
	p = must[*plan.AckPage](t)(f.svc.SaveAcknowledgment(ctx, f.a, full, true))
	if p.Mine.Version != 2 || p.Mine.Shared == nil || p.Mine.Shared.Number != 2 || len(p.Mine.Text.Commitments) != 2 || p.Mine.DraftAhead() {
		t.Fatalf("after sharing: %+v", p.Mine)
	}
	f.clock.Advance(time.Minute)
	p = must[*plan.AckPage](t)(f.svc.SaveAcknowledgment(ctx, f.a, plan.AckText{WhatHappened: "DRAFT-THREE", Responsibility: "x"}, false))
	if p.Mine.Version != 3 || p.Mine.Shared.Number != 2 || !p.Mine.DraftAhead() || len(p.Mine.Versions) != 3 {
		t.Fatalf("after a later draft: %+v", p.Mine)
	}
	pb := must[*plan.AckPage](t)(f.svc.Acknowledgment(ctx, f.b))
	if pb.Partner == nil || pb.Partner.Version != 2 || pb.Partner.Text.WhatHappened != "SHARED-TWO" {
		t.Fatalf("B sees %+v, want version 2", pb.Partner)
	}
	if pc := must[*plan.AckPage](t)(f.svc.Acknowledgment(ctx, f.c)); pc.Partner != nil || pc.Mine != nil {
		t.Errorf("another couple sees %+v", pc)
	}
	r := must[*plan.AckResponse](t)(f.svc.Respond(ctx, f.b, plan.ResponseNeedMore, "What about March?"))
	if r.Version != 2 {
		t.Errorf("response is about version %d, want 2", r.Version)
	}
	p = must[*plan.AckPage](t)(f.svc.Acknowledgment(ctx, f.a))
	if p.Mine.Response == nil || p.Mine.Response.Status != plan.ResponseNeedMore || p.Mine.Response.Note != "What about March?" {
		t.Errorf("A sees response %+v", p.Mine.Response)
	}
	// Saving the same text again makes no new version; sharing it shares the current one.
	f.clock.Advance(time.Minute)
	p = must[*plan.AckPage](t)(f.svc.SaveAcknowledgment(ctx, f.a, plan.AckText{WhatHappened: "DRAFT-THREE", Responsibility: "x", Impact: "y", Commitments: []string{"z"}}, true))
	if p.Mine.Version != 4 || p.Mine.Shared.Number != 4 {
		t.Errorf("after sharing the completed draft: version %d shared %d", p.Mine.Version, p.Mine.Shared.Number)
	}
	p = must[*plan.AckPage](t)(f.svc.SaveAcknowledgment(ctx, f.a, plan.AckText{WhatHappened: "DRAFT-THREE", Responsibility: "x", Impact: "y", Commitments: []string{"z"}}, false))
	if p.Mine.Version != 4 {
		t.Errorf("unchanged text made version %d", p.Mine.Version)
	}
	for _, bad := range []struct {
		status, note string
	}{{"forgiven", ""}, {"", ""}, {plan.ResponseRead, strings.Repeat("n", plan.MaxNote+1)}} {
		if _, err := f.svc.Respond(ctx, f.b, bad.status, bad.note); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("Respond(%q): %v, want invalid", bad.status, err)
		}
	}
	if _, err := f.svc.SaveAcknowledgment(ctx, f.a, plan.AckText{}, false); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("empty draft: %v, want invalid", err)
	}
}
