package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"renda/internal/records"
)

// shape is how a generated township differs from the demo, drawn from the
// seed: its size, how busy its deputies are, and how its suggestions are
// handled. The demo township itself keeps the demo's figures.
type shape struct {
	villages, deputies int // how many
	activities         int // how many activities, in every year the demo has some
	// How its suggestions are answered: the reply this many days after
	// submission on average (the demo's 25; the deadline is 30), spread
	// as a normal distribution.
	replyDays, replySpread float64
	// How the deputies rate the answers: shares of the rated suggestions.
	satisfied, dissatisfied float64
	// Which departments answer: a share of the suggestions is handed to
	// the demo's departments weighted by departments, the township's own
	// habits.
	reassign    float64
	departments []float64
}

// drawShape draws a township's shape; d is the demo, whose departments
// are those the weights are for (sorted, for the same draw every time).
func drawShape(rng *rand.Rand, d *Dataset, depts []string) shape {
	size := 0.6 + rng.Float64() // 0.6–1.6 times the demo's
	jitter := func() float64 { return 0.85 + 0.3*rng.Float64() }
	sh := shape{
		villages:     max(4, int(math.Round(float64(len(d.Villages))*size*jitter()))),
		deputies:     max(8, int(math.Round(float64(len(d.Deputies))*size*jitter()))),
		activities:   max(1, int(math.Round(float64(len(d.Activities))*(0.5+1.1*rng.Float64())))),
		replyDays:    12 + 28*rng.Float64(), // 12–40 days
		replySpread:  3 + 10*rng.Float64(),
		satisfied:    0.4 + 0.45*rng.Float64(),
		dissatisfied: 0.02 + 0.23*rng.Float64(),
		reassign:     0.1 + 0.5*rng.Float64(),
		departments:  make([]float64, len(depts)),
	}
	for i := range sh.departments {
		sh.departments[i] = rng.ExpFloat64()
	}
	return sh
}

// departments are the demo's departments that answer suggestions, sorted.
func departments(d *Dataset) []string {
	var out []string
	for _, s := range d.Suggestions {
		if s.Department != "" && !slices.Contains(out, s.Department) {
			out = append(out, s.Department)
		}
	}
	slices.Sort(out)
	return out
}

// vary reshapes g, a copy of the demo as township id, to sh: villages
// and deputies dropped or added (the records that named a dropped one
// name a kept one instead; the added deputies take some suggestions and
// join some activities), activities dropped or copied, and its
// suggestions' departments, replies and ratings drawn anew. What it adds
// and draws comes from rng.
func vary(g *Dataset, sh shape, rng *rand.Rand, depts []string) {
	villageTo := resize(&g.Villages, sh.villages, func(v *records.Village, k int) {
		v.ID = fmt.Sprintf("%s-x%d", v.ID, k)
		v.Name = villageName(rng, villageNames(g.Villages))
		v.Code = ""
	})
	var extra []string // the added deputies
	deputyTo := resize(&g.Deputies, sh.deputies, func(x *records.Deputy, k int) {
		x.ID = fmt.Sprintf("%s-x%d", x.ID, k)
		x.Name = personName(rng)
		x.Phone = fmt.Sprintf("139%08d", rng.IntN(100000000))
		for j := range x.Voters {
			x.Voters[j].Name = personName(rng)
		}
		extra = append(extra, x.ID)
	})
	// The added deputies live all over the villages, the added ones too.
	for k, id := range extra {
		i := slices.IndexFunc(g.Deputies, func(x records.Deputy) bool { return x.ID == id })
		g.Deputies[i].VillageID = g.Villages[(k*7)%len(g.Villages)].ID
	}
	one := func(to map[string]string, id string) string {
		if y, ok := to[id]; ok {
			return y
		}
		return id
	}
	many := func(to map[string]string, ids []string) []string {
		out := make([]string, 0, len(ids))
		for _, id := range ids {
			if y := one(to, id); !slices.Contains(out, y) {
				out = append(out, y)
			}
		}
		return out
	}
	for i := range g.Deputies {
		x := &g.Deputies[i]
		x.VillageID = one(villageTo, x.VillageID)
		for j := range x.Voters {
			x.Voters[j].VillageID = one(villageTo, x.Voters[j].VillageID)
		}
	}
	for i := range g.Projects {
		g.Projects[i].VillageIDs = many(villageTo, g.Projects[i].VillageIDs)
	}
	joinShare := float64(len(extra)) / float64(len(g.Deputies))
	for i := range g.Inspections {
		x := &g.Inspections[i]
		x.VillageIDs, x.ParticipantIDs = many(villageTo, x.VillageIDs), many(deputyTo, x.ParticipantIDs)
	}
	for i := range g.Activities {
		x := &g.Activities[i]
		x.VillageIDs, x.ParticipantIDs = many(villageTo, x.VillageIDs), many(deputyTo, x.ParticipantIDs)
		if len(extra) > 0 && len(x.ParticipantIDs) > 0 && rng.Float64() < joinShare {
			if id := extra[rng.IntN(len(extra))]; !slices.Contains(x.ParticipantIDs, id) {
				x.ParticipantIDs = append(x.ParticipantIDs, id)
			}
		}
		if r := x.ReportReview; r != nil {
			c := *r
			c.Results = nil
			for _, res := range r.Results {
				res.DeputyID = one(deputyTo, res.DeputyID)
				if !slices.ContainsFunc(c.Results, func(y records.ReviewResult) bool { return y.DeputyID == res.DeputyID }) {
					c.Results = append(c.Results, res)
				}
			}
			x.ReportReview = &c
		}
	}
	resize(&g.Activities, sh.activities, func(a *records.Activity, k int) {
		a.ID = fmt.Sprintf("%s-c%d", a.ID, k)
	})
	for i := range g.Suggestions {
		s := &g.Suggestions[i]
		s.DeputyID = one(deputyTo, s.DeputyID)
		if len(extra) > 0 && rng.Float64() < joinShare {
			s.DeputyID = extra[rng.IntN(len(extra))]
		}
		if s.Department != "" && rng.Float64() < sh.reassign {
			s.Department = depts[weighted(rng, sh.departments)]
		}
		if s.Satisfaction != nil {
			v := records.BASICALLY_SATISFIED
			switch u := rng.Float64(); {
			case u < sh.satisfied:
				v = records.SATISFIED
			case u < sh.satisfied+sh.dissatisfied:
				v = records.DISSATISFIED
			}
			s.Satisfaction = &v
		}
		// Accepted in 1–3 days, assigned a few days later, replied when
		// the township replies, evaluated and closed after.
		accepted := 1 + rng.IntN(3)
		assigned := accepted + 1 + rng.IntN(4)
		replied := max(assigned+1, int(math.Round(sh.replyDays+sh.replySpread*rng.NormFloat64())))
		evaluated := replied + 3 + rng.IntN(10)
		s.StepDays = []int{accepted, assigned, replied, evaluated, evaluated + 1 + rng.IntN(7)}
	}
}

// resize makes *xs n long: the first n kept, or copies of its records
// added (made distinct by fresh, given the copy and its number from 1).
// It returns, for each record dropped, the kept one to name instead.
func resize[T any, PT interface {
	*T
	GetMeta() *records.Meta
}](xs *[]T, n int, fresh func(x PT, k int)) map[string]string {
	to := map[string]string{}
	have := len(*xs)
	if have == 0 {
		return to
	}
	if n < have {
		for i := n; i < have; i++ {
			to[PT(&(*xs)[i]).GetMeta().ID] = PT(&(*xs)[i%n]).GetMeta().ID
		}
		*xs = (*xs)[:n]
		return to
	}
	for k := 1; len(*xs) < n; k++ {
		c := copyOf((*xs)[(k-1)%have])
		fresh(PT(&c), k)
		*xs = append(*xs, c)
	}
	return to
}

// copyOf is a deep copy of a record, through its JSON.
func copyOf[T any](x T) T {
	var c T
	if err := roundTrip(x, &c); err != nil {
		panic(err) // the demo's records encode and decode
	}
	return c
}

func villageNames(vs []records.Village) map[string]bool {
	used := map[string]bool{}
	for _, v := range vs {
		used[v.Name] = true
	}
	return used
}

// weighted draws an index with probability its weight's share.
func weighted(rng *rand.Rand, w []float64) int {
	total := 0.0
	for _, x := range w {
		total += x
	}
	u := rng.Float64() * total
	for i, x := range w {
		if u < x {
			return i
		}
		u -= x
	}
	return len(w) - 1
}
