package main

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"renda/internal/records"
)

// recordsAll is a query with no filter, for counting everything.
var recordsAll = records.Query{}

func parseURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", err
	}
	return u.Redacted(), nil
}

// byteSize is a flag of a number of bytes: 268435456, 256MiB, 16KiB, 1GiB.
type byteSize int64

func (b *byteSize) String() string { return strconv.FormatInt(int64(*b), 10) }

func (b *byteSize) Set(s string) error {
	num, mult := strings.TrimSpace(s), int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"B", 1}} {
		if n, ok := strings.CutSuffix(num, u.suffix); ok {
			num, mult = strings.TrimSpace(n), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 1 || n > (1<<62)/mult {
		return fmt.Errorf("%q is not a size: write 256MiB, 64KiB, 1GiB or a number of bytes", s)
	}
	*b = byteSize(n * mult)
	return nil
}
