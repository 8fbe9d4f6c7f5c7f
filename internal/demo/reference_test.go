package demo_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"renda/internal/records"
	"renda/internal/storetest"
)

// township is every record of the demo township, read back from the store.
type township struct {
	T           *records.Township
	Villages    map[string]*records.Village
	Deputies    []*records.Deputy
	Projects    []*records.Project
	Inspections []*records.Inspection
	Activities  []*records.Activity
	Suggestions []*records.Suggestion
}

// MustLoadDemo loads the demo into a fresh store and reads it all back.
func MustLoadDemo(tb testing.TB) *township {
	tb.Helper()
	ctx := context.Background()
	s := storetest.MustDemo(tb)
	q := records.Query{Townships: []string{"qps"}, First: records.MaxPageSize}
	x := &township{Villages: map[string]*records.Village{}}
	var err error
	if x.T, err = s.Townships.Get(ctx, "qps"); err != nil {
		tb.Fatal(err)
	}
	for _, v := range mustAll(tb, s.Villages, q) {
		x.Villages[v.ID] = v
	}
	x.Deputies = mustAll(tb, s.Deputies, q)
	x.Projects = mustAll(tb, s.Projects, q)
	x.Inspections = mustAll(tb, s.Inspections, q)
	x.Activities = mustAll(tb, s.Activities, q)
	x.Suggestions = mustAll(tb, s.Suggestions, q)
	return x
}

func mustAll[T any, PT records.Record[T]](tb testing.TB, c records.Collection[T, PT], q records.Query) []*T {
	tb.Helper()
	page, err := c.Find(context.Background(), q)
	if err != nil {
		tb.Fatal(err)
	}
	if page.HasNextPage {
		tb.Fatalf("more than %d records of one kind; read them page by page", q.First)
	}
	return page.Items
}

func (x *township) activities(kind records.ActivityKind, year int) []*records.Activity {
	var out []*records.Activity
	for _, a := range x.Activities {
		if a.Kind == kind && a.Date.Year == year {
			out = append(out, a)
		}
	}
	return out
}

func (x *township) villageNames(ids []string) []string {
	var out []string
	for _, id := range ids {
		out = append(out, x.Villages[id].Name)
	}
	return out
}

func (x *township) levels(ids []string) map[records.Level]bool {
	byID := map[string]*records.Deputy{}
	for _, d := range x.Deputies {
		byID[d.ID] = d
	}
	out := map[records.Level]bool{}
	for _, id := range ids {
		for _, l := range byID[id].Levels {
			out[l] = true
		}
	}
	return out
}

func headcount(people []records.Headcount, kind string) int {
	n := 0
	for _, h := range people {
		if kind == "" || h.Kind == kind {
			n += h.Count
		}
	}
	return n
}

func countItems(items []string, suffix string) int {
	n := 0
	for _, it := range items {
		if strings.HasSuffix(it, suffix) {
			n++
		}
	}
	return n
}

// referencePath is the reference document the demo is drawn from; it
// travels with the repository.
const referencePath = "../../testdata/reference/annual-summary.zh-Hans.txt"

// TestReferenceFigures walks the reference document (testdata/reference)
// section by section and checks that the demo records back every figure
// and date in it, as the annual-summary report will count them.
func TestReferenceFigures(t *testing.T) {
	x := MustLoadDemo(t)
	const year = 2023

	t.Run("ReferenceInRepo", func(t *testing.T) {
		// The figures below are the reference's: they must be in the copy the repository carries.
		text, err := os.ReadFile(referencePath)
		if err != nil {
			t.Fatalf("the reference document is not in the repository: %v", err)
		}
		for _, fact := range []string{"挤出一万元资金为镇人大配备了微机一台", "全镇15个村就有13个村进行了村路建设", "总里程长达60多公里",
			"16个施工队参与竞争", "代表56人", "县级优秀代表2名,镇级优秀代表5名", "明年我们准备组织人大代表对政府镇长的工作进行评议"} {
			if !strings.Contains(string(text), fact) {
				t.Errorf("%s does not say %q", referencePath, fact)
			}
		}
	})

	t.Run("Intro", func(t *testing.T) {
		if x.T.Name != "棋盘山镇" || x.T.County == "" || strings.Contains(x.T.County, "×") {
			t.Fatalf("township %q of %q; want 棋盘山镇 of its county, named (the summary prints it)", x.T.Name, x.T.County)
		}
	})

	t.Run("1_Standardization", func(t *testing.T) {
		std := x.activities(records.STANDARDIZATION, year)
		if len(std) != 3 {
			t.Fatalf("%d standardization records, want 3 (一是/二是/三是)", len(std))
		}
		var items []string
		var yuan float64
		var home bool
		for _, a := range std {
			items = append(items, a.Standardization.Items...)
			if a.Standardization.AmountYuan != nil {
				yuan += *a.Standardization.AmountYuan
			}
			home = home || strings.Contains(a.Location, "五楼")
		}
		if !home || yuan != 10000 || !slices.Contains(items, "微机一台") {
			t.Errorf("五楼 %v, %.0f yuan, 微机一台 %v; want the fifth-floor room refitted and 一万元 for 微机一台", home, yuan, slices.Contains(items, "微机一台"))
		}
		if got := []int{countItems(items, "职责"), countItems(items, "制度"), countItems(items, "簿"), countItems(items, "册")}; !slices.Equal(got, []int{3, 6, 6, 1}) {
			t.Errorf("职责/制度/簿/册 = %v, want [3 6 6 1] (三个职责, 六个制度, 六簿一册)", got)
		}
		roles := map[string]int{}
		for _, m := range x.T.Presidium {
			roles[m.Role]++
		}
		if roles["专职秘书"] != 1 || roles["兼职信息员"] != 2 {
			t.Errorf("presidium office roles %v; want 一名专职秘书 and 两名兼职信息员", roles)
		}
	})

	t.Run("2_DeliberationDays", func(t *testing.T) {
		del := x.activities(records.DELIBERATION, year)
		var school, pilot, street []*records.Activity
		for _, a := range del {
			switch {
			case a.Location == "张家湾乡":
				school = append(school, a)
			case slices.Contains(a.Tags, "二十九号村试点"):
				pilot = append(pilot, a)
			case a.Location == "棋盘山村":
				street = append(street, a)
			}
		}
		if len(school) != 1 || len(pilot) != 3 || len(street) != 1 || len(del) != 5 {
			t.Fatalf("school %d, pilot meetings %d, street %d of %d; want 1, 3 (三次代表会), 1", len(school), len(pilot), len(street), len(del))
		}
		s := school[0]
		if s.Date.Text() != "4月5日" || len(s.ParticipantIDs) != 23 || headcount(s.OtherParticipants, "镇中心校负责人") == 0 {
			t.Errorf("school day %s with %d deputies; want 4月5日, 23名人大代表 and 镇中心校负责人", s.Date.Text(), len(s.ParticipantIDs))
		}
		var teams int
		var unanimous bool
		for _, a := range pilot {
			if x.villageNames(a.VillageIDs)[0] != "二十九号村" {
				t.Errorf("pilot meeting %s in %v, want 二十九号村", a.ID, x.villageNames(a.VillageIDs))
			}
			if v := a.Deliberation.Votes; v != nil && v.Against == 0 && v.Abstain == 0 && v.For > 0 {
				unanimous = true
			}
		}
		for _, p := range x.Projects {
			if p.Bidding != nil && slices.Contains(pilot[0].ProjectIDs, p.ID) {
				teams = p.Bidding.Teams
			}
		}
		if teams != 16 || !unanimous {
			t.Errorf("pilot road bid by %d teams, unanimous %v; want 16个施工队, 全体代表一致同意", teams, unanimous)
		}
		st := street[0]
		people := len(st.ParticipantIDs) + headcount(st.OtherParticipants, "")
		lv := x.levels(st.ParticipantIDs)
		if people != 56 || !lv[records.CITY] || !lv[records.COUNTY] || !lv[records.TOWNSHIP] || headcount(st.OtherParticipants, "村民代表") == 0 {
			t.Errorf("street day: %d people, levels %v; want 56人 of 市、县、镇三级代表及村民代表", people, lv)
		}
	})

	t.Run("3_Inspections", func(t *testing.T) {
		byText := map[string]*records.Inspection{}
		for _, in := range x.Inspections {
			if in.Date.Year == year {
				byText[in.Date.Text()] = in
			}
		}
		for _, want := range []string{"春季", "9月11日", "10月中旬", "上半年", "7月中旬"} {
			if byText[want] == nil {
				t.Errorf("no inspection dated %s", want)
			}
		}
		if n := len(byText["9月11日"].VillageIDs); n != len(x.Villages) || n != 15 {
			t.Errorf("9月11日 inspection covered %d of %d villages, want 全镇15个村", n, len(x.Villages))
		}
		if lv := x.levels(byText["9月11日"].ParticipantIDs); len(lv) != 3 {
			t.Errorf("9月11日 inspection levels %v, want 市、县、镇三级", lv)
		}
		if got := x.villageNames(byText["7月中旬"].VillageIDs); !slices.Equal(got, []string{"二十九号村", "甘六号村", "罗字十号村"}) {
			t.Errorf("7月中旬 road inspection visited %v, want 二十九号村、甘六号村、罗字十号村", got)
		}
		roadVillages := map[string]bool{}
		var km, cement float64
		for _, p := range x.Projects {
			if p.Kind != records.ROAD || p.Year != year {
				continue
			}
			for _, v := range p.VillageIDs {
				roadVillages[v] = true
			}
			km += *p.LengthKm
			if p.Surface != nil && *p.Surface == records.CEMENT {
				cement += *p.LengthKm
			}
		}
		if len(roadVillages) != 13 || km < 60 || km >= 70 || cement < 20 || cement >= 30 {
			t.Errorf("roads in %d villages, %.1f km, %.1f km cement; want 13个村, 60多公里, 20多公里", len(roadVillages), km, cement)
		}
		var demoVillages []string
		for _, v := range x.Villages {
			for _, d := range v.Designations {
				if d.Title == "市级文明生态示范村" {
					demoVillages = append(demoVillages, v.ID)
				}
			}
		}
		slices.Sort(demoVillages)
		eco := byText["11月"]
		if eco == nil || len(demoVillages) != 2 || !slices.Equal(slices.Sorted(slices.Values(eco.VillageIDs)), demoVillages) {
			t.Errorf("city-level demo villages %v, eco inspection %v; want 2, both inspected", demoVillages, eco)
		}
	})

	t.Run("4_Appraisals", func(t *testing.T) {
		var deptRounds, officials int
		var first *records.Activity
		for _, a := range x.activities(records.APPRAISAL, year) {
			kinds := map[string]int{}
			for _, s := range a.Appraisal.Subjects {
				kinds[s.SubjectKind]++
			}
			if kinds["DEPARTMENT"] > 0 {
				deptRounds++
				if first == nil || a.Date.Date < first.Date.Date {
					first = a
				}
			}
			officials += kinds["OFFICIAL"]
		}
		if deptRounds < 2 {
			t.Errorf("%d appraisal rounds of departments, want 两次以上", deptRounds)
		}
		if officials != 4 {
			t.Errorf("%d officials appraised, want 四个副镇长", officials)
		}
		verdicts := map[string]int{}
		for _, s := range first.Appraisal.Subjects {
			verdicts[s.Verdict]++
			if !slices.Contains(s.Methods, "质询") || !slices.Contains(s.Methods, "测评票") {
				t.Errorf("%s appraised by %v, want 质询 and 测评票", s.Name, s.Methods)
			}
		}
		if len(first.Appraisal.Subjects) != 15 || verdicts["最满意"] != 1 || verdicts["最不满意"] != 1 {
			t.Errorf("first round: %d stations, verdicts %v; want 15个基层站所, one 最满意, one 最不满意", len(first.Appraisal.Subjects), verdicts)
		}
	})

	t.Run("5_GroupDays", func(t *testing.T) {
		for y := year - 2; y <= year; y++ {
			var got []string
			for _, a := range x.activities(records.GROUP_DAY, y) {
				got = append(got, string(a.Date.Date)[5:])
			}
			slices.Sort(got)
			if want := []string{"01-10", "04-10", "07-10", "10-10"}; !slices.Equal(got, want) {
				t.Errorf("%d group days on %v, want %v (每季度第一个月的10日, 坚持了三年, 从未间断)", y, got, want)
			}
		}
	})

	t.Run("6_DeputiesAndVoters", func(t *testing.T) {
		if this, last := len(x.activities(records.VISIT, year)), len(x.activities(records.VISIT, year-1)); this != 4 || last != 1 {
			t.Errorf("visits %d this year, %d last; want 由每年一次改为四次", this, last)
		}
		honours := map[records.Level]int{}
		for _, d := range x.Deputies {
			local := slices.Contains(d.Levels, records.COUNTY) || slices.Contains(d.Levels, records.TOWNSHIP)
			if local && len(d.Voters) != 2 {
				t.Errorf("%s (%v) keeps contact with %d voters, want 2 (每名县镇人大代表联系2名选民)", d.Name, d.Levels, len(d.Voters))
			}
			for _, h := range d.Honours {
				if h.Year == year && strings.Contains(h.Title, "优秀") {
					honours[h.Level]++
				}
			}
		}
		if honours[records.COUNTY] != 2 || honours[records.TOWNSHIP] != 5 {
			t.Errorf("honours %v, want 县级优秀代表2名, 镇级优秀代表5名", honours)
		}
		// 每名代表每月至少反馈一条有价值的信息或建议: the rule the duty record
		// checks; some deputies keep it all year, and the rest show gaps.
		months := map[string]map[int]bool{}
		for _, s := range x.Suggestions {
			if s.Valuable && s.Year == year {
				if months[s.DeputyID] == nil {
					months[s.DeputyID] = map[int]bool{}
				}
				months[s.DeputyID][s.Month] = true
			}
		}
		full := 0
		for _, m := range months {
			if len(m) == 12 {
				full++
			}
		}
		if full == 0 || full == len(x.Deputies) {
			t.Errorf("%d of %d deputies have a valuable item every month; want some, not all, so the report has both to say", full, len(x.Deputies))
		}
	})
}
