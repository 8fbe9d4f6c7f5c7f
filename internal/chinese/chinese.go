// Package chinese holds what renda needs to handle Chinese names: sort keys
// by pinyin. It is the only importer of the pinyin tables.
package chinese

import (
	"strings"
	"sync"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.Tone3 // zhang1: tone numbers order 妈 before 马
	return a
}()

// pinyinOf holds each Han character's syllable once it is looked up:
// the pinyin library runs regular expressions for every character, and
// names repeat (departments, villages, deputies on every list). It holds
// at most the characters of Unicode's Han blocks.
var pinyinOf = struct {
	sync.RWMutex
	m map[rune]string
}{m: map[rune]string{}}

// syllable is r's pinyin with its tone number, or r itself if it has none.
func syllable(r rune) string {
	pinyinOf.RLock()
	s, ok := pinyinOf.m[r]
	pinyinOf.RUnlock()
	if ok {
		return s
	}
	s = string(r)
	if py := pinyin.SinglePinyin(r, pinyinArgs); len(py) > 0 {
		s = py[0]
	}
	pinyinOf.Lock()
	pinyinOf.m[r] = s
	pinyinOf.Unlock()
	return s
}

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
			syllables = append(syllables, syllable(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return strings.Join(syllables, " ") + "\t" + name
}
