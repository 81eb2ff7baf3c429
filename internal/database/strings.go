package database

import "database/sql"

// Strings reads rows of one text column each (names of tables, columns and the like) in order, and
// closes them. It takes a query's results as they come, so the query itself stays at the call site:
// Strings(db.QueryContext(ctx, `SELECT name FROM ...`)).
func Strings(rows *sql.Rows, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
