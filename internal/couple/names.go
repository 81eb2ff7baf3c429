package couple

import (
	"context"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/vault"
)

// openName opens user userID's display name as stored: it is sealed under their data key
// (account.NameField), or plaintext written before encryption was on.
func (s *Service) openName(ctx context.Context, userID, stored string) (string, error) {
	return vault.From(s.db).Open(ctx, account.NameField(userID), stored)
}
