package docx

import (
	"encoding/xml"
	"strings"
)

// Fonts named in the document's runs.
const (
	FontTitle  = "方正小标宋简体"
	FontBody   = "仿宋"
	FontHei    = "黑体"
	FontKai    = "楷体"
	FontFooter = "宋体"
)

// Font is one entry of the font table: the name the runs use, the names
// the same face goes by elsewhere and the faces that may stand in for it
// (w:altName, a comma-separated list, ECMA-376 17.8.3.1), and its generic
// family (w:family: roman is serif, swiss sans serif), which a word
// processor substituting a missing font goes by.
type Font struct {
	Name   string
	Alt    []string
	Family string
}

// Fonts is the font table: each Chinese font of GB/T 9704 with the names
// it has on Windows, macOS and Linux and the freely available Noto/Source
// Han faces, so a missing 仿宋 becomes a serif and a missing 黑体 a sans
// serif, never the one default face for everything.
var Fonts = []Font{
	{FontBody, []string{"FangSong", "仿宋_GB2312", "FangSong_GB2312", "STFangsong", "华文仿宋", "Noto Serif CJK SC", "Source Han Serif SC", "SimSun"}, "roman"},
	{FontHei, []string{"SimHei", "STHeiti", "Heiti SC", "华文黑体", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei"}, "swiss"},
	{FontKai, []string{"KaiTi", "楷体_GB2312", "KaiTi_GB2312", "STKaiti", "华文楷体", "AR PL UKai CN", "Noto Serif CJK SC", "Source Han Serif SC"}, "roman"},
	{FontTitle, []string{"FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "STZhongsong", "华文中宋", "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "宋体"}, "roman"},
	{FontFooter, []string{"SimSun", "NSimSun", "STSong", "Songti SC", "华文宋体", "Noto Serif CJK SC", "Source Han Serif SC"}, "roman"},
}

// fontTableXML is word/fontTable.xml: the fonts above with the GB2312
// charset, then Times New Roman.
var fontTableXML = func() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<w:fonts xmlns:w="` + nsW + `">`)
	attr := func(s string) string {
		var e strings.Builder
		_ = xml.EscapeText(&e, []byte(s))
		return strings.ReplaceAll(e.String(), `"`, "&quot;")
	}
	for _, f := range Fonts {
		b.WriteString(`<w:font w:name="` + attr(f.Name) + `"><w:altName w:val="` + attr(strings.Join(f.Alt, ",")) + `"/>` +
			`<w:charset w:val="86"/><w:family w:val="` + f.Family + `"/><w:pitch w:val="variable"/></w:font>`)
	}
	b.WriteString(`<w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>`)
	b.WriteString(`</w:fonts>`)
	return b.String()
}()
