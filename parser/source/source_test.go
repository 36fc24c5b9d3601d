package source

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jointlambda/jlgen/ir"
)

func TestDecodeValues(t *testing.T) {
	tests := []struct {
		name, in string
		want     any
	}{
		{"json", `{"a": [1, -2.5e3, true, null, "x\u00e9\n\ud83d\ude00"]}`,
			map[string]any{"a": []any{num("1"), num("-2.5e3"), true, nil, "xé\n😀"}}},
		{"json bom", "\xef\xbb\xbf{\"a\": {}}", map[string]any{"a": map[string]any{}}},
		{"yaml", "a:\n  - 1\n  - 0x10\n  - 1.5\n  - yes\n  - ~\nb: |\n  text\n",
			map[string]any{"a": []any{num("1"), num("16"), num("1.5"), "yes", nil},
				"b": "text\n"}},
		{"yaml tags", "fn: !Ref OrderFunction\nsub: !Sub 'arn:${AWS::Region}'\n" +
			"list: !GetAtt [Fn, Arn]\n",
			map[string]any{"fn": "!Ref OrderFunction", "sub": "!Sub arn:${AWS::Region}",
				"list": map[string]any{"!GetAtt": []any{"Fn", "Arn"}}}},
		{"yaml anchors", "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n",
			map[string]any{"base": map[string]any{"x": num("1")},
				"other": map[string]any{"x": num("1"), "y": num("2")}}},
	}
	for _, tt := range tests {
		n, dups, err := Decode([]byte(tt.in))
		if err != nil || len(dups) > 0 {
			t.Errorf("%s: Decode: %v %v", tt.name, err, dups)
			continue
		}
		if diff := cmp.Diff(tt.want, n.Value()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

func num(s string) any { return jsonNumber(s) }

func TestDecodePositions(t *testing.T) {
	n, _, err := Decode([]byte("{\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\"}\n  }\n}"))
	if err != nil {
		t.Fatal(err)
	}
	a := n.Get("States").Value.Get("A")
	if want := (ir.Pos{Line: 3, Col: 5}); a.KeyPos != want {
		t.Errorf("key position %v, want %v", a.KeyPos, want)
	}
	typ := a.Value.Get("Type").Value
	if want := (ir.Pos{Line: 3, Col: 19}); typ.Pos != want || !typ.Quoted {
		t.Errorf("value position %v quoted %v, want %v quoted", typ.Pos, typ.Quoted, want)
	}
	y, _, err := Decode([]byte("States:\n  A:\n    Type: Pass\n"))
	if err != nil {
		t.Fatal(err)
	}
	typ = y.Get("States").Value.Get("A").Value.Get("Type").Value
	if want := (ir.Pos{Line: 3, Col: 11}); typ.Pos != want || typ.Quoted {
		t.Errorf("YAML value position %v quoted %v, want %v unquoted", typ.Pos, typ.Quoted, want)
	}
}

func TestDecodeSyntaxErrors(t *testing.T) {
	tests := []struct {
		in   string
		want ir.Pos
		msg  string
	}{
		{`{"a": 1,}`, ir.Pos{Line: 1, Col: 9}, "expected a string key"},
		{"{\n  \"a\" 1}", ir.Pos{Line: 2, Col: 7}, "expected ':'"},
		{`{"a": [1 2]}`, ir.Pos{Line: 1, Col: 10}, "expected ',' or ']'"},
		{`{"a": "x`, ir.Pos{Line: 1, Col: 9}, "end of input in string"},
		{`{"a": 01}`, ir.Pos{Line: 1, Col: 8}, "expected ',' or '}'"},
		{`{"a": "\q"}`, ir.Pos{Line: 1, Col: 9}, "invalid escape"},
		{`{"a": 1} x`, ir.Pos{Line: 1, Col: 10}, "after the top-level value"},
		{"[" + strings.Repeat("[", maxDepth) + "]", ir.Pos{Line: 1, Col: maxDepth + 1},
			"nested more than"},
		{"a: [1, 2\nb: 3\n", ir.Pos{Line: 2, Col: 1}, "must be specified"},
	}
	for _, tt := range tests {
		_, _, err := Decode([]byte(tt.in))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Decode(%q) = %v, want a syntax error", tt.in, err)
			continue
		}
		if se.Pos != tt.want || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("Decode(%q) = %v: %s, want %v: ...%s...", tt.in, se.Pos, se.Msg,
				tt.want, tt.msg)
		}
	}
}

func TestDecodeDuplicates(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"k": 1`)
	for i := 0; i < 40; i++ {
		b.WriteString(`, "x` + strings.Repeat("y", i) + `": 1`)
	}
	b.WriteString(`, "k": 2, "x": 3}`)
	for _, in := range []string{`{"a": 1, "b": 2, "a": 3}`, b.String(), "a: 1\nb: 2\na: 3\n"} {
		_, dups, err := Decode([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if len(dups) != 1 && !(len(dups) == 2 && strings.HasPrefix(in, `{"k"`)) {
			t.Errorf("Decode(%.30q...): duplicates %v", in, dups)
		}
	}
}

func jsonNumber(s string) any { return json.Number(s) }
