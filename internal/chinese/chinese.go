// Package chinese holds what renda needs to handle Chinese names: sort keys
// by pinyin. It is the only importer of the pinyin tables.
package chinese

import (
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.Tone3 // zhang1: tone numbers order 妈 before 马
	return a
}()

// SortKey returns the key a name sorts by in lists: its syllables in pinyin
// with tone numbers, then a tab and the name itself, so homophones still
// order the same way every time. "张三" → "zhang1 san1\t张三". A tab sorts
// before a space, so 李 comes before 李明.
func SortKey(name string) string {
	var syllables []string
	var word strings.Builder // a run of letters or digits that are not Han
	flush := func() {
		if word.Len() > 0 {
			syllables = append(syllables, strings.ToLower(word.String()))
			word.Reset()
		}
	}
	for _, r := range name {
		switch {
		case unicode.Is(unicode.Han, r):
			flush()
			if py := pinyin.SinglePinyin(r, pinyinArgs); len(py) > 0 {
				syllables = append(syllables, py[0])
			} else {
				syllables = append(syllables, string(r))
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return strings.Join(syllables, " ") + "\t" + name
}
