package main

import (
	"net/url"

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
