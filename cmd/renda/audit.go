package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
)

const auditUsage = `usage:
  renda audit verify [--data DIR | --mongodb-uri URI]
walks the audit trail's hash chain from its first entry to its head and
names the first broken link (an entry edited, removed or moved); it exits
with status 1 if it finds one.`

// errBroken is the error of a verification that found a broken link: the
// report is printed already.
var errBroken = errors.New("the audit trail is broken")

// auditCmd runs `renda audit …` against the store, as the local admin.
func auditCmd(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	if len(args) == 0 || args[0] != "verify" {
		return errors.New(auditUsage)
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	db := dbFlags{quiet: true}
	db.register(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return errors.New(auditUsage)
	}
	s, closeStore, err := db.open(ctx, log, nil)
	if err != nil {
		return err
	}
	defer closeStore()
	check, err := s.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if check.Unchained > 0 {
		fmt.Fprintf(stdout, "%d entries written before the chain began (by an earlier release): kept, not chained, not checked\n", check.Unchained)
	}
	if check.Broken != nil {
		fmt.Fprintf(stdout, "BROKEN at %s\n", check.Broken)
		if check.Chained > 0 && check.Last > 0 {
			fmt.Fprintf(stdout, "the chain holds from #%d to #%d\n", check.First, check.Last)
		}
		return fmt.Errorf("%w at %s", errBroken, check.Broken)
	}
	if check.Chained == 0 {
		fmt.Fprintln(stdout, "no chained entry yet: the chain begins with the next change")
		return nil
	}
	fmt.Fprintf(stdout, "the audit trail holds: %d entries chained, #%d to #%d\nhead: #%d sha256:%s\n", check.Chained, check.First, check.Last, check.Last, check.Head)
	fmt.Fprintln(stdout, "(keep the head somewhere else: a later verification must still pass through it)")
	return nil
}
