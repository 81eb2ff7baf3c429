package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/mendhq/mend/internal/vault"
)

// sweepAge is how old a data key must be for mend keys sweep to shred it when its owner is gone: a key
// is made at its owner's first seal, before the owner's row commits.
const sweepAge = time.Hour

func cmdKeysSweep(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	_, db, err := open(ctx, getenv, nil)
	if err != nil {
		return err
	}
	defer closeDB(db)
	n, err := vault.From(db).Sweep(ctx, db, time.Now().Add(-sweepAge))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "shredded %d data keys whose person or couple is no longer in the database\n", n)
	return nil
}
