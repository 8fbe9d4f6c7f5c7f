package importer

import (
	"context"
	"sync/atomic"

	"renda/internal/records"
)

// DefaultConcurrency is how many imports a server runs at once: reading a
// workbook takes a core and tens of megabytes, and a township imports a
// roster a few times a year.
const DefaultConcurrency = 2

// Slots bounds how many imports run at once. An import waits for a slot
// until its context ends, then gives up with TIMEOUT, having read nothing.
type Slots struct {
	ch      chan struct{}
	waiting atomic.Int32
}

// NewSlots returns n slots (DefaultConcurrency when n < 1).
func NewSlots(n int) *Slots {
	if n < 1 {
		n = DefaultConcurrency
	}
	return &Slots{ch: make(chan struct{}, n)}
}

// Acquire takes a slot, waiting until ctx ends; release gives it back.
func (s *Slots) Acquire(ctx context.Context) (release func(), err error) {
	select {
	case s.ch <- struct{}{}: // free: no wait
	default:
		s.waiting.Add(1)
		select {
		case s.ch <- struct{}{}:
			s.waiting.Add(-1)
		case <-ctx.Done():
			s.waiting.Add(-1)
			return nil, records.Errorf(records.ETIMEOUT, "服务器正在处理其他导入（同时最多 %d 个），本次导入等到请求的时限也没有轮到，没有读取文件，也没有写入任何记录；请稍后重试", cap(s.ch))
		}
	}
	if ctx.Err() != nil { // a slot came free as the deadline passed
		<-s.ch
		return nil, stopped(ctx)
	}
	return func() { <-s.ch }, nil
}

// Running is how many imports hold a slot; Waiting how many wait for one.
func (s *Slots) Running() int { return len(s.ch) }
func (s *Slots) Waiting() int { return int(s.waiting.Load()) }

// Size is how many imports may run at once.
func (s *Slots) Size() int { return cap(s.ch) }
