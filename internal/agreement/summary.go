package agreement

import (
	"context"
	"fmt"
	"sort"
)

// Summaries returns the couple's agreements as List does, but with only the current version of each
// (Versions holds just that one and Previous is nil) and the log without notes: what the dashboard
// card and the check-in's question about active agreements need, read in three bounded queries
// instead of every version's text.
func (s *Service) Summaries(ctx context.Context, sc Scope) ([]View, error) {
	db := s.db.WithContext(ctx)
	var list []Agreement
	if err := db.Where("couple_id = ?", sc.CoupleID).Find(&list).Error; err != nil {
		return nil, fmt.Errorf("agreement: summaries: %w", err)
	}
	if len(list) == 0 {
		return nil, nil
	}
	ids := make([]string, len(list))
	for i, a := range list {
		ids[i] = a.ID
	}
	var versions []Version
	err := db.Where("agreement_id IN ? AND number = (SELECT max(number) FROM agreement_versions AS latest WHERE latest.agreement_id = agreement_versions.agreement_id)", ids).
		Find(&versions).Error
	if err != nil {
		return nil, fmt.Errorf("agreement: summaries: %w", err)
	}
	var events []Event
	err = db.Select("agreement_id", "seq", "version", "actor_id", "action", "next_review_on", "created_at").
		Where("agreement_id IN ?", ids).Order("agreement_id, seq").Find(&events).Error
	if err != nil {
		return nil, fmt.Errorf("agreement: summaries: %w", err)
	}
	byID := map[string]*View{}
	views := make([]View, len(list))
	for i, a := range list {
		views[i] = View{Agreement: a}
		byID[a.ID] = &views[i]
	}
	for _, v := range versions {
		byID[v.AgreementID].Versions = []Version{v}
	}
	for _, e := range events {
		byID[e.AgreementID].Log = append(byID[e.AgreementID].Log, e)
	}
	out := views[:0]
	day := s.Today(sc)
	for i := range views {
		if len(views[i].Versions) == 0 {
			continue
		}
		derive(&views[i], day)
		out = append(out, views[i])
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].UpdatedAt.Equal(out[j].UpdatedAt) {
			return out[i].UpdatedAt.After(out[j].UpdatedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}
