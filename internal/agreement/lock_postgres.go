package agreement

import (
	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
)

// lockAgreementSQL takes the row lock of the couple's agreement until the transaction ends (no row, and
// no lock, for an agreement of another couple). FOR NO KEY UPDATE: rows that refer to the agreement can
// still be read and written by others meanwhile.
const lockAgreementSQL = `SELECT id FROM agreements WHERE id = ? AND couple_id = ? FOR NO KEY UPDATE`

// lockAgreement makes the writes to one agreement (a new version, an acceptance, a withdrawal, a
// review) run one at a time, each reading the agreement only once the one before it has committed: an
// acceptance is then always of the version current when it is written, never recorded after a newer
// version was proposed, and a stale edit is refused rather than a consent lost. It is the first
// statement of each such transaction.
//
// On PostgreSQL, at READ COMMITTED, an acceptance could otherwise read version 1, then append its event
// after a concurrent edit had proposed version 2. On SQLite every write transaction already holds the
// database's write lock from BEGIN (_txlock=immediate), so there is nothing to take.
func lockAgreement(tx *gorm.DB, id, coupleID string) error {
	if database.EngineOf(tx) != config.EnginePostgres {
		return nil
	}
	return tx.Exec(lockAgreementSQL, id, coupleID).Error
}
