package notify

import "context"

// Claim exposes claim to the package's tests: choosing a message and taking its lease, as a sender
// does before it sends (a sender that dies right after is what the crash tests need).
func (s *Service) Claim(ctx context.Context) (*Message, error) { return s.claim(ctx) }
