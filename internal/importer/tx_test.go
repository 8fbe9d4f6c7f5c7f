package importer_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"renda/internal/importer"
	"renda/internal/records"
	"renda/internal/storetest"
)

// failingOn is a store's villages that refuse the create of one name, as
// the store refuses a write it finds wrong after the plan (a mock above
// the store: the store under it is real).
type failingOn struct {
	importer.Collection[records.Village]
	name string
}

func (f failingOn) Create(ctx context.Context, x *records.Village) (*records.Village, error) {
	if x.Name == f.name {
		return nil, records.Errorf(records.ECONFLICT, "refused for the test")
	}
	return f.Collection.Create(ctx, x)
}

// TestImportTransaction: an import's writes commit together. An atomic
// import whose write the store refuses stores none of its rows; without
// atomic, the other rows are stored and the refused one is 失败.
func TestImportTransaction(t *testing.T) {
	var b strings.Builder
	b.WriteString("村名,村代码\n")
	for i := range 20 {
		fmt.Fprintf(&b, "新村%02d,1500000%05d\n", i, i)
	}
	if storetest.Default() == storetest.Mongo {
		t.Skip("MongoDB's writes across records are not one transaction (records.Database.InTx)")
	}
	for _, atomic := range []bool{true, false} {
		t.Run(fmt.Sprintf("atomic=%v", atomic), func(t *testing.T) {
			s := MustTownship(t)
			before, err := s.Villages.Count(context.Background(), records.Query{})
			if err != nil {
				t.Fatal(err)
			}
			st := storeOf(s)
			st.Villages = failingOn{Collection: s.Villages, name: "新村07"}
			res, err := importer.Import(context.Background(), st, bytes.NewReader([]byte(b.String())),
				importer.Options{Kind: importer.Villages, Township: "qps", Atomic: atomic})
			if err != nil {
				t.Fatal(err)
			}
			after, err := s.Villages.Count(context.Background(), records.Query{})
			if err != nil {
				t.Fatal(err)
			}
			want := before + 19
			if atomic {
				want = before
			}
			if after != want || res.Count(importer.Failed) != 1 || res.RolledBack != atomic || res.Applied == atomic {
				t.Errorf("%d villages stored (want %d), %d failed, rolled back %v, applied %v: %s", after-before, want-before, res.Count(importer.Failed), res.RolledBack, res.Applied, res.Summary())
			}
		})
	}
}
