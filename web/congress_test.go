package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"renda/internal/records"
)

// TestConsoleCongress records a session through the console as a clerk
// does: the roll call in one click (全部出席) with two deputies then
// marked on leave, three votes typed in, one of which fails by the rule
// (18 yes of 35 present: a majority of those present, not of all 37
// deputies). The verdicts the page shows are the server's, and so is what
// is stored. The presidium's meetings and the livelihood vote list the
// demo's records.
func TestConsoleCongress(t *testing.T) {
	srv := MustServer(t, false)
	tab := MustBrowser(t, srv)
	ctx := context.Background()
	in := &records.CongressSession{Meta: records.Meta{ID: "cs-test", Township: "qps"}, Term: 18, Sitting: 5, Start: "2024-06-20", Place: "镇政府会议室",
		AgendaItems: []records.AgendaItem{
			{Order: 1, Title: "听取和审议镇人民政府工作报告", Kind: records.AGENDA_REPORT},
			{Order: 2, Title: "审议关于调整民生实事项目的议案", Kind: records.AGENDA_DECISION},
			{Order: 3, Title: "审议镇人大主席团工作报告", Kind: records.AGENDA_REPORT},
		}}
	if _, err := srv.Store.Sessions.Create(ctx, in); err != nil {
		t.Fatal(err)
	}

	t.Run("OK/Session", func(t *testing.T) {
		b := tab.With(t)
		b.Go("/sessions/cs-test")
		b.Ready()
		b.Click(`[data-test=all-present]`, "全部出席")
		b.WaitText(`[data-test=roll-tally]`, "出席 37")
		for _, name := range []string{"郭春梅", "曹凤霞"} {
			b.Click(fmt.Sprintf(`[data-deputy=%q] [data-status=ON_LEAVE]`, name), "请假")
		}
		b.WaitText(`[data-test=roll-tally]`, "出席 35，请假 2")
		for i, v := range [][2]string{{"19", "0"}, {"18", "17"}, {"30", "2"}} {
			b.Click(`[data-item=votes] .el-button`, "添加一行")
			b.Fill(fmt.Sprintf(`[data-field="votes.%d.itemOrder"] input`, i), fmt.Sprint(i+1))
			b.Fill(fmt.Sprintf(`[data-field="votes.%d.yes"] input`, i), v[0])
			b.Fill(fmt.Sprintf(`[data-field="votes.%d.no"] input`, i), v[1])
		}
		// The verdicts show as typed, judged by the server, before saving.
		b.Click(`[data-test=verdicts] h3`, "")
		b.WaitJS(`[...document.querySelectorAll('[data-verdict]')].map((e) => e.dataset.verdict).join() === 'passed,failed,passed'`, "the verdicts of the typed votes")
		if got := b.Text(`[data-test=verdicts] h3`); !strings.Contains(got, "未保存") {
			t.Errorf("the verdict card says %q, want it marked as not saved yet", got)
		}
		b.Click(`[data-test=save]`, "保存修改")
		b.WaitText(`[data-test=attendance]`, "符合法定人数")
		b.Ready()
		if got := b.Text(`[data-test=attendance]`); !strings.Contains(got, "应到 37 人，实到 35 人，请假 2 人") {
			t.Errorf("attendance reads %q", got)
		}
		verdicts := Eval[[]string](b, `[...document.querySelectorAll('[data-verdict]')].map((e) => e.dataset.verdict)`)
		if fmt.Sprint(verdicts) != "[passed failed passed]" {
			t.Errorf("verdicts shown %v, want passed failed passed", verdicts)
		}
		b.Shot("record-session")
		got, err := srv.Store.Sessions.Get(ctx, "cs-test")
		if err != nil {
			t.Fatal(err)
		}
		if a := got.Attendance; a.Expected != 37 || a.Present != 35 || a.OnLeave != 2 || !a.Quorum || len(got.Votes) != 3 || got.Votes[1].Passed || !got.Votes[0].Passed {
			t.Errorf("stored: attendance %+v, votes %+v", a, got.Votes)
		}
	})

	t.Run("OK/Trash", func(t *testing.T) {
		if _, err := srv.Store.PresidiumMeetings.Delete(ctx, "pm-2023-02", nil); err != nil {
			t.Fatal(err)
		}
		b := tab.With(t)
		b.Go("/trash")
		b.Click(`[data-page=trash] .el-radio-button`, "主席团会议")
		b.WaitText(`[data-page=trash] .el-table`, "民生实事项目监督")
		// The loading mask fades out after the load; until it is gone it takes the clicks.
		b.WaitJS(`!document.querySelector('[data-page=trash] .el-loading-mask')`, "the list to load")
		b.Click(`[data-page=trash] .el-table .el-button`, "恢复")
		var err error
		for range 100 {
			if _, err = srv.Store.PresidiumMeetings.Get(ctx, "pm-2023-02"); err == nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if err != nil {
			b.Shot("failure-trash")
			t.Errorf("restored from the trash: %v (the page says %q)", err, b.Text(`[data-page=trash]`))
		}
	})

	for _, kind := range []string{"sessions", "presidium-meetings", "livelihood-projects"} {
		t.Run("OK/"+kind, func(t *testing.T) {
			b := tab.With(t)
			b.Go("/" + kind)
			b.ListReady()
			if total := b.Text(`[data-test=pager]`); strings.Contains(total, "共 0 条") {
				t.Errorf("%s: pager %q, want the demo's records", kind, total)
			}
			b.Shot("list-" + kind)
			b.Click(`[data-test=list] .el-table__row .el-button`, "打开")
			b.WaitJS(fmt.Sprintf(`location.hash.startsWith('#/%s/')`, kind), "the record page")
			b.Ready()
			if n := Eval[int](b, `document.querySelectorAll('[data-test=form-error], .el-form-item__error').length`); n != 0 {
				t.Errorf("%s: the record page shows %d errors: %s", kind, n, b.Text(`[data-page^=record-]`))
			}
			b.Shot("record-" + kind)
		})
	}
}

// TestConsoleLivelihood takes a livelihood project through its life in the
// console: the candidate, its ballot (adopted by the rule), a milestone
// and the satisfaction vote; the list then shows each figure.
func TestConsoleLivelihood(t *testing.T) {
	srv := MustServer(t, false)
	tab := MustBrowser(t, srv)
	ctx := context.Background()
	b := tab.With(t)
	b.Go("/livelihood-projects/new")
	b.Ready()
	b.Fill(`[data-field=year] input`, "2024")
	b.Fill(`input[data-field=name]`, "村卫生室标准化建设")
	b.Fill(`input[data-field=ownerDepartment]`, "镇卫生院")
	b.Click(`[data-test=save]`, "创建")
	b.WaitJS(`/^#\/livelihood-projects\/[^n]/.test(location.hash)`, "the new project's page")
	b.Ready()
	id := strings.TrimPrefix(b.Hash(), "/livelihood-projects/")

	// The ballot: 20 of 37 deputies vote yes.
	b.Choose(`[data-field="ballot.method"] .el-select__wrapper`, "逐项表决")
	b.Fill(`[data-field="ballot.deputies"] input`, "37")
	b.Fill(`[data-field="ballot.yes"] input`, "20")
	b.Fill(`[data-field="ballot.no"] input`, "15")
	// A milestone, done.
	b.Click(`[data-item=milestones] .el-button`, "添加一行")
	b.Choose(`[data-field="milestones.0.date"] [data-test=precision] .el-select__wrapper`, "月")
	b.Fill(`[data-field="milestones.0.date"] [data-test=year] input`, "2024")
	b.Fill(`[data-field="milestones.0.date"] [data-test=month] input`, "10")
	b.Fill(`input[data-field="milestones.0.title"]`, "全部完工")
	b.Fill(`[data-field="milestones.0.progress"] input`, "100")
	// The satisfaction vote.
	b.Fill(`[data-field="satisfaction.satisfied"] input`, "30")
	b.Fill(`[data-field="satisfaction.basicallySatisfied"] input`, "4")
	b.Fill(`[data-field="satisfaction.dissatisfied"] input`, "2")
	b.Click(`[data-test=save]`, "保存修改")
	b.WaitJS(`!!document.querySelector('.el-message--success')`, "saved")
	b.Ready()
	b.Shot("record-livelihood-life")
	if n := Eval[int](b, `document.querySelectorAll('[data-test=form-error], .el-form-item__error').length`); n != 0 {
		t.Fatalf("the form shows errors: %s", b.Text(`[data-page^=record-]`))
	}
	got, err := srv.Store.LivelihoodProjects.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Adopted || got.Progress != 100 || !got.Completed || got.Satisfaction == nil || got.Satisfaction.Total != 36 {
		t.Fatalf("stored: adopted %v, progress %d, satisfaction %+v", got.Adopted, got.Progress, got.Satisfaction)
	}
	b.Go("/livelihood-projects")
	b.ListReady()
	b.WaitText(`[data-test=list]`, "村卫生室标准化建设")
	row := Eval[string](b, `[...document.querySelectorAll('[data-test=list] .el-table__row')].map((r) => r.innerText).find((t) => t.includes('村卫生室标准化建设')) || ''`)
	for _, want := range []string{"当选", "100%", "94.4%"} {
		if !strings.Contains(row, want) {
			t.Errorf("the list row %q lacks %q", row, want)
		}
	}
}

// TestConsoleBallot prints the candidate list as the ballot from the
// reports page, the session picked by name, never typed as an id.
func TestConsoleBallot(t *testing.T) {
	srv := MustServer(t, false)
	tab := MustBrowser(t, srv)
	b := tab.With(t)
	b.Go("/reports")
	b.Choose(`[data-test=template] .el-select__wrapper`, "民生实事项目票决选票")
	b.Search(`[data-param=session] .el-select`, "2023", "第十八届人民代表大会第三次会议")
	b.Click(`[data-test=preview]`, "")
	b.WaitJS(`(() => { const f = document.querySelector('[data-test=preview-frame]'); return !!f && f.srcdoc.includes('2023年度民生实事项目票决票') && f.srcdoc.includes('村级文化广场建设') })()`, "the ballot's preview")
	b.Shot("reports-ballot")
}
