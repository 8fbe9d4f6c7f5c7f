package engine_test

import (
	"context"
	"strings"
	"testing"

	"renda/internal/report/engine"
)

// A report in the shape of the reference document's section 三: files
// including each other, section numbers, ordinals, date spans and
// approximate figures, all computed from the data.
func TestDocument(t *testing.T) {
	files := map[string]string{
		"summary.md.tmpl": `{{.township.name}}{{.year | int}}年人大工作总结

{{section 1 3}}围绕全镇重点工作，开展代表视察活动。

{{include "_inspections.tmpl" . | trim}}
`,
		"_inspections.tmpl": `
{{- range $i, $x := .inspections -}}
{{cnOrdinal (add1 $i)}}{{dateText $x.date}}视察{{$x.topic}}
{{- with $x.villages}}，到{{mapField . "name" | cnJoin}}{{end}}。
{{- end}}
{{- $roads := .projects}}全镇{{cnNum .township.villageCount}}个村就有{{mapField $roads "village.name" | distinct | count}}个村进行了村路建设，总里程长达{{sumBy $roads "lengthKm" | approx}}公里，水泥路长达{{where $roads "surface" "CEMENT" | sumBy "lengthKm" | approx}}公里。`,
	}
	tmpl := MustParse(t, files, engine.ExampleOptions())
	out, err := tmpl.Execute(context.Background(), "summary.md.tmpl", engine.ExampleData())
	if err != nil {
		t.Fatal(err)
	}
	want := `棋盘山镇2023年人大工作总结

三、围绕全镇重点工作，开展代表视察活动。

一是春季视察农资市场。二是7月中旬视察农村公路建设，到二十九号村、甘六号村和罗字十号村。三是10月中旬视察淀粉加工企业治理整顿，到二十九号村。全镇十五个村就有3个村进行了村路建设，总里程长达60多公里，水泥路长达20多公里。
`
	if got := string(out); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if got, want := strings.Join(tmpl.Names(), ","), "_inspections.tmpl,summary.md.tmpl"; got != want {
		t.Errorf("Names() = %s, want %s", got, want)
	}
}

type panicky struct{}

func (panicky) Boom() string { panic("boom") }

func TestPanic(t *testing.T) {
	t.Run("ErrMethod", func(t *testing.T) {
		e := MustError(t, map[string]string{"a.tmpl": "{{.Boom}}"}, engine.Options{}, panicky{})
		checkError(t, e, "a.tmpl", 1, 3, "boom")
	})
}
