package server

import (
	"context"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/couple"
)

// The plan's parts of a user's export (DESIGN §2.9, SECURITY H1): everything the user wrote, in any
// couple, and what the partner shared with them in the current couple; never the partner's drafts,
// private moments or private therapy wish.

type exportAckJSON struct {
	ID        string            `json:"id"`
	CreatedAt string            `json:"created_at"`
	Versions  []ackVersionJSON  `json:"versions"`
	Responses []ackResponseJSON `json:"responses_received"`
}

func (h *ackHandlers) export(ctx context.Context, u *account.User, m *couple.Membership) (any, error) {
	acks, err := h.svc.AuthoredAcks(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	mine := make([]exportAckJSON, 0, len(acks))
	for _, a := range acks {
		x := exportAckJSON{ID: a.ID, CreatedAt: rfc3339(a.CreatedAt), Versions: []ackVersionJSON{}, Responses: []ackResponseJSON{}}
		for _, v := range a.Versions {
			x.Versions = append(x.Versions, ackVersionJSONOf(v))
		}
		for i := range a.Responses {
			x.Responses = append(x.Responses, *responseJSON(&a.Responses[i]))
		}
		mine = append(mine, x)
	}
	given, err := h.svc.ResponsesBy(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	written := make([]ackResponseJSON, 0, len(given))
	for i := range given {
		written = append(written, *responseJSON(&given[i]))
	}
	out := map[string]any{"mine": mine, "responses_given": written, "shared_with_me": nil}
	if m != nil {
		p, err := h.svc.Acknowledgment(ctx, m)
		if err != nil {
			return nil, err
		}
		out["shared_with_me"] = partnerAckJSONOf(p.Partner, m)
	}
	return out, nil
}

func (h *planHandlers) export(ctx context.Context, u *account.User, m *couple.Membership) (any, error) {
	added, err := h.svc.AuthoredItems(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	type addedJSON struct {
		ID        string `json:"id"`
		Title     string `json:"title"`
		Notes     string `json:"notes"`
		CreatedAt string `json:"created_at"`
	}
	mine := make([]addedJSON, 0, len(added))
	for _, it := range added {
		mine = append(mine, addedJSON{ID: it.ID, Title: it.Title, Notes: it.Notes, CreatedAt: rfc3339(it.CreatedAt)})
	}
	out := map[string]any{"items_added": mine, "current": nil}
	if m != nil {
		p, err := h.svc.Plan(ctx, m)
		if err != nil {
			return nil, err
		}
		items := make([]itemJSON, 0, len(p.Items))
		for i := range p.Items {
			items = append(items, itemJSONOf(&p.Items[i]))
		}
		out["current"] = map[string]any{"items": items, "progress": tallyJSON{Done: p.Done, Total: p.Total}, "therapy": therapyJSONOf(p.Therapy)}
	}
	return out, nil
}

func (h *momentHandlers) export(ctx context.Context, u *account.User, m *couple.Membership) (any, error) {
	own, err := h.svc.AuthoredMoments(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	mine := make([]momentJSON, 0, len(own))
	for _, x := range own {
		mine = append(mine, momentJSONOf(x, u.ID))
	}
	shared := []momentJSON{}
	if m != nil {
		list, err := h.svc.Moments(ctx, m)
		if err != nil {
			return nil, err
		}
		for _, x := range list {
			if !x.Mine(u.ID) {
				shared = append(shared, momentJSONOf(x, u.ID))
			}
		}
	}
	return map[string]any{"mine": mine, "shared_with_me": shared}, nil
}
