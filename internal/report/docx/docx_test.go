package docx_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"renda/internal/report/document"
	"renda/internal/report/docx"
)

const sample = `# 乡镇人大年度工作总结

今年以来，镇人大主席团按照县人大的统一部署开展工作。

## 一、围绕夯实工作基础，开展规范化建设活动。

一是**建设“代表之家”**。<script>alert(1)</script>

### （一）代表议政日

#### 1. 寄宿制学校

##### （1）参观学习

甲  
乙

---

## 附：代表名册

| 姓名 | 代表层级 | 联系选民数 |
|---|---|---:|
| 张三 | 县级 | 2 |
| 李四 & 王五 | 镇级 | 3 |
`

func MustRender(tb testing.TB, md string) map[string]string {
	tb.Helper()
	d, err := document.Parse([]byte(md))
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	out, err := docx.Render(d)
	if err != nil {
		tb.Fatalf("Render: %v", err)
	}
	return MustUnzip(tb, out)
}

func MustUnzip(tb testing.TB, b []byte) map[string]string {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		tb.Fatalf("unzip: %v", err)
	}
	parts := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatalf("open %s: %v", f.Name, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatalf("read %s: %v", f.Name, err)
		}
		parts[f.Name] = string(data)
	}
	return parts
}

func contains(t *testing.T, part, s string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(s, want) {
			t.Errorf("%s lacks %s", part, want)
		}
	}
}

func TestRender(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		parts := MustRender(t, sample)
		doc := parts["word/document.xml"]
		contains(t, "document.xml", doc,
			`<w:pgSz w:w="11906" w:h="16838">`,
			`w:top="2098"`, `w:bottom="1984"`, `w:left="1588"`, `w:right="1474"`,
			`<w:docGrid w:type="lines" w:linePitch="579">`,
			`w:line="579" w:lineRule="exact"`,
			`w:firstLineChars="200"`,
			`<w:footerReference w:type="default" r:id="rIdRendaFooterOdd">`,
			`<w:footerReference w:type="even" r:id="rIdRendaFooterEven">`,
			// title
			`<w:jc w:val="center"></w:jc><w:outlineLvl w:val="0"></w:outlineLvl></w:pPr><w:r><w:rPr><w:rFonts w:eastAsia="方正小标宋简体"`,
			`<w:sz w:val="44"></w:sz>`,
			// headings
			`<w:outlineLvl w:val="1"></w:outlineLvl></w:pPr><w:r><w:rPr><w:rFonts w:eastAsia="黑体"`,
			`<w:outlineLvl w:val="2"></w:outlineLvl></w:pPr><w:r><w:rPr><w:rFonts w:eastAsia="楷体"`,
			`<w:outlineLvl w:val="3"></w:outlineLvl></w:pPr><w:r><w:rPr><w:rFonts w:eastAsia="仿宋" w:ascii="仿宋" w:hAnsi="仿宋" w:cs="仿宋"></w:rFonts><w:b></w:b>`,
			`<w:outlineLvl w:val="4"></w:outlineLvl></w:pPr><w:r><w:rPr><w:rFonts w:eastAsia="仿宋"`,
			`<w:t>建设“代表之家”</w:t>`,
			`<w:br w:type="page">`,
			// table
			`<w:tblStyle w:val="TableGrid">`, `<w:tblHeader>`, `<w:gridCol w:w=`,
			`<w:t>李四 &amp; 王五</w:t>`,
		)
		if strings.Contains(doc, "script") || strings.Contains(doc, "RendaTable") {
			t.Errorf("document.xml contains raw HTML or a table placeholder")
		}
		if got, want := strings.Count(doc, "<w:tbl>"), 1; got != want {
			t.Errorf("tables: got %d, want %d", got, want)
		}
		for name, jc := range map[string]string{"word/footer1.xml": "right", "word/footer2.xml": "left"} {
			contains(t, name, parts[name],
				`<w:jc w:val="`+jc+`"/>`, `<w:instrText xml:space="preserve"> PAGE </w:instrText>`,
				`<w:fldChar w:fldCharType="begin"/>`, `<w:t xml:space="preserve">— </w:t>`, `<w:t xml:space="preserve"> —</w:t>`,
				`w:eastAsia="宋体"`, `<w:sz w:val="28"/>`)
		}
		contains(t, "settings.xml", parts["word/settings.xml"], "<w:evenAndOddHeaders/>")
		contains(t, "styles.xml", parts["word/styles.xml"],
			`<w:sz w:val="32"/>`, `w:eastAsia="仿宋"`, `w:styleId="TableGrid"`, `<w:top w:val="single" w:sz="4"`)
		contains(t, "document.xml.rels", parts["word/_rels/document.xml.rels"], `Target="footer1.xml"`, `Target="footer2.xml"`)
		contains(t, "[Content_Types].xml", parts["[Content_Types].xml"], `PartName="/word/footer1.xml"`, `PartName="/word/footer2.xml"`)
		contains(t, "core.xml", parts["docProps/core.xml"], "<dc:title>乡镇人大年度工作总结</dc:title>")
		if _, ok := parts["docProps/thumbnail.jpeg"]; ok {
			t.Errorf("template thumbnail left in the package")
		}
	})
	t.Run("OKDeterministic", func(t *testing.T) {
		d, err := document.Parse([]byte(sample))
		if err != nil {
			t.Fatal(err)
		}
		a, err := docx.Render(d)
		if err != nil {
			t.Fatal(err)
		}
		b, err := docx.Render(d)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("two renders of one document differ")
		}
	})
	t.Run("OKNoTitle", func(t *testing.T) {
		doc := MustRender(t, "正文。")["word/document.xml"]
		contains(t, "document.xml", doc, "<w:t>正文。</w:t>")
		if strings.Contains(doc, "方正小标宋简体") {
			t.Errorf("title font used without a title")
		}
	})
	t.Run("OKTitleOfNextPage", func(t *testing.T) {
		// a "# …" right after a page break is set as a title, not as a heading
		doc := MustRender(t, "# 议程\n\n一、甲。\n\n---\n\n# 日程\n\n::: center\n（副题）\n:::\n")["word/document.xml"]
		paras := strings.Split(doc, "<w:p>")
		for i, p := range paras {
			if !strings.Contains(p, "<w:t>日程</w:t>") {
				continue
			}
			contains(t, "the page's title", p, `<w:jc w:val="center"></w:jc><w:outlineLvl w:val="0">`, `w:eastAsia="方正小标宋简体"`, `<w:sz w:val="44">`)
			// one empty line under it, as under the first title, then the subtitle
			if i+2 >= len(paras) || strings.Contains(paras[i+1], "<w:t>") || !strings.Contains(paras[i+2], "（副题）") {
				t.Errorf("not one empty line between the title and its subtitle: %q", paras[i+1:])
			}
			return
		}
		t.Errorf("no paragraph holds the second title: %s", doc)
	})
	t.Run("OKTitleOnTwoLines", func(t *testing.T) {
		doc := MustRender(t, "棋盘山镇第十八届人民代表大会\\\n第三次会议议程\n===\n\n正文。")["word/document.xml"]
		contains(t, "document.xml", doc, `<w:t>棋盘山镇第十八届人民代表大会</w:t><w:br></w:br><w:t>第三次会议议程</w:t>`)
	})
	t.Run("ErrNilDoc", func(t *testing.T) {
		if _, err := docx.Render(nil); !errors.Is(err, docx.ErrNilDoc) {
			t.Errorf("got %v, want ErrNilDoc", err)
		}
	})
}

var update = flag.Bool("update", false, "rewrite docs/fontconfig/65-renda-cjk.conf")

const fontconfigPath = "../../../docs/fontconfig/65-renda-cjk.conf"

// TestFonts checks the font table a word processor substitutes by: every
// Chinese font has its alternates, the free Noto face of its kind among
// them, and its generic family (serif body and titles, sans 黑体); and that
// the fontconfig file for Linux readers is current.
func TestFonts(t *testing.T) {
	parts := MustRender(t, sample)
	table := parts["word/fontTable.xml"]
	t.Run("OK", func(t *testing.T) {
		for _, want := range []string{
			`<w:font w:name="仿宋"><w:altName w:val="FangSong,仿宋_GB2312,FangSong_GB2312,STFangsong,华文仿宋,Noto Serif CJK SC,`,
			`<w:font w:name="黑体"><w:altName w:val="SimHei,STHeiti,Heiti SC,华文黑体,Noto Sans CJK SC,`,
			`<w:font w:name="楷体"><w:altName w:val="KaiTi,`,
			`<w:font w:name="方正小标宋简体"><w:altName w:val="FZXiaoBiaoSong-B05S,`,
		} {
			if !strings.Contains(table, want) {
				t.Errorf("fontTable.xml lacks %s", want)
			}
		}
		for name, family := range map[string]string{"仿宋": "roman", "黑体": "swiss", "楷体": "roman", "方正小标宋简体": "roman", "宋体": "roman"} {
			i := strings.Index(table, `<w:font w:name="`+name+`">`)
			if i < 0 || !strings.Contains(table[i:i+strings.Index(table[i:], "</w:font>")], `<w:family w:val="`+family+`"/>`) {
				t.Errorf("%s is not of family %s in fontTable.xml", name, family)
			}
		}
	})
	t.Run("FontconfigCurrent", func(t *testing.T) {
		want := docx.Fontconfig()
		if *update {
			if err := os.MkdirAll(filepath.Dir(fontconfigPath), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(fontconfigPath, want, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(fontconfigPath)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s is stale (%v); run go test ./internal/report/docx -update", fontconfigPath, err)
		}
		if !bytes.Contains(want, []byte(`<family>仿宋</family><prefer><family>Noto Serif CJK SC</family>`)) || !bytes.Contains(want, []byte(`<family>黑体</family><prefer><family>Noto Sans CJK SC</family>`)) {
			t.Errorf("the fontconfig file does not send 仿宋 to a serif and 黑体 to a sans:\n%s", want)
		}
	})
}

// TestSignature checks the 落款's placement (GB/T 9704-2012 7.3.5.2): the
// issuer two characters in from the right and the date starting two
// characters right of it; when the date is the longer, the date two
// characters in and the issuer moved left to keep that offset.
func TestSignature(t *testing.T) {
	for _, c := range []struct {
		name, md               string
		issuerRight, dateRight string
	}{
		// 棋盘山镇人大主席团 is 9 characters, 2023年12月31日 is 7 (digits count half).
		{"OK", "正文。\n\n::: signature\n棋盘山镇人大主席团\n2023年12月31日\n:::\n", `w:rightChars="200"`, `w:rightChars="200"`},
		// 镇人大主席团 (6) over the same date (7): the date stands two in, the issuer 7+4-6 = 5 in.
		{"OKDateLonger", "正文。\n\n::: signature\n镇人大主席团\n2023年12月31日\n:::\n", `w:rightChars="500"`, `w:rightChars="200"`},
		// A short date (6) under a long issuer (13) starts two characters right of the issuer's first: 13-6 = 7 in.
		{"OKIssuerLonger", "正文。\n\n::: signature\n棋盘山镇人民代表大会主席团\n2023年6月8日\n:::\n", `w:rightChars="200"`, `w:rightChars="700"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := MustRender(t, c.md)["word/document.xml"]
			paras := strings.Split(body, "<w:p>")
			var issuer, date string
			for _, p := range paras {
				if strings.Contains(p, "主席团</w:t>") {
					issuer = p
				}
				if strings.Contains(p, "日</w:t>") {
					date = p
				}
			}
			for what, p := range map[string]string{"issuer": issuer, "date": date} {
				if !strings.Contains(p, `<w:jc w:val="right">`) {
					t.Errorf("the %s is not right-aligned: %s", what, p)
				}
			}
			if !strings.Contains(issuer, c.issuerRight) || !strings.Contains(date, c.dateRight) {
				t.Errorf("issuer %s, date %s; want %s and %s", issuer, date, c.issuerRight, c.dateRight)
			}
			// the body's last paragraph keeps with the 落款: it is never alone on a page
			for _, p := range paras {
				if strings.Contains(p, "<w:t>正文。</w:t>") && !strings.Contains(p, "<w:keepNext>") {
					t.Errorf("the last paragraph does not keep with the 落款: %s", p)
				}
			}
		})
	}
}

// TestMasthead: a 简报's 报头 is its name in large red type, then its
// issue and editor, over a red rule; in HTML too.
func TestMasthead(t *testing.T) {
	body := MustRender(t, "::: masthead\n棋盘山镇人大工作简报\n第5期\n棋盘山镇人大主席团办公室　　2023年7月20日\n:::\n\n正文。\n")["word/document.xml"]
	var name, last string
	for _, p := range strings.Split(body, "<w:p>") {
		if strings.Contains(p, "工作简报</w:t>") {
			name = p
		}
		if strings.Contains(p, "7月20日</w:t>") {
			last = p
		}
	}
	if !strings.Contains(name, `w:color w:val="C00000"`) || !strings.Contains(name, `w:sz w:val="72"`) || !strings.Contains(name, `w:jc w:val="center"`) {
		t.Errorf("the brief's name is not large, red and centred: %s", name)
	}
	if !strings.Contains(last, `<w:pBdr><w:bottom w:val="thick"`) || !strings.Contains(last, `w:color="C00000"`) {
		t.Errorf("no red rule under the 报头: %s", last)
	}
	if strings.Contains(last, "C00000\"/></w:rPr>") {
		t.Errorf("the date line is red too: %s", last)
	}
	h, err := document.HTML([]byte("::: masthead\n棋盘山镇人大工作简报\n第5期\n:::\n"))
	if err != nil || !strings.Contains(string(h), `<p class="masthead">棋盘山镇人大工作简报<br>`) {
		t.Errorf("HTML: %v %s", err, h)
	}
}

// TestListMarkers: an ordered item is numbered "1．" with the full-width
// stop of GB/T 9704, so that a date after it does not read as a decimal.
func TestListMarkers(t *testing.T) {
	doc := MustRender(t, "# 档案\n\n1. 9月11日，视察全镇农业农村工作。\n2. 11月，走访代表。\n")["word/document.xml"]
	for _, want := range []string{`<w:t>1．</w:t>`, `<w:t>2．</w:t>`, `<w:t>9月11日，视察全镇农业农村工作。</w:t>`} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	if strings.Contains(doc, `<w:t>1.</w:t>`) {
		t.Errorf("document.xml numbers an item 1. with a half-width stop")
	}
}
