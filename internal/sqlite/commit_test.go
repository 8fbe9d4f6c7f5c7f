package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"renda/internal/records"
	"renda/internal/storetest"
)

// TestGroupCommit: writes that arrive together are committed together,
// yet each is answered as if it ran alone: those refused (an id taken, a
// transaction that fails, one that panics, one past its deadline) store
// nothing and leave the others of their batch stored, and the audit chain
// holds.
func TestGroupCommit(t *testing.T) {
	s := storetest.MustSQLite(t).Records()
	ctx := context.Background()
	storetest.MustTownships(t, s, "ta")
	if _, err := s.Villages.Create(ctx, &records.Village{Meta: records.Meta{ID: "taken", Township: "ta"}, Name: "旧村"}); err != nil {
		t.Fatal(err)
	}
	const n = 60
	errs := make([]error, n)
	panics := make([]any, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			defer func() { panics[i] = recover() }()
			v := &records.Village{Meta: records.Meta{ID: fmt.Sprintf("v%02d", i), Township: "ta"}, Name: fmt.Sprintf("村%d", i)}
			switch i % 5 {
			case 0, 1:
				_, errs[i] = s.Villages.Create(ctx, v)
			case 2: // an id taken
				v.ID = "taken"
				_, errs[i] = s.Villages.Create(ctx, v)
			case 3: // a transaction that writes, then fails
				errs[i] = s.InTx(ctx, func(ctx context.Context) error {
					if _, err := s.Villages.Create(ctx, v); err != nil {
						return err
					}
					if i%2 == 1 {
						panic("a write that panics")
					}
					return errors.New("changed my mind")
				})
			case 4: // a transaction that writes, then runs past its deadline
				dctx, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
				defer cancel()
				errs[i] = s.InTx(dctx, func(ctx context.Context) error {
					if _, err := s.Villages.Create(ctx, v); err != nil {
						return err
					}
					time.Sleep(50 * time.Millisecond)
					return ctx.Err()
				})
			}
		})
	}
	wg.Wait()
	for i := range n {
		id := fmt.Sprintf("v%02d", i)
		_, getErr := s.Villages.Get(ctx, id)
		switch i % 5 {
		case 0, 1:
			if errs[i] != nil || getErr != nil {
				t.Errorf("create %s: %v, then get: %v; want stored", id, errs[i], getErr)
			}
		case 2:
			if records.ErrorCode(errs[i]) != records.ECONFLICT {
				t.Errorf("create over a taken id: %v, want CONFLICT", errs[i])
			}
		case 3:
			if i%2 == 1 && panics[i] == nil || i%2 == 0 && errs[i] == nil || records.ErrorCode(getErr) != records.ENOTFOUND {
				t.Errorf("a failed transaction (%s): answered %v / panic %v, then get: %v; want refused and nothing stored", id, errs[i], panics[i], getErr)
			}
		case 4:
			if errs[i] == nil || records.ErrorCode(getErr) != records.ENOTFOUND {
				t.Errorf("a transaction past its deadline (%s): %v, then get: %v; want refused and nothing stored", id, errs[i], getErr)
			}
		}
	}
	check, err := s.VerifyAudit(ctx, nil)
	if err != nil || check.Broken != nil {
		t.Fatalf("verify: %+v %v", check, err)
	}
	if want := 1 + 1 + 2*n/5; check.Chained != want {
		t.Errorf("%d entries chained, want %d (a township, a village, and the creates that were stored)", check.Chained, want)
	}
}
