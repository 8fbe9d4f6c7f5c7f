package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"renda/internal/auth"
	"renda/internal/records"
)

const usersUsage = `usage:
  renda users create --name NAME --role viewer|editor|admin|sysadmin|secadmin|auditor|deputy [--township ID]... [--deputy ID] [--display 王秀兰] [--password-stdin]
  renda users list
  renda users passwd --name NAME [--password-stdin]
  renda users disable|enable --name NAME
  renda keys create --name NAME --role viewer|editor|admin|sysadmin|secadmin|auditor [--township ID]...
  renda keys list
  renda keys revoke ID
(each also takes --data DIR or --mongodb-uri URI, as serve does)`

// newAuth is the accounts service over s, for the command line.
func newAuth(s *records.Store, log *slog.Logger) *auth.Service {
	return auth.New(auth.Config{Store: s.Credentials, Townships: s.CheckTownships, Audit: s.Audit, Logger: log})
}

// credentialsCmd runs `renda users …` and `renda keys …`, straight against
// the store, as the local admin.
func credentialsCmd(ctx context.Context, what string, args []string, stdin io.Reader, stdout io.Writer, log *slog.Logger) error {
	if len(args) == 0 {
		return errors.New(usersUsage)
	}
	verb := args[0]
	fs := flag.NewFlagSet(what+" "+verb, flag.ContinueOnError)
	db := dbFlags{quiet: true}
	db.register(fs)
	name := fs.String("name", "", "the user name, or the key's name")
	role := fs.String("role", "", "viewer, editor, admin, one of an office's separate administrators: sysadmin (accounts), secadmin (keys, passwords, unlocks), auditor (the audit log); or deputy (a deputy's own account, with --deputy)")
	display := fs.String("display", "", "the name shown for the account (default: the user name)")
	deputy := fs.String("deputy", "", "with --role deputy: the id of the deputy the account is (one --township, the deputy's)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	var towns stringList
	fs.Var(&towns, "township", "a township the credential works on (repeatable); none: the whole county")
	rest := args[1:]
	var id string
	if what == "keys" && verb == "revoke" {
		if len(rest) == 0 || strings.HasPrefix(rest[0], "-") {
			return errors.New("usage: renda keys revoke ID")
		}
		id, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return err
	}
	s, closeStore, err := db.open(ctx, log, nil)
	if err != nil {
		return err
	}
	defer closeStore()
	svc := newAuth(s, log)
	var townships []string
	if len(towns) > 0 {
		townships = towns
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	defer tw.Flush()
	switch what + " " + verb {
	case "users create":
		if *deputy != "" {
			if d, err := s.Deputies.Get(ctx, *deputy); err != nil || len(townships) != 1 || d.Township != townships[0] {
				return fmt.Errorf("--deputy %s: a deputy's account names a deputy of its one --township", *deputy)
			}
		}
		pw, err := readPassword(stdin, *fromStdin)
		if err != nil {
			return err
		}
		a, err := svc.CreateAccount(ctx, auth.AccountInput{ID: *name, Name: *display, Role: records.Role(*role), Townships: townships, DeputyID: *deputy, Password: pw})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "account %s (%s) created: %s of %s\n", a.ID, a.Name, a.Role, scopeText(a.Townships))
	case "users list":
		as, err := svc.Accounts(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(tw, "USER\tNAME\tROLE\tTOWNSHIPS\tSTATE")
		for _, a := range as {
			state := "active"
			if a.Disabled {
				state = "disabled"
			} else if a.LockedUntil.After(time.Now()) {
				state = "locked until " + a.LockedUntil.Format(time.DateTime)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.ID, a.Name, a.Role, scopeText(a.Townships), state)
		}
	case "users passwd":
		pw, err := readPassword(stdin, *fromStdin)
		if err != nil {
			return err
		}
		if _, err := svc.UpdateAccount(ctx, *name, auth.AccountPatch{Password: &pw}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of %s changed; its sessions ended\n", *name)
	case "users disable", "users enable":
		off := verb == "disable"
		if _, err := svc.UpdateAccount(ctx, *name, auth.AccountPatch{Disabled: &off}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "account %s %sd\n", *name, verb)
	case "keys create":
		key, k, err := svc.CreateKey(ctx, *name, records.Role(*role), townships)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "API key %s (%s), %s of %s. Keep it: it is shown this once.\n%s\n", k.ID, k.Name, k.Role, scopeText(k.Townships), key)
	case "keys list":
		ks, err := svc.Keys(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(tw, "ID\tNAME\tROLE\tTOWNSHIPS\tLAST USED\tSTATE")
		for _, k := range ks {
			used, state := "never", "active"
			if k.LastUsed != nil {
				used = k.LastUsed.Format(time.DateTime)
			}
			if k.RevokedAt != nil {
				state = "revoked " + k.RevokedAt.Format(time.DateTime)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Name, k.Role, scopeText(k.Townships), used, state)
		}
	case "keys revoke":
		if _, err := svc.RevokeKey(ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "API key %s revoked\n", id)
	default:
		return errors.New(usersUsage)
	}
	return nil
}

func scopeText(ts []string) string {
	if ts == nil {
		return "the whole county"
	}
	return "townships " + strings.Join(ts, ", ")
}

// readPassword reads a password from the first line of stdin, or asks for
// it twice on the terminal without echo.
func readPassword(stdin io.Reader, fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", err
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", errors.New("no terminal to ask the password on: give --password-stdin and write it to standard input")
	}
	fmt.Fprint(os.Stderr, "password: ")
	a, err := term.ReadPassword(fd)
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return "", err
	}
	fmt.Fprint(os.Stderr, "again: ")
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return "", err
	}
	if string(a) != string(b) {
		return "", errors.New("the two passwords differ")
	}
	return string(a), nil
}
