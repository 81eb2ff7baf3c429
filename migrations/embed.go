// Package migrations holds Mend's versioned SQL schema, applied by goose: one history of numbered steps,
// written once for SQLite (the files in this folder) and once for PostgreSQL (postgres/, the same file
// names), where each engine's DDL uses that engine's own types.
package migrations

import (
	"embed"
	"io/fs"
	"strconv"
)

// FS holds every migration file: the SQLite steps at its root and their PostgreSQL twins in postgres/.
//
//go:embed *.sql postgres/*.sql
var FS embed.FS

// Postgres returns the PostgreSQL steps, at the root of the returned file system as goose wants them.
func Postgres() fs.FS {
	sub, err := fs.Sub(FS, "postgres")
	if err != nil {
		panic(err) // "postgres" is a valid path; fs.Sub fails only on an invalid one
	}
	return sub
}

// Latest returns the number of the highest step (the same on both engines).
func Latest() int64 {
	names, _ := fs.Glob(FS, "*.sql")
	var latest int64
	for _, name := range names {
		if len(name) > 5 {
			if n, err := strconv.ParseInt(name[:5], 10, 64); err == nil && n > latest {
				latest = n
			}
		}
	}
	return latest
}
