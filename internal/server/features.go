package server

import (
	"context"
	"html/template"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/couple"
)

// exportHook adds one feature's data to a user's export under key. m is nil when the user has no couple.
type exportHook func(ctx context.Context, u *account.User, m *couple.Membership) (key string, data any, err error)

// deleteHook removes what a feature holds of the user, inside the account-deletion transaction.
type deleteHook func(ctx context.Context, tx *gorm.DB, userID string) error

// dashboardHook renders one feature's card for the dashboard; empty HTML means no card.
// It is called only when the user has a current couple (m is never nil).
type dashboardHook func(c *fiber.Ctx, m *couple.Membership) (template.HTML, error)

// archiveHook renders one feature's read-only section of an ended couple on /archive (DESIGN §2.2): only
// what userID wrote themselves in that couple, plus what they had accepted; empty HTML means nothing to show.
type archiveHook func(c *fiber.Ctx, userID string, past couple.Past) (template.HTML, error)

// features collects what each feature contributes to the shared pages and operations.
// Each feature's routes function appends its hooks while routes are registered.
type features struct {
	exports   []exportHook
	deletes   []deleteHook
	dashboard []dashboardHook
	archive   []archiveHook
}

func newFeatures(*Server) features { return features{} }
