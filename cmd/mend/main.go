// Command mend serves Mend and runs its maintenance tasks.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "mend:", err)
		os.Exit(1)
	}
}

const usage = `Mend: a calm place for couples rebuilding trust.

Usage: mend [command]

Commands:
  serve                        serve Mend (the default)
  migrate                      apply database migrations and exit
  backup FILE                  write a consistent copy of the live database to FILE
  user reset-password EMAIL    print a single-use password-reset link (valid 30 minutes)
  notify --once                send the reminders and messages that are due, then exit (for cron)
  copy-data --to URL           copy this stopped SQLite instance into an empty PostgreSQL database
  keys rotate                  re-wrap every data key under a new master key (stop Mend first)
  keys encrypt-existing        seal, in place, rows written before encryption was on
  healthcheck                  exit 0 when the local server answers /healthz (for containers)
  version                      print the version

Each command takes --help. Configuration comes from MEND_* environment variables; see README.md.
`

// errUsage marks a mistake in the command line; run has already printed help.
var errUsage = fmt.Errorf("see mend --help")

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	case "serve":
		return cmdServe(ctx, args, getenv, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, args, getenv, stdout)
	case "backup":
		return cmdBackup(ctx, args, getenv, stdout)
	case "user":
		return cmdUser(ctx, args, getenv, stdout)
	case "notify":
		return cmdNotify(ctx, args, getenv, stdout, stderr)
	case "copy-data":
		return cmdCopyData(ctx, args, getenv, stdout)
	case "keys":
		return cmdKeys(ctx, args, getenv, stdout)
	case "healthcheck":
		return cmdHealthcheck(ctx, args, getenv, stdout)
	case "version":
		return cmdVersion(args, stdout)
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", cmd, usage)
		return errUsage
	}
}

// wantsHelp prints help and reports true when args ask for it.
func wantsHelp(args []string, w io.Writer, text string) bool {
	for _, a := range args {
		if a == "-h" || a == "--help" {
			fmt.Fprint(w, text)
			return true
		}
	}
	return false
}
