package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"renda/internal/records"
)

const auditUsage = `usage:
  renda audit verify [--head N:HASH] [--data DIR | --mongodb-uri URI]
walks the audit trail's hash chain from its first entry to its head and
names the first broken link (an entry edited, removed or moved); it exits
with status 1 if it finds one. --head is a head an earlier verification
printed (kept elsewhere): the chain must still pass through it.`

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
	headFlag := fs.String("head", "", "a head printed by an earlier verification, N:HASH (or N sha256:HASH as printed)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var noted *records.ChainHead
	if *headFlag != "" {
		h, err := parseHead(*headFlag)
		if err != nil {
			return err
		}
		noted = h
	}
	if fs.NArg() > 0 {
		return errors.New(auditUsage)
	}
	s, closeStore, err := db.open(ctx, log, nil)
	if err != nil {
		return err
	}
	defer closeStore()
	check, err := s.VerifyAudit(ctx, noted)
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
	if noted != nil {
		fmt.Fprintf(stdout, "it passes through the head noted: #%d\n", noted.Seq)
	}
	fmt.Fprintln(stdout, "(keep the head somewhere else and give it to a later verification: renda audit verify --head N:HASH)")
	return nil
}

// parseHead reads a head as verify prints it: #N sha256:HASH, N:HASH or
// N:sha256:HASH.
func parseHead(s string) (*records.ChainHead, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	s = strings.Replace(s, " ", ":", 1)
	n, h, ok := strings.Cut(s, ":")
	h = strings.TrimPrefix(strings.TrimSpace(h), "sha256:")
	seq, err := strconv.ParseInt(strings.TrimSpace(n), 10, 64)
	if !ok || err != nil || seq < 1 || len(h) != 64 {
		return nil, fmt.Errorf("--head is N:HASH, the number and SHA-256 (64 hex digits) a verification printed, not %q", s)
	}
	return &records.ChainHead{Seq: seq, Hash: strings.ToLower(h)}, nil
}
