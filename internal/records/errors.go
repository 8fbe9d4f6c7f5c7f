// Package records holds renda's domain: the kinds of record a township
// people's congress keeps, their validation rules, filters and the service
// interfaces the API calls. It imports only the standard library.
package records

import (
	"errors"
	"fmt"
)

// Error codes. They are the API's vocabulary for what went wrong; the GraphQL
// layer maps them once to extensions.code.
const (
	EINVALID      = "invalid"      // the input breaks a rule (BAD_USER_INPUT)
	ENOTFOUND     = "not_found"    // no record with that id (NOT_FOUND)
	ECONFLICT     = "conflict"     // stale version (CONFLICT)
	EFORBIDDEN    = "forbidden"    // the caller may not do this (FORBIDDEN)
	EUNAUTHORIZED = "unauthorized" // the caller is unknown (UNAUTHENTICATED)
	ETIMEOUT      = "timeout"      // the request ran out of time (TIMEOUT)
	EBUSY         = "busy"         // the server is at a limit of held connections; try later (BUSY)
	EINTERNAL     = "internal"     // a fault of ours; details are logged, never returned
)

// Error is a failure the caller can act on. Field, when set, is the dotted
// path of the input field at fault (e.g. "input.date.precision").
type Error struct {
	Code    string
	Message string
	Field   string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("renda error: code=%s field=%s message=%s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("renda error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalidf returns an EINVALID error naming the field at fault.
func Invalidf(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err's *Error, EINTERNAL for any other error,
// and "" for nil.
func ErrorCode(err error) string {
	if err == nil { // before e is declared: &e escapes, and most calls pass nil
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the human message of err's *Error, or a generic text
// for other errors so internal details never reach the caller.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrorField returns the field path of err's *Error, if any.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// Prefix returns err with its field path placed under prefix, so a nested
// validator can report "villages.2" and the caller "input.villages.2".
func Prefix(prefix string, err error) error {
	var e *Error
	if err == nil || prefix == "" || !errors.As(err, &e) {
		return err
	}
	field := prefix
	if e.Field != "" {
		field = prefix + "." + e.Field
	}
	return &Error{Code: e.Code, Message: e.Message, Field: field}
}

// Redacted describes err for a log without the values it may quote: the
// code of a renda error, or the Go types of a chain of other errors
// (*fmt.wrapError: *json.SyntaxError). Messages of errors from outside
// (drivers, decoders) can hold field values, so they are not logged.
func Redacted(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		if e.Field != "" {
			return e.Code + " on " + e.Field
		}
		return e.Code
	}
	s := ""
	for i := 0; err != nil && i < 8; i++ {
		if s != "" {
			s += ": "
		}
		s += fmt.Sprintf("%T", err)
		err = errors.Unwrap(err)
	}
	return s
}
