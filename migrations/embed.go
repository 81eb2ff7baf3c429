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

// KeyStore holds the key store's own steps (internal/vault): the SQLite ones in keys/ and their
// PostgreSQL twins in keys/postgres/. The key store is a database of its own, never the data database.
//
//go:embed keys/*.sql keys/postgres/*.sql
var KeyStore embed.FS

// KeyStoreSQLite returns the key store's SQLite steps, at the root of the returned file system.
func KeyStoreSQLite() fs.FS { return sub(KeyStore, "keys") }

// KeyStorePostgres returns the key store's PostgreSQL steps, at the root of the returned file system.
func KeyStorePostgres() fs.FS { return sub(KeyStore, "keys/postgres") }

func sub(fsys fs.FS, dir string) fs.FS {
	s, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // dir is a valid path; fs.Sub fails only on an invalid one
	}
	return s
}

// Postgres returns the PostgreSQL steps, at the root of the returned file system as goose wants them.
func Postgres() fs.FS {
	return sub(FS, "postgres")
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
