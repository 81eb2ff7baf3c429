package account

import (
	"context"

	"github.com/mendhq/mend/internal/vault"
)

// Columns lists the accounts' sealed columns (internal/vault), each under its person's own data key:
// the display name (every package that reads users.display_name opens it with NameField), the
// authenticator app's secret and the names given to passkeys.
func Columns() []vault.Column {
	return []vault.Column{
		{Table: "users", Name: "display_name", OwnerColumn: "id", Kind: vault.KindPerson},
		{Table: "totp_factors", Name: "secret", OwnerColumn: "user_id", Kind: vault.KindPerson, Key: []string{"user_id"}},
		{Table: "passkeys", Name: "name", OwnerColumn: "user_id", Kind: vault.KindPerson},
	}
}

// NameField is where user userID's sealed display name lives, for vault.Open.
func NameField(userID string) vault.Field {
	return vault.Field{Table: "users", Column: "display_name", Row: userID}
}

// sealName returns name sealed for storing as user userID's display name.
func (s *Service) sealName(ctx context.Context, userID, name string) (string, error) {
	return s.vault.Seal(ctx, vault.Person(userID), NameField(userID), name)
}

// openUser opens u's display name in place.
func (s *Service) openUser(ctx context.Context, u *User) error {
	name, err := s.vault.Open(ctx, NameField(u.ID), u.DisplayName)
	if err != nil {
		return err
	}
	u.DisplayName = name
	return nil
}
