package account

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/mendhq/mend/internal/apperr"
)

// AutoLockChoices are the auto-lock settings a person can pick, in minutes; 0 is off.
var AutoLockChoices = []int{5, 15, 30}

// AutoLockOptions returns the auto-lock choices shorter than the operator's idle timeout: a longer
// one would never take effect.
func (s *Service) AutoLockOptions() []int {
	var out []int
	for _, m := range AutoLockChoices {
		if time.Duration(m)*time.Minute < s.idle {
			out = append(out, m)
		}
	}
	return out
}

// SetAutoLock sets after how many minutes without use a browser of userID is signed out (0: off).
// A value that is not one of AutoLockOptions is apperr.Invalid on the auto_lock_minutes field.
func (s *Service) SetAutoLock(ctx context.Context, userID string, minutes int) error {
	if minutes != 0 && !slices.Contains(s.AutoLockOptions(), minutes) {
		words := "off"
		for i, m := range s.AutoLockOptions() {
			sep := ", "
			if i == len(s.AutoLockOptions())-1 {
				sep = " or "
			}
			words += sep + strconv.Itoa(m)
		}
		return apperr.Fields(map[string]string{"auto_lock_minutes": fmt.Sprintf("Choose %s minutes: auto-lock must be shorter than this Mend's own sign-out after %d minutes.", words, int(s.idle/time.Minute))})
	}
	err := s.db.WithContext(ctx).Model(&User{}).Where("id = ?", userID).
		Updates(map[string]any{"auto_lock_minutes": minutes, "updated_at": s.Now()}).Error
	if err != nil {
		return fmt.Errorf("account: auto-lock: %w", err)
	}
	return nil
}
