// Package httperr answers a plain HTTP request (a report download, an
// export) with renda's error: its code mapped once to an HTTP status, its
// message and field as text; internal errors are logged without their
// details and answered without any.
package httperr

import (
	"fmt"
	"log/slog"
	"net/http"

	"renda/internal/records"
)

var status = map[string]int{
	records.EINVALID:      http.StatusBadRequest,
	records.ENOTFOUND:     http.StatusNotFound,
	records.ECONFLICT:     http.StatusConflict,
	records.EFORBIDDEN:    http.StatusForbidden,
	records.EUNAUTHORIZED: http.StatusUnauthorized,
	records.ETIMEOUT:      http.StatusServiceUnavailable,
	records.EBUSY:         http.StatusServiceUnavailable,
}

// Status is the HTTP status of err: 500 for an internal one.
func Status(err error) int {
	if s, ok := status[records.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Write answers r with err as text, "field: message"; what (report,
// export) names the endpoint in the log of an internal error.
func Write(w http.ResponseWriter, log *slog.Logger, r *http.Request, what string, err error) {
	code := Status(err)
	msg := records.ErrorMessage(err)
	if code == http.StatusInternalServerError {
		msg = "internal error"
		log.ErrorContext(r.Context(), what, "err", records.Redacted(err), "path", r.URL.Path)
	}
	if f := records.ErrorField(err); f != "" {
		msg = f + ": " + msg
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(code)
	_, _ = fmt.Fprintln(w, msg)
}
