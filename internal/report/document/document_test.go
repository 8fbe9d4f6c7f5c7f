package document_test

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"renda/internal/report/document"
)

const sample = `# 乡镇人大年度工作总结

今年以来，镇人大主席团按照县人大的统一部署，
紧紧围绕全镇的各项重点工作。

## 一、围绕夯实工作基础，开展规范化建设活动。

一是**建设“代表之家”**。对代表活动室进行了*重新装修*。

### （一）代表议政日

#### 1. 寄宿制学校

##### （1）参观学习

1. 第一次普通走访
2. 第二次重点走访

- 甲
- 乙

---

## 附：代表名册

| 姓名 | 代表层级 | 联系选民数 |
|---|---|---:|
| 张三 | 县级 | 2 |
| 李四 | 镇级 |
`

func MustParse(tb testing.TB, md string) *document.Doc {
	tb.Helper()
	d, err := document.Parse([]byte(md))
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return d
}

func TestParse(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		d := MustParse(t, sample)
		if got, want := d.Title, "乡镇人大年度工作总结"; got != want {
			t.Errorf("Title: got %q, want %q", got, want)
		}
		want := []document.Block{
			&document.Paragraph{Runs: []document.Run{{Text: "今年以来，镇人大主席团按照县人大的统一部署，紧紧围绕全镇的各项重点工作。"}}},
			&document.Heading{Level: 1, Text: "一、围绕夯实工作基础，开展规范化建设活动。"},
			&document.Paragraph{Runs: []document.Run{
				{Text: "一是"}, {Text: "建设“代表之家”", Bold: true}, {Text: "。对代表活动室进行了"},
				{Text: "重新装修", Italic: true}, {Text: "。"},
			}},
			&document.Heading{Level: 2, Text: "（一）代表议政日"},
			&document.Heading{Level: 3, Text: "1. 寄宿制学校"},
			&document.Heading{Level: 4, Text: "（1）参观学习"},
			&document.Paragraph{Marker: "1.", Runs: []document.Run{{Text: "第一次普通走访"}}},
			&document.Paragraph{Marker: "2.", Runs: []document.Run{{Text: "第二次重点走访"}}},
			&document.Paragraph{Marker: "·", Runs: []document.Run{{Text: "甲"}}},
			&document.Paragraph{Marker: "·", Runs: []document.Run{{Text: "乙"}}},
			&document.PageBreak{},
			&document.Heading{Level: 1, Text: "附：代表名册"},
			&document.Table{
				Header: []string{"姓名", "代表层级", "联系选民数"},
				Rows:   [][]string{{"张三", "县级", "2"}, {"李四", "镇级", ""}},
				Align:  []string{"", "", "right"},
			},
		}
		if len(d.Blocks) != len(want) {
			t.Fatalf("Blocks: got %d, want %d: %s", len(d.Blocks), len(want), dump(d.Blocks))
		}
		for i := range want {
			if !reflect.DeepEqual(d.Blocks[i], want[i]) {
				t.Errorf("Blocks[%d]: got %s, want %s", i, dump(d.Blocks[i:i+1]), dump(want[i:i+1]))
			}
		}
		tables := d.Tables()
		if len(tables) != 1 || tables[0].Heading != "附：代表名册" {
			t.Errorf("Tables: got %+v, want one under 附：代表名册", tables)
		}
	})
	t.Run("OKSoftBreakBetweenLatinIsSpace", func(t *testing.T) {
		d := MustParse(t, "GraphQL\nAPI 与\n数据")
		p := d.Blocks[0].(*document.Paragraph)
		if got, want := p.Text(), "GraphQL API 与数据"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("OKHardBreak", func(t *testing.T) {
		d := MustParse(t, "甲  \n乙")
		if got, want := d.Blocks[0].(*document.Paragraph).Text(), "甲\n乙"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("OKTitleOfNextPage", func(t *testing.T) {
		// a "# …" right after a page break titles the document on that page;
		// anywhere else a further "# …" is a level-1 heading
		d := MustParse(t, "# 议程\n\n# 甲\n\n---\n\n# 日程\n\n正文。")
		want := []document.Block{
			&document.Heading{Level: 1, Text: "甲"},
			&document.PageBreak{},
			&document.Heading{Level: 0, Text: "日程"},
			&document.Paragraph{Runs: []document.Run{{Text: "正文。"}}},
		}
		if d.Title != "议程" || !reflect.DeepEqual(d.Blocks, want) {
			t.Errorf("got %q %s, want 议程 %s", d.Title, dump(d.Blocks), dump(want))
		}
	})
	t.Run("OKTitleOnTwoLines", func(t *testing.T) {
		d := MustParse(t, "棋盘山镇第十八届人民代表大会\\\n第三次会议议程\n===\n\n正文。")
		if got, want := d.Title, "棋盘山镇第十八届人民代表大会\n第三次会议议程"; got != want {
			t.Errorf("Title: got %q, want %q", got, want)
		}
	})
	t.Run("OKRawHTMLDropped", func(t *testing.T) {
		d := MustParse(t, "# T\n\n<script>alert(1)</script>\n\n文<b>字</b>")
		if len(d.Blocks) != 1 {
			t.Fatalf("Blocks: got %s, want one paragraph", dump(d.Blocks))
		}
		if got, want := d.Blocks[0].(*document.Paragraph).Text(), "文字"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("OKReference", func(t *testing.T) {
		md, err := os.ReadFile("testdata/annual-summary.md")
		if err != nil {
			t.Fatal(err)
		}
		d := MustParse(t, string(md))
		var sections []string
		for _, b := range d.Blocks {
			if h, ok := b.(*document.Heading); ok && h.Level == 1 {
				sections = append(sections, h.Text[:len("一")])
			}
		}
		if got, want := strings.Join(sections, ""), "一二三四五六附"; got != want {
			t.Errorf("sections: got %q, want %q", got, want)
		}
	})
	t.Run("ErrEmpty", func(t *testing.T) {
		_, err := document.Parse([]byte("  \n\n<!-- nothing -->\n"))
		if !errors.Is(err, document.ErrEmpty) {
			t.Errorf("got %v, want ErrEmpty", err)
		}
	})
}

func TestHTML(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		out, err := document.HTML([]byte(sample))
		if err != nil {
			t.Fatal(err)
		}
		s := string(out)
		for _, want := range []string{
			"<!doctype html>",
			`<meta charset="utf-8">`,
			"<title>乡镇人大年度工作总结</title>",
			"size: A4;",
			"margin: 37mm 26mm 35mm 28mm;",
			`content: "— " counter(page) " —"`,
			`"方正小标宋简体"`,
			`"FangSong", "仿宋"`,
			`"SimHei", "黑体"`,
			`"KaiTi", "楷体"`,
			"line-height: 28.95pt",
			"text-indent: 2em",
			"<h1>乡镇人大年度工作总结</h1>",
			"<h2>一、围绕夯实工作基础，开展规范化建设活动。</h2>",
			"<th>姓名</th>",
			"<td>张三</td>",
			"紧紧围绕", // soft break between CJK characters dropped
		} {
			if !strings.Contains(s, want) {
				t.Errorf("output lacks %q", want)
			}
		}
		if strings.Contains(s, "部署，\n紧紧") {
			t.Errorf("soft line break between CJK characters kept")
		}
		for _, bad := range []string{"http://", "https://", "@import", "url("} {
			if strings.Contains(s, bad) {
				t.Errorf("output references an external resource: %q", bad)
			}
		}
	})
	t.Run("OKEscapesUntrusted", func(t *testing.T) {
		md := "# <b>标题</b> & 名单\n\n<script>alert(1)</script>\n\n文<img src=x onerror=alert(1)>字 [点](javascript:alert(1))\n"
		out, err := document.HTML([]byte(md))
		if err != nil {
			t.Fatal(err)
		}
		s := string(out)
		for _, bad := range []string{"<script", "<img", "javascript:", "<b>"} {
			if strings.Contains(s, bad) {
				t.Errorf("output contains %q:\n%s", bad, s[strings.Index(s, "<body>"):])
			}
		}
		if want := "<title>标题 &amp; 名单</title>"; !strings.Contains(s, want) {
			t.Errorf("output lacks %q", want)
		}
	})
	// A template's own image is its alt text and a bare URL stays text, as
	// in DOCX: the page shows nothing it would fetch.
	t.Run("OKNoImagesNoBareLinks", func(t *testing.T) {
		out, err := document.HTML([]byte("# 题\n\n图![示意图](http://evil.example/a.png)，网址 http://evil.example/x 与 www.evil.example。\n"))
		if err != nil {
			t.Fatal(err)
		}
		s := string(out)
		for _, bad := range []string{"<img", "<a "} {
			if strings.Contains(s, bad) {
				t.Errorf("output contains %q:\n%s", bad, s[strings.Index(s, "<body>"):])
			}
		}
		if want := "<p>图示意图，网址 http://evil.example/x 与 www.evil.example。</p>"; !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s[strings.Index(s, "<body>"):])
		}
	})
	t.Run("ErrEmpty", func(t *testing.T) {
		if _, err := document.HTML(nil); !errors.Is(err, document.ErrEmpty) {
			t.Errorf("got %v, want ErrEmpty", err)
		}
	})
}

func dump(bs []document.Block) string {
	var b strings.Builder
	for _, x := range bs {
		switch x := x.(type) {
		case *document.Heading:
			b.WriteString("H" + string(rune('0'+x.Level)) + " " + x.Text + "; ")
		case *document.Paragraph:
			b.WriteString("P[" + x.Marker + "]")
			for _, r := range x.Runs {
				b.WriteString("{" + r.Text)
				if r.Bold {
					b.WriteString(" b")
				}
				if r.Italic {
					b.WriteString(" i")
				}
				b.WriteString("}")
			}
			b.WriteString("; ")
		case *document.Table:
			b.WriteString("T" + strings.Join(x.Header, "|") + "; ")
		case *document.PageBreak:
			b.WriteString("BR; ")
		}
	}
	return b.String()
}

// TestRoles checks the fenced paragraphs: the 落款 keeps its lines and role
// in the model and in HTML, and a fence with an unknown role stays text.
func TestRoles(t *testing.T) {
	md := "# 通报\n\n::: left\n各村、各站所：\n:::\n\n正文。\n\n::: signature\n棋盘山镇人大主席团\n\n:::\n\n::: 其他\n甲\n:::\n"
	t.Run("OK", func(t *testing.T) {
		d := MustParse(t, "# 通报\n\n::: left\n各村、各站所：\n:::\n\n正文。\n\n::: signature\n棋盘山镇人大主席团\n2023年12月31日\n:::\n")
		want := []document.Block{
			&document.Paragraph{Role: document.RoleLeft, Runs: []document.Run{{Text: "各村、各站所："}}},
			&document.Paragraph{Runs: []document.Run{{Text: "正文。"}}},
			&document.Paragraph{Role: document.RoleSignature, Runs: []document.Run{{Text: "棋盘山镇人大主席团\n2023年12月31日"}}},
		}
		if !reflect.DeepEqual(d.Blocks, want) {
			t.Fatalf("got %#v\nwant %#v", d.Blocks, want)
		}
		h, err := document.HTML([]byte("::: signature\n棋盘山镇人大主席团\n2023年12月31日\n:::\n"))
		if err != nil {
			t.Fatal(err)
		}
		if got := string(h); !strings.Contains(got, "<p class=\"signature\">棋盘山镇人大主席团<br>\n2023年12月31日</p>") {
			t.Fatalf("HTML lacks the signature paragraph:\n%s", got)
		}
	})
	t.Run("ErrUnknownRole", func(t *testing.T) {
		// A blank line splits the fence: what is left is ordinary text, as is a fence of another name.
		d := MustParse(t, md)
		last := d.Blocks[len(d.Blocks)-1].(*document.Paragraph)
		if last.Role != "" || !strings.Contains(last.Text(), "::: 其他") {
			t.Fatalf("an unknown fence became %#v", last)
		}
	})
}

// TestRoleBold checks that a line of a fenced block written as **text** is
// bold, in the model and in HTML.
func TestRoleBold(t *testing.T) {
	md := "::: center\n第3期\n**镇人大组织代表议政**\n:::\n"
	d := MustParse(t, md)
	want := []document.Run{{Text: "第3期"}, {Text: "\n镇人大组织代表议政", Bold: true}}
	if got := d.Blocks[0].(*document.Paragraph).Runs; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v, want %#v", got, want)
	}
	h, err := document.HTML([]byte(md))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(h), `<p class="center">第3期<br>`+"\n"+`<strong>镇人大组织代表议政</strong></p>`) {
		t.Fatalf("HTML:\n%s", h)
	}
}
