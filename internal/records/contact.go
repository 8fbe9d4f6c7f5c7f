package records

import "strings"

// DeputyContact is what a work summary says of a township's deputies and
// their voters (代表联系选民) in a year: the county and township deputies
// (县镇人大代表) on the roster, the voters they keep in contact with, and
// the year's honours of 优秀代表 by the level that gave them.
type DeputyContact struct {
	Year     int
	Deputies int // county or township deputies on the roster
	Voters   int // the voters they keep in contact with
	// VotersEach is how many voters each keeps when every one keeps as
	// many (每名县镇人大代表联系N名选民); nil when they differ or there are
	// none.
	VotersEach        *int
	ExcellentCounty   int // honours of the year titled 优秀…, at county level
	ExcellentTownship int // …at township level
}

// NewDeputyContact counts a township's roster for year.
func NewDeputyContact(roster []*Deputy, year int) DeputyContact {
	c := DeputyContact{Year: year}
	each, uniform := -1, true
	for _, d := range roster {
		for _, h := range d.Honours {
			if h.Year != year || !strings.Contains(h.Title, "优秀") {
				continue
			}
			switch h.Level {
			case COUNTY:
				c.ExcellentCounty++
			case TOWNSHIP:
				c.ExcellentTownship++
			}
		}
		if !d.HasLevel(COUNTY) && !d.HasLevel(TOWNSHIP) {
			continue
		}
		n := len(d.Voters)
		c.Deputies++
		c.Voters += n
		if each >= 0 && n != each {
			uniform = false
		}
		each = n
	}
	if c.Deputies > 0 && uniform {
		c.VotersEach = &each
	}
	return c
}
