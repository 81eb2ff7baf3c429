package server

import (
	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/notify"
	"github.com/mendhq/mend/internal/plan"
	"github.com/mendhq/mend/internal/question"
	"github.com/mendhq/mend/internal/trigger"
	"github.com/mendhq/mend/internal/vault"
)

// SealedColumns lists every column Mend stores sealed (internal/vault), each feature's own list: what
// mend keys encrypt-existing seals in an upgraded instance, and the benchmark in its built databases.
func SealedColumns() []vault.Column {
	var cols []vault.Column
	cols = append(cols, account.Columns()...)
	cols = append(cols, trigger.Columns()...)
	cols = append(cols, question.Columns()...)
	cols = append(cols, checkin.Columns()...)
	cols = append(cols, notify.Columns()...)
	cols = append(cols, agreement.Columns()...)
	cols = append(cols, plan.Columns()...)
	return cols
}
