package demo

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"renda/internal/records"
)

// County generates the townships of a county for benchmarks, load tests
// and analyses: n-1 townships made from the demo besides the demo township
// itself (which County does not return, nor change; load it with Load).
// Each has the demo's villages, deputies, projects, inspections,
// activities and suggestions under new ids (t01-…) and names (store them
// with Load), reshaped by a shape drawn for it: about half to nearly twice
// the demo's villages and deputies, half to 1.6 times its activities, and its
// suggestions (as many as the demo's) handed to its own mix of
// departments, answered sooner or later than the demo's (12 to 40 days on
// average, the deadline 30) and rated more or less satisfied. For years
// > 1 the demo year's inspections, activities, suggestions and projects
// come again in each of the years before it. The same seed gives the
// same county.
func County(d *Dataset, n, years int, seed uint64) ([]*Dataset, error) {
	if n < 1 || n > 999 {
		return nil, fmt.Errorf("a county has 1 to 999 townships, not %d", n)
	}
	if years < 1 || years > 50 {
		return nil, fmt.Errorf("1 to 50 years, not %d", years)
	}
	var out []*Dataset
	depts := departments(d)
	for i := 1; i < n; i++ {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		// The shape and what it adds come from a stream of their own, so
		// the records kept from the demo have the names they always had.
		shapes := rand.New(rand.NewPCG(seed, uint64(i)|shapeStream))
		sh := drawShape(shapes, d, depts)
		g, err := township(d, fmt.Sprintf("t%02d", i), rng, years, func(g *Dataset) { vary(g, sh, shapes, depts) })
		if err == nil {
			g.Township.Name = townName(i, seed)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// demoYear is the year the demo dataset's facts are of.
const demoYear = 2023

// shapeStream marks the random stream of a township's shape.
const shapeStream = 1 << 40

// township is a copy of d as township id, with names drawn from rng,
// reshaped by reshape, and the demo year's records repeated over years
// years.
func township(d *Dataset, id string, rng *rand.Rand, years int, reshape func(*Dataset)) (*Dataset, error) {
	var g Dataset
	if err := roundTrip(d, &g); err != nil {
		return nil, err
	}
	ids := map[string]string{}
	rename := func(m *records.Meta) {
		old := m.ID
		m.ID = id + "-" + old
		m.Township = id
		ids[old] = m.ID
	}
	g.Township.ID, g.Township.Township = id, id
	// The congress's records (sessions, presidium meetings, livelihood
	// votes) are the demo township's own: the county's copies leave them
	// out, so its figures and the benchmarks over it stay as they were.
	g.Sessions, g.PresidiumMeetings, g.LivelihoodProjects = nil, nil, nil
	g.Township.County = "演示县"
	for i := range g.Township.Presidium {
		g.Township.Presidium[i].Name = personName(rng)
	}
	usedVillages := map[string]bool{}
	for i := range g.Villages {
		rename(&g.Villages[i].Meta)
		g.Villages[i].Name = villageName(rng, usedVillages)
	}
	for i := range g.Deputies {
		rename(&g.Deputies[i].Meta)
		x := &g.Deputies[i]
		x.Name = personName(rng)
		x.Phone = fmt.Sprintf("139%08d", rng.IntN(100000000))
		for j := range x.Voters {
			x.Voters[j].Name = personName(rng)
			x.Voters[j].Contact = ""
			for k := range x.Voters[j].Contacts {
				x.Voters[j].Contacts[k].SuggestionID = ""
			}
		}
	}
	for i := range g.Projects {
		rename(&g.Projects[i].Meta)
	}
	for i := range g.Inspections {
		rename(&g.Inspections[i].Meta)
	}
	for i := range g.Activities {
		rename(&g.Activities[i].Meta)
	}
	for i := range g.Suggestions {
		rename(&g.Suggestions[i].Meta)
	}
	mapIDs := func(xs []string) []string {
		out := make([]string, 0, len(xs))
		for _, x := range xs {
			if y, ok := ids[x]; ok {
				out = append(out, y)
			}
		}
		return out
	}
	one := func(x string) string {
		if x == "" {
			return ""
		}
		return ids[x]
	}
	for i := range g.Deputies {
		x := &g.Deputies[i]
		x.VillageID = one(x.VillageID)
		for j := range x.Voters {
			x.Voters[j].VillageID = one(x.Voters[j].VillageID)
		}
	}
	for i := range g.Projects {
		g.Projects[i].VillageIDs = mapIDs(g.Projects[i].VillageIDs)
	}
	for i := range g.Inspections {
		x := &g.Inspections[i]
		x.ParticipantIDs, x.VillageIDs, x.ProjectIDs = mapIDs(x.ParticipantIDs), mapIDs(x.VillageIDs), mapIDs(x.ProjectIDs)
	}
	for i := range g.Activities {
		x := &g.Activities[i]
		x.ParticipantIDs, x.VillageIDs, x.ProjectIDs = mapIDs(x.ParticipantIDs), mapIDs(x.VillageIDs), mapIDs(x.ProjectIDs)
	}
	for i := range g.Suggestions {
		g.Suggestions[i].DeputyID = one(g.Suggestions[i].DeputyID)
		g.Suggestions[i].ReceptionID, g.Suggestions[i].ReceptionItemID = "", ""
	}
	for i := range g.Activities {
		if r := g.Activities[i].ReportReview; r != nil {
			c := *r
			c.Results = make([]records.ReviewResult, len(r.Results))
			for j, x := range r.Results {
				x.DeputyID = one(x.DeputyID)
				c.Results[j] = x
			}
			g.Activities[i].ReportReview = &c
		}
	}
	// The county's townships keep the records the analysts' figures and
	// the benchmarks were measured on: no reception days or point rules.
	g.Receptions, g.PointRules, g.Submissions = nil, nil, nil
	reshape(&g)
	for back := 1; back < years; back++ {
		repeatYear(&g, back)
	}
	return &g, nil
}

// roundTrip copies from into to through their JSON: a deep copy.
func roundTrip(from, to any) error {
	b, err := json.Marshal(from)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, to)
}

// repeatYear adds the demo year's projects, inspections, activities and
// suggestions again, back years earlier.
func repeatYear(g *Dataset, back int) {
	suffix := fmt.Sprintf("-y%d", demoYear-back)
	projects := map[string]string{}
	var ps []records.Project
	for _, p := range g.Projects {
		if p.Year == demoYear {
			old := p.ID
			p.ID += suffix
			p.Year -= back
			projects[old] = p.ID
			ps = append(ps, p)
		}
	}
	g.Projects = append(g.Projects, ps...)
	remap := func(xs []string) []string {
		out := make([]string, len(xs))
		for i, x := range xs {
			out[i] = x
			if y, ok := projects[x]; ok {
				out[i] = y
			}
		}
		return out
	}
	var is []records.Inspection
	for _, x := range g.Inspections {
		if x.Date.Date.Time().Year() == demoYear {
			x.ID += suffix
			x.Date.Date = shift(x.Date.Date, back)
			x.ProjectIDs = remap(x.ProjectIDs)
			is = append(is, x)
		}
	}
	g.Inspections = append(g.Inspections, is...)
	var as []records.Activity
	for _, a := range g.Activities {
		if a.Date.Date.Time().Year() == demoYear {
			a.ID += suffix
			a.Date.Date = shift(a.Date.Date, back)
			a.ProjectIDs = remap(a.ProjectIDs)
			as = append(as, a)
		}
	}
	g.Activities = append(g.Activities, as...)
	var ss []DemoSuggestion
	for _, s := range g.Suggestions {
		if s.Submitted.Time().Year() == demoYear {
			s.ID += suffix
			s.Submitted = shift(s.Submitted, back)
			if s.Deadline != nil {
				d := shift(*s.Deadline, back)
				s.Deadline = &d
			}
			ss = append(ss, s)
		}
	}
	g.Suggestions = append(g.Suggestions, ss...)
}

// shift moves a date back years years (29 February to the 28th).
func shift(d records.Date, years int) records.Date {
	t := d.Time()
	y := time.Date(t.Year()-years, t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	if y.Month() != t.Month() {
		y = y.AddDate(0, 0, -y.Day())
	}
	return records.DateOf(y)
}

// Names in the local style, from a seeded generator.
var (
	surnames    = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
	givenChars  = []rune("建国华明丽军平芳红英伟敏静秀兰海涛玉梅志强桂云霞德春林宏文杰东晓刚峰光辉金凤淑珍永福庆荣利俊勇")
	placeFirst  = []rune("东西南北前后大小上下新老高长青红石马杨柳黄白河沟岭山川坡岗湾泉")
	placeSecond = []rune("家营堡屯庄沟湾岭台洼坪寨")
	townNames   = strings.Fields("青松 龙泉 白马 红旗 桃源 金山 太平 长岭 兴隆 福安 永和 双河 柳林 三道 东升 西岗 南台 北沟 万寿 清水 黑山 石门 杨树 榆树 大营 小营 新立 前进 红星 光明 朝阳 向阳 和平 团结 胜利 五一 二道 四方 八里 九台")
)

func pick(rng *rand.Rand, rs []rune) string { return string(rs[rng.IntN(len(rs))]) }

func personName(rng *rand.Rand) string {
	n := pick(rng, surnames) + pick(rng, givenChars)
	if rng.IntN(3) > 0 {
		n += pick(rng, givenChars)
	}
	return n
}

func villageName(rng *rand.Rand, used map[string]bool) string {
	for {
		n := pick(rng, placeFirst) + pick(rng, placeSecond) + "村"
		if rng.IntN(4) == 0 {
			n = pick(rng, placeFirst) + pick(rng, placeFirst) + pick(rng, placeSecond) + "村"
		}
		if !used[n] {
			used[n] = true
			return n
		}
	}
}

// townName names the i-th generated township; the names go round the
// list in an order the seed chooses.
func townName(i int, seed uint64) string {
	n := len(townNames)
	name := townNames[(uint64(i)*7+seed)%uint64(n)] + "镇"
	if i > n {
		name = fmt.Sprintf("%s%d", name, i/n+1)
	}
	return name
}
