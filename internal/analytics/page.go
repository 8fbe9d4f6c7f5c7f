package analytics

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"hash/fnv"
	"strconv"

	"renda/internal/records"
)

// Page is one page of an aggregate's groups.
type Page struct {
	Groups []*Group
	// Cursors are the groups' cursors: after one, the next page starts.
	Cursors []string
	// TotalCount is how many groups there are, all pages together.
	TotalCount  int
	HasNextPage bool
}

// groupCursor is the position after one group: its keys, its index as a
// fallback when the group is gone, and a fingerprint of the request, so a
// cursor is never applied to another grouping, filter or order.
type groupCursor struct {
	Request string `json:"r"`
	Key     string `json:"k"`
	Index   int    `json:"i"`
}

// PageGroups answers first groups of req (having, then order) after the
// cursor after: every group is reachable, and totalCount says how many
// there are. A group still there continues after itself; one gone
// (records changed between pages) after its former place.
func PageGroups(ctx context.Context, s *records.Store, req Request, first int, after string) (*Page, error) {
	if first < 0 || first > records.MaxPageSize {
		return nil, records.Invalidf("first", "first is 0 to %d, got %d; page with after", records.MaxPageSize, first)
	}
	fp := fingerprint(req)
	start := 0
	var cur *groupCursor
	if after != "" {
		c, err := decodeGroupCursor(after, fp)
		if err != nil {
			return nil, err
		}
		cur = c
	}
	groups, err := Groups(ctx, s, req)
	if err != nil {
		return nil, err
	}
	if cur != nil {
		start = min(cur.Index+1, len(groups))
		for i, g := range groups {
			if keyID(g.Keys) == cur.Key {
				start = i + 1
				break
			}
		}
	}
	end := min(start+first, len(groups))
	p := &Page{Groups: groups[start:end], TotalCount: len(groups), HasNextPage: end < len(groups)}
	for i, g := range p.Groups {
		b, _ := json.Marshal(groupCursor{Request: fp, Key: keyID(g.Keys), Index: start + i})
		p.Cursors = append(p.Cursors, base64.RawURLEncoding.EncodeToString(b))
	}
	return p, nil
}

func decodeGroupCursor(s, print string) (*groupCursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c groupCursor
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Index < 0 {
		return nil, records.Invalidf("after", "not a cursor of groups")
	}
	if c.Request != print {
		return nil, records.Invalidf("after", "the cursor is of other groups: page with the same filter, keys, having and orderBy")
	}
	return &c, nil
}

// fingerprint identifies what a page of groups is taken from.
func fingerprint(req Request) string {
	b, _ := json.Marshal(struct {
		Kind      records.Kind
		Townships []string
		Filter    string
		Keys      []Key
		Having    any
		Order     Order
	}{req.Kind, req.Townships, req.Filter.String(), req.Keys, req.Having, req.Order})
	h := fnv.New64a()
	h.Write(b)
	return strconv.FormatUint(h.Sum64(), 36)
}
