package notify_test

import (
	"io"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/notify"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/internal/vault"
)

// TestCalendarTitlesAreSealed: the titles a person chose for their calendar are stored sealed under
// their key and read back as written, on both engines; titles stored before encryption read as they
// are and encrypt-existing seals them.
func TestCalendarTitlesAreSealed(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			f := newFixtureOn(t, engine, time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
			ana, anaEmail := f.user(t, "Ana")
			title, review := "zq9seal our hour", "zq9seal look again"
			if _, err := f.svc.Update(ctx, ana, anaEmail, notify.Input{CalendarTitle: &title, ReviewTitle: &review}); err != nil {
				t.Fatal(err)
			}
			testutil.RequireSealed(t, f.db, "notification_settings", "calendar_title", "zq9seal")
			testutil.RequireSealed(t, f.db, "notification_settings", "review_title", "zq9seal")
			f.restart()
			if v, err := f.svc.Get(ctx, ana, anaEmail); err != nil || v.CalendarTitle != title || v.ReviewTitle != review {
				t.Fatalf("settings read back: %+v, %v", v, err)
			}

			bo, boEmail := f.user(t, "Bo")
			if err := f.db.Exec("INSERT INTO notification_settings (user_id, calendar_title, review_title, updated_at) VALUES (?, 'plain hour', 'plain look', ?)",
				bo, f.clock.Now().UTC()).Error; err != nil {
				t.Fatal(err)
			}
			if v, err := f.svc.Get(ctx, bo, boEmail); err != nil || v.CalendarTitle != "plain hour" {
				t.Fatalf("a title from before encryption: %+v, %v", v, err)
			}
			if n, err := vault.From(f.db).EncryptExisting(ctx, f.db, notify.Columns(), 1, io.Discard); err != nil || n != 2 {
				t.Fatalf("encrypt-existing sealed %d, %v; want Bo's 2 titles", n, err)
			}
			testutil.RequireSealed(t, f.db, "notification_settings", "calendar_title", "plain")
			if v, err := f.svc.Get(ctx, bo, boEmail); err != nil || v.CalendarTitle != "plain hour" || v.ReviewTitle != "plain look" {
				t.Fatalf("after encrypt-existing: %+v, %v", v, err)
			}
		})
	}
}
