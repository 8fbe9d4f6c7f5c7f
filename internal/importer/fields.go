package importer

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// fieldSpec is one field a kind's rows can fill.
type fieldSpec struct {
	name    string   // as the API names it: birthDate, attributes.education
	label   string   // the usual Chinese header: 出生年月
	headers []string // headers recognised by default, besides label
	keyable bool     // may be (part of) a key chosen with Options.Key
}

// kindSpec is what an import of one kind reads.
type kindSpec struct {
	kind       Kind
	noun       string // 代表
	fields     []fieldSpec
	ignore     []string // headers of columns left out on purpose (序号; id, an export's record id)
	defaultKey []string
}

// nameField is the field every kind's header row must have a column for.
const nameField = "name"

var specs = map[Kind]*kindSpec{
	Deputies: {
		kind: Deputies, noun: "代表",
		fields: []fieldSpec{
			{"name", "姓名", []string{"代表姓名", "名字"}, true},
			{"gender", "性别", nil, false},
			{"birthDate", "出生年月", []string{"出生日期", "出生年月日", "出生时间", "生日"}, true},
			{"ethnicity", "民族", nil, true},
			{"party", "政治面貌", []string{"党派", "党派/政治面貌", "政治面貌/党派", "党派政治面貌"}, true},
			{"attributes.education", "文化程度", []string{"学历", "文化程度/学历"}, true},
			{"occupation", "职业", []string{"工作单位及职务", "工作单位及职务/职业", "工作单位和职务", "单位及职务", "工作单位职务", "职业/职务", "职务", "工作单位", "现任职务"}, true},
			{"levels", "代表层级", []string{"代表级别", "层级", "级别", "代表层次"}, false},
			{"term", "届别", []string{"届次"}, true},
			{"group", "代表小组", []string{"所在代表小组", "所属代表小组", "小组", "所在小组"}, true},
			{"village", "所在村", []string{"村", "村别", "所属村", "居住村", "所在村/社区", "村/社区"}, true},
			{"phone", "联系电话", []string{"电话", "手机", "手机号", "手机号码", "电话号码", "联系方式"}, true},
		},
		ignore:     []string{"序号", "no", "no.", "id"},
		defaultKey: []string{"name", "birthDate"},
	},
	Villages: {
		kind: Villages, noun: "村",
		fields: []fieldSpec{
			{"name", "村名", []string{"名称", "村", "村庄", "行政村", "村名称", "村庄名称", "行政村名称"}, true},
			{"code", "代码", []string{"村代码", "编码", "区划代码", "行政区划代码", "统计用区划代码"}, true},
			{"population", "人口", []string{"人口数", "总人口", "户籍人口", "人口/人", "人口(人)"}, false},
		},
		ignore:     []string{"序号", "no", "no.", "id"},
		defaultKey: []string{"name"},
	},
	Projects: {
		kind: Projects, noun: "项目",
		fields: []fieldSpec{
			{"name", "项目名称", []string{"项目", "名称", "工程名称"}, true},
			{"kind", "类型", []string{"项目类型", "类别"}, false},
			{"villages", "所在村", []string{"村", "涉及村", "所属村", "受益村", "实施村"}, false},
			{"year", "年度", []string{"年份", "建设年度", "实施年度", "年"}, true},
			{"status", "状态", []string{"项目状态", "建设状态", "进展", "进展情况"}, false},
			{"lengthKm", "里程(公里)", []string{"里程", "里程(km)", "长度", "长度(公里)", "公里数"}, false},
			{"surface", "路面", []string{"路面类型", "路面材质"}, false},
			{"description", "项目内容", []string{"建设内容", "简介", "说明"}, false},
		},
		ignore:     []string{"序号", "no", "no.", "id"},
		defaultKey: []string{"name", "year"},
	},
}

// Field is a field an import of a kind can fill, for a mapping step to
// offer: its name, its usual Chinese header, and the other headers it is
// recognised by.
type Field struct {
	Name    string
	Label   string
	Headers []string
}

// Fields lists the fields of a kind in the order rosters usually have
// them; nil for an unknown kind.
func Fields(kind Kind) []Field {
	k, ok := specs[kind]
	if !ok {
		return nil
	}
	out := make([]Field, len(k.fields))
	for i, f := range k.fields {
		out[i] = Field{Name: f.name, Label: f.label, Headers: append([]string(nil), f.headers...)}
	}
	return out
}

// field returns the spec of a field by name; an attributes.X field not in
// the table gets a spec of its own.
func (k *kindSpec) field(name string) *fieldSpec {
	for i := range k.fields {
		if k.fields[i].name == name {
			return &k.fields[i]
		}
	}
	if key, ok := strings.CutPrefix(name, "attributes."); ok {
		return &fieldSpec{name: name, label: key, keyable: true}
	}
	return nil
}

// order sorts fields as the kind lists them, attributes after by name, a
// key's problem (several fields) last.
func (k *kindSpec) order(field string) string {
	for i, f := range k.fields {
		if f.name == field {
			return fmt.Sprintf("0%03d", i)
		}
	}
	if strings.HasPrefix(field, "attributes.") {
		return "1" + field
	}
	return "2" + field
}

// byHeader returns the field a header names by default: "" if none, "-" for
// a column ignored on purpose.
func (k *kindSpec) byHeader(header string) string {
	h := normHeader(header)
	if h == "" {
		return ""
	}
	for _, try := range []string{h, stripParens(h)} {
		for _, ig := range k.ignore {
			if try == ig {
				return "-"
			}
		}
		for _, f := range k.fields {
			if try == normHeader(f.label) {
				return f.name
			}
			for _, s := range f.headers {
				if try == normHeader(s) {
					return f.name
				}
			}
		}
	}
	return ""
}

// fieldList is the fields for an error message: name（姓名）、gender（性别）….
func (k *kindSpec) fieldList() string {
	parts := make([]string, len(k.fields))
	for i, f := range k.fields {
		parts[i] = fmt.Sprintf("%s（%s）", f.name, f.label)
	}
	return strings.Join(parts, "、") + "、attributes.名称（自定义属性）"
}

// normHeader makes headers comparable: no spaces anywhere (headers are
// often spread out, 姓　　名, or broken over lines), full-width letters and
// brackets narrowed, lower case, no required-field star or trailing colon.
func normHeader(s string) string {
	s = width.Fold.String(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '*' || r == '\u200b' || r == '\ufeff' {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
	return strings.TrimRight(s, ":")
}

var parens = regexp.MustCompile(`\([^)]*\)$`)

// stripParens drops a trailing unit or note: 人口(人) → 人口.
func stripParens(h string) string { return parens.ReplaceAllString(h, "") }

// ignoreField is the mapping target that leaves a column out.
func ignoreField(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "-", "ignore", "忽略", "不导入":
		return true
	}
	return false
}

// colMap is one resolved mapping entry.
type colMap struct {
	source string // as given
	header string // normalised header, when the entry names a header
	letter int    // 0-based column, when it names a column letter; -1 otherwise
	field  string // field name, or "-"
	used   bool
}

var columnName = regexp.MustCompile(`^[A-Z]{1,3}$`)

// resolveMapping checks a mapping against a kind's fields.
func resolveMapping(k *kindSpec, ms []Mapping) ([]*colMap, error) {
	var out []*colMap
	for i, m := range ms {
		at := fmt.Sprintf("mapping.%d", i)
		src := strings.TrimSpace(m.Column)
		if src == "" {
			return nil, invalid(at, "映射“%s=%s”没有写列名（表头文字或列字母）", m.Column, m.Field)
		}
		field, err := resolveField(k, m.Field)
		if err != nil {
			return nil, invalid(at, "映射“%s=%s”：%s", m.Column, m.Field, err.Error())
		}
		c := &colMap{source: src, header: normHeader(src), letter: -1, field: field}
		if columnName.MatchString(src) {
			n := 0
			for _, r := range src {
				n = n*26 + int(r-'A'+1)
			}
			c.letter = n - 1
		}
		out = append(out, c)
	}
	return out, nil
}

// resolveField reads a mapping's target: a field name, attributes.X, a
// field's Chinese header, or "-".
func resolveField(k *kindSpec, s string) (string, error) {
	s = strings.TrimSpace(s)
	if ignoreField(s) {
		return "-", nil
	}
	for _, f := range k.fields {
		if strings.EqualFold(s, f.name) {
			return f.name, nil
		}
	}
	if key, ok := strings.CutPrefix(s, "attributes."); ok {
		if key == "" || strings.ContainsAny(key, ".") || strings.HasPrefix(key, "$") || len(key) > 100 {
			return "", fmt.Errorf("自定义属性名“%s”不可用：1 到 100 个字符，不含“.”，不以“$”开头", key)
		}
		return s, nil
	}
	if f := k.byHeader(s); f != "" {
		return f, nil
	}
	return "", fmt.Errorf("不认识字段“%s”；%s可用的字段有 %s，或用 - 表示不导入这一列", s, k.noun, k.fieldList())
}

// resolveKey checks the fields chosen to identify records.
func resolveKey(k *kindSpec, key []string) ([]string, error) {
	if len(key) == 0 {
		return k.defaultKey, nil
	}
	var out []string
	for i, s := range key {
		name, err := resolveField(k, s)
		if err == nil && name == "-" {
			err = fmt.Errorf("“-”不能用作匹配字段")
		}
		if err != nil {
			return nil, invalid(fmt.Sprintf("key.%d", i), "匹配字段“%s”：%s", s, err.Error())
		}
		if f := k.field(name); f == nil || !f.keyable {
			return nil, invalid(fmt.Sprintf("key.%d", i), "字段 %s 不能用来匹配记录（它可以有多个值）", name)
		}
		out = append(out, name)
	}
	return out, nil
}
