package graph

import (
	"context"
	"encoding/json"
	"errors"
	"github.com/vektah/gqlparser/v2/ast"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"renda/internal/records"
)

// MaxResponseBytes bounds what one operation may build. Every field counts
// the bytes of its value plus fieldOverhead, roughly what it costs as JSON
// and in memory while the response is built; once the sum passes the limit
// the operation stops resolving fields and answers one error, without data.
const MaxResponseBytes = 16 << 20

// fieldOverhead is what every field counts besides its value: its name and
// punctuation in JSON, and the marshaller gqlgen keeps for it meanwhile.
const fieldOverhead = 32

// meter watches one operation: the bytes its fields produced and its
// deadline. Once it trips, every further field fails at once and its error
// is dropped, so an operation over a limit ends quickly with one error.
type meter struct {
	bytes atomic.Int64
	max   int64

	once  sync.Once
	cause atomic.Pointer[records.Error]
}

type meterKey struct{}

func meterFrom(ctx context.Context) *meter { m, _ := ctx.Value(meterKey{}).(*meter); return m }

// trip stops the operation with err; the first cause wins.
func (m *meter) trip(err *records.Error) { m.once.Do(func() { m.cause.Store(err) }) }

func (m *meter) tripped() *records.Error { return m.cause.Load() }

// errStopped is what fields return after the meter tripped; the error
// presenter drops it.
var errStopped = errors.New("operation stopped")

// meterExtension installs a meter for every operation and enforces it on
// every field.
type meterExtension struct{ max int64 }

var (
	_ graphql.HandlerExtension     = meterExtension{}
	_ graphql.OperationInterceptor = meterExtension{}
	_ graphql.ResponseInterceptor  = meterExtension{}
	_ graphql.FieldInterceptor     = meterExtension{}
)

// InterceptOperation answers TIMEOUT for an operation whose context ended
// before it ran: gqlgen answers nothing then (nil, its end of a stream).
// A subscription's end is its stream's end, passed on as it is (an error
// there would be sent and the next answer asked for, without end).
func (meterExtension) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	h := next(ctx)
	if oc := graphql.GetOperationContext(ctx); oc != nil && oc.Operation != nil && oc.Operation.Operation == ast.Subscription {
		return h
	}
	return func(ctx context.Context) *graphql.Response {
		if resp := h(ctx); resp != nil || ctx.Err() == nil {
			return resp
		}
		cause := timeoutError(ctx)
		return &graphql.Response{Errors: gqlerror.List{{Message: cause.Message, Extensions: map[string]any{"code": codes[cause.Code]}}}}
	}
}

func (meterExtension) ExtensionName() string                   { return "ResponseMeter" }
func (meterExtension) Validate(graphql.ExecutableSchema) error { return nil }

func (e meterExtension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	m := meterFrom(ctx)
	if m == nil { // the first response of the operation (subscriptions would repeat)
		// A run that reads pages larger than MaxPageSize (an export,
		// records.WithPageLimit) may answer what its pages stand for.
		m = &meter{max: e.max * int64(records.PageScale(ctx))}
		ctx = context.WithValue(ctx, meterKey{}, m)
	}
	resp := next(ctx)
	if cause := m.tripped(); cause != nil {
		gerr := &gqlerror.Error{Message: cause.Message, Extensions: map[string]any{"code": codes[cause.Code]}}
		if cause.Field != "" {
			gerr.Extensions["field"] = cause.Field
		}
		return &graphql.Response{Errors: gqlerror.List{gerr}}
	}
	return resp
}

func (meterExtension) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	m := meterFrom(ctx)
	if m == nil {
		return next(ctx)
	}
	if m.tripped() != nil {
		return nil, errStopped
	}
	if err := ctx.Err(); err != nil {
		m.trip(timeoutError(ctx))
		return nil, errStopped
	}
	res, err := next(ctx)
	n := int64(fieldOverhead + valueBytes(res))
	if m.bytes.Add(n) > m.max {
		m.trip(records.Errorf(records.EINVALID, "the answer would be larger than %d MiB; ask for fewer items (first), fewer fields or a narrower filter", m.max>>20))
		return nil, errStopped
	}
	if records.ErrorCode(err) == records.ETIMEOUT {
		// The driver gives up a little before the deadline, when a round
		// trip would not fit in what is left: its plain words get advice.
		// A resolver's own account of what ran out of time (an import
		// waiting for its turn) is kept.
		cause := records.Errorf(records.ETIMEOUT, "the request ran out of time; ask for less or try again later")
		if msg := records.ErrorMessage(err); msg != "" && msg != "the request ran out of time" && msg != "the request was cancelled" {
			cause = records.Errorf(records.ETIMEOUT, "%s", msg)
		}
		m.trip(cause)
		return nil, errStopped
	}
	return res, err
}

// timeoutError says why ctx ended.
func timeoutError(ctx context.Context) *records.Error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return records.Errorf(records.ETIMEOUT, "the request ran out of time; ask for less or try again later")
	}
	return records.Errorf(records.ETIMEOUT, "the request was cancelled")
}

// valueBytes estimates the size of a resolved value: the length of strings,
// eight bytes a number, and for a list its items; objects count only their
// fields, which are metered as they resolve.
func valueBytes(v any) int {
	switch x := v.(type) {
	case nil:
		return 4
	case string:
		return len(x) + 2
	case *string:
		if x == nil {
			return 4
		}
		return len(*x) + 2
	case []string:
		n := 2
		for _, s := range x {
			n += len(s) + 3
		}
		return n
	case int, int64, float64, bool, *int, *float64, *bool:
		return 8
	case time.Time:
		return 26
	case map[string]any:
		n, err := jsonSize(x)
		if err != nil {
			return 4
		}
		return n
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice {
		return 2 + rv.Len()*2
	}
	return 2
}

func jsonSize(v any) (int, error) {
	b, err := json.Marshal(v)
	return len(b), err
}
