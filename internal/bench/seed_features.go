package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/plan"
)

// featureSeeder writes one feature's history for a seeded couple through that feature's service.
// setup, when set, builds the feature's service over the batch transaction once per batch (the result
// is kept in seedEnv.svc under name); seed runs once per couple, in list order.
type featureSeeder struct {
	name  string
	setup func(e *seedEnv) any
	seed  func(e *seedEnv, c *Couple) error
}

// featureSeeders are the features a seeded couple has, in the order their history is written
// (agreements before check-ins, which ask about them). Add a feature with one line here.
var featureSeeders = []featureSeeder{
	{"agreements", func(e *seedEnv) any { return agreement.NewService(e.tx, e.clock.Now) }, seedAgreements},
	{"checkins", setupCheckins, seedCheckins},
	{"plan", func(e *seedEnv) any { return plan.NewService(e.tx, e.clock.Now, nil) }, seedPlan},
}

// agreementTexts are the seeded agreements, after the article's starter ideas.
var agreementTexts = []struct{ title, category string }{
	{"Weekly check-in on Sunday evening", "communication"},
	{"A time-out when a talk gets heated", "communication"},
	{"Telling each other about contact with the person involved", "honesty"},
	{"Shared calendar for the next few months", "transparency"},
	{"No contact with the person involved", "fidelity"},
	{"Speaking without contempt, even when upset", "respect"},
	{"Evenings out are planned together", "boundary"},
	{"Saying when something feels off, the same day", "honesty"},
}

// seedAgreements writes shape.Agreements agreements, each with shape.Versions versions proposed in
// turn by the two partners; the other partner accepts the last version, so most are active.
func seedAgreements(e *seedEnv, c *Couple) error {
	svc := e.svc["agreements"].(*agreement.Service)
	loc, err := time.LoadLocation(c.Zone)
	if err != nil {
		return err
	}
	member := func(k int) *couple.Membership {
		return &couple.Membership{Couple: couple.Couple{ID: c.ID}, Me: couple.Person{UserID: c.Members[k].ID}, Location: loc}
	}
	scopes := [2]*couple.Membership{member(0), member(1)}
	today := svc.Today(scopes[0])
	for i := 0; i < e.shape.Agreements; i++ {
		t := agreementTexts[i%len(agreementTexts)]
		in := agreement.Input{Title: t.title, Body: sampleText, Category: t.category, ReviewOn: agreement.AddMonths(today, 9)}
		if t.category == agreement.Transparency {
			in.EndsOn = agreement.AddMonths(today, 5)
		}
		v, err := svc.Create(e.ctx, scopes[0], in)
		if err != nil {
			return err
		}
		for n := 2; n <= e.shape.Versions; n++ {
			in.Body = fmt.Sprintf("%s (version %d)", sampleText, n)
			if v, err = svc.Edit(e.ctx, scopes[(n+1)%2], v.ID, v.Current.Number, in); err != nil {
				return err
			}
		}
		last := v.Current.Number
		if _, err := svc.Accept(e.ctx, scopes[last%2], v.ID, last, ""); err != nil {
			return err
		}
		c.Agreements = append(c.Agreements, v.ID)
	}
	return nil
}

// setupCheckins builds the check-in service with the same wiring as the server: the check-in asks about
// the couple's active agreements.
func setupCheckins(e *seedEnv) any {
	agreements := e.svc["agreements"].(*agreement.Service)
	return checkin.NewService(e.tx, e.clock.Now, func(ctx context.Context, m *couple.Membership) ([]checkin.AgreementRef, error) {
		active, err := agreements.Active(ctx, m)
		refs := make([]checkin.AgreementRef, 0, len(active))
		for _, a := range active {
			refs = append(refs, checkin.AgreementRef{ID: a.ID, Title: a.Current.Title})
		}
		return refs, err
	})
}

var keptAnswers = []string{"kept", "kept", "kept", "partly", "not_sure"}

// seedCheckins has both partners share their answers for each of the shape.Weeks weeks before this
// one, each in its own week, so every one of those weeks has opened. This week is left unanswered.
func seedCheckins(e *seedEnv, c *Couple) error {
	svc := e.svc["checkins"].(*checkin.Service)
	for w := e.shape.Weeks; w >= 1; w-- {
		e.clock.t = e.now.AddDate(0, 0, -7*w)
		var asks []checkin.AgreementRef
		for k := range c.Members {
			m, err := e.membership(c.Members[k].ID)
			if err != nil {
				return err
			}
			week := svc.Current(m).String()
			if k == 0 {
				// The week asks both partners about the same agreements.
				view, err := svc.Week(e.ctx, m, week)
				if err != nil {
					return err
				}
				asks = view.Agreements
			}
			in := checkin.AnswerInput{Trust: e.rating(w), Connection: e.rating(w), Safety: e.rating(w),
				Appreciation: sampleText, WentWell: sampleText, WasHard: sampleText, Need: sampleText, Submit: true}
			for _, a := range asks {
				in.Agreements = append(in.Agreements, checkin.KeptInput{AgreementID: a.ID, Kept: keptAnswers[e.rng.IntN(len(keptAnswers))]})
			}
			if _, err := svc.SaveAnswer(e.ctx, m, week, in); err != nil {
				return err
			}
		}
	}
	return nil
}

// rating returns a 0–10 rating that drifts upward over the weeks, as trust slowly returns.
func (e *seedEnv) rating(weeksAgo int) *int {
	r := min(10, max(0, 7-weeksAgo/5+e.rng.IntN(3)-1))
	return &r
}

// seedPlan has each partner mark their part done on the first two items of the plan, then writes
// shape.Moments connection moments, taking turns, spread over the weeks, about half of them shared.
func seedPlan(e *seedEnv, c *Couple) error {
	svc := e.svc["plan"].(*plan.Service)
	e.clock.t = e.now.AddDate(0, 0, -7*e.shape.Weeks)
	var scopes [2]*couple.Membership
	for k := range c.Members {
		m, err := e.membership(c.Members[k].ID)
		if err != nil {
			return err
		}
		scopes[k] = m
	}
	view, err := svc.Plan(e.ctx, scopes[0])
	if err != nil {
		return err
	}
	yes := true
	for i := 0; i < min(2, len(view.Items)); i++ {
		for _, sc := range scopes {
			if _, err := svc.ChangeItem(e.ctx, sc, view.Items[i].ID, plan.ItemChange{DidMyPart: &yes}); err != nil {
				return err
			}
		}
	}
	for i := 0; i < e.shape.Moments; i++ {
		e.clock.t = e.now.AddDate(0, 0, -7*e.shape.Weeks+i*7*e.shape.Weeks/max(1, e.shape.Moments))
		in := plan.MomentInput{Kind: plan.MomentKinds[i%len(plan.MomentKinds)].Key, Note: sampleText, Shared: i%2 == 0}
		if _, err := svc.AddMoment(e.ctx, scopes[i%2], in); err != nil {
			return err
		}
	}
	return nil
}
