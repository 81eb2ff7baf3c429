package checkin

import (
	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
)

// lockCoupleSQL takes the couple's row lock until the transaction ends. FOR NO KEY UPDATE, not FOR
// UPDATE: rows that refer to the couple (answers, agreements) can still be written by others meanwhile.
const lockCoupleSQL = `SELECT id FROM couples WHERE id = ? FOR NO KEY UPDATE`

// lockCouple makes the check-in writes of one couple run one at a time, so each reads what the one
// before it wrote: of two partners sharing at once, the second counts both shares and opens the week
// (concludeWeek), a week concludes once, and the checks before writing a reflection or a pause see
// the others. It is the first statement of each such transaction.
//
// On PostgreSQL, at READ COMMITTED, two transactions would otherwise each count only their own share
// and neither open the week. On SQLite every write transaction already holds the database's write lock
// from BEGIN (_txlock=immediate), so there is nothing to take.
func lockCouple(tx *gorm.DB, coupleID string) error {
	if database.EngineOf(tx) != config.EnginePostgres {
		return nil
	}
	return tx.Exec(lockCoupleSQL, coupleID).Error
}
