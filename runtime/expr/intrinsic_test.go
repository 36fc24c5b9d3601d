package expr

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIsIntrinsic(t *testing.T) {
	tests := map[string]bool{
		"States.Format('x')": true, "  States.UUID()  ": true, "States.Foo(": true,
		"States.Format": false, "States.(": false, "$.a": false, "states.UUID()": false,
		"{% 1 %}": false, "": false,
	}
	for in, want := range tests {
		if got := IsIntrinsic(in); got != want {
			t.Errorf("IsIntrinsic(%q) = %v, want %v", in, got, want)
		}
	}
}

// callShape is a Call without its internals, for comparing.
type callShape struct {
	Name string
	Args []any // literal, path text, or *callShape
}

func shapeOf(c *Call) *callShape {
	s := &callShape{Name: c.Name, Args: []any{}}
	for _, a := range c.Args {
		switch a.Kind {
		case ArgLiteral:
			s.Args = append(s.Args, a.Literal)
		case ArgPath:
			s.Args = append(s.Args, "path:"+a.Path.String())
		case ArgCall:
			s.Args = append(s.Args, shapeOf(a.Call))
		}
	}
	return s
}

func TestParseIntrinsicAccepts(t *testing.T) {
	num := func(s string) json.Number { return json.Number(s) }
	tests := []struct {
		in   string
		want *callShape
	}{
		{"States.Format('Hello, {}!', $.name)", &callShape{"States.Format",
			[]any{"Hello, {}!", "path:$.name"}}},
		{`States.Format('a \{b\} \' \\ {}', $$.Execution.Id)`, &callShape{"States.Format",
			[]any{`a {b} ' \ {}`, "path:$$.Execution.Id"}}},
		{"States.Format('{}{}', $x, $)", &callShape{"States.Format",
			[]any{"{}{}", "path:$x", "path:$"}}},
		{"States.Array(1, -2.5, true, false, null, 'x')", &callShape{"States.Array",
			[]any{num("1"), num("-2.5"), true, false, nil, "x"}}},
		{"States.Array()", &callShape{"States.Array", []any{}}},
		{" States.UUID ( ) ", &callShape{"States.UUID", []any{}}},
		{"States.ArrayRange(1, 9, 2)", &callShape{"States.ArrayRange",
			[]any{num("1"), num("9"), num("2")}}},
		{"States.ArrayRange($.a,$.b,$.c)", &callShape{"States.ArrayRange",
			[]any{"path:$.a", "path:$.b", "path:$.c"}}},
		{"States.MathRandom(1, 999)", &callShape{"States.MathRandom",
			[]any{num("1"), num("999")}}},
		{"States.MathRandom(1, 999, 7)", &callShape{"States.MathRandom",
			[]any{num("1"), num("999"), num("7")}}},
		{"States.MathAdd(1.5, $.step)", &callShape{"States.MathAdd",
			[]any{num("1.5"), "path:$.step"}}},
		{"States.Hash($.data, 'SHA-256')", &callShape{"States.Hash",
			[]any{"path:$.data", "SHA-256"}}},
		{"States.JsonMerge($.a, $.b, false)", &callShape{"States.JsonMerge",
			[]any{"path:$.a", "path:$.b", false}}},
		{"States.ArrayLength(States.StringSplit($.s, ','))", &callShape{
			"States.ArrayLength", []any{&callShape{"States.StringSplit",
				[]any{"path:$.s", ","}}}}},
		{"States.ArrayGetItem(States.Array($.a[?(@.x > 1)], 2), 0)", &callShape{
			"States.ArrayGetItem", []any{&callShape{"States.Array",
				[]any{"path:$.a[?(@.x > 1)]", num("2")}}, num("0")}}},
		{"States.StringToJson($.s)", &callShape{"States.StringToJson", []any{"path:$.s"}}},
		{"States.JsonToString($)", &callShape{"States.JsonToString", []any{"path:$"}}},
		{"States.ArrayPartition($.a, 4)", &callShape{"States.ArrayPartition",
			[]any{"path:$.a", num("4")}}},
		{"States.ArrayContains($.a, 'x')", &callShape{"States.ArrayContains",
			[]any{"path:$.a", "x"}}},
		{"States.ArrayUnique($.a)", &callShape{"States.ArrayUnique", []any{"path:$.a"}}},
		{"States.Base64Encode('x')", &callShape{"States.Base64Encode", []any{"x"}}},
		{"States.Base64Decode($.b)", &callShape{"States.Base64Decode", []any{"path:$.b"}}},
		{"States.StringSplit('a{b', '{')", &callShape{"States.StringSplit",
			[]any{"a{b", "{"}}},
	}
	for _, tt := range tests {
		c, err := ParseIntrinsic(tt.in)
		if err != nil {
			t.Errorf("ParseIntrinsic(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, shapeOf(c)); diff != "" {
			t.Errorf("ParseIntrinsic(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestFormatPieces(t *testing.T) {
	c, err := ParseIntrinsic(`States.Format('a\{\}{}b{}', 1, 2)`)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a{}", "b", ""}
	if diff := cmp.Diff(want, c.Args[0].FormatPieces()); diff != "" {
		t.Errorf("FormatPieces (-want +got):\n%s", diff)
	}
	if got := c.Args[1].FormatPieces(); got != nil {
		t.Errorf("FormatPieces of a number = %q, want nil", got)
	}
}

func TestParseIntrinsicRejects(t *testing.T) {
	tests := []struct {
		in   string
		want SyntaxError
	}{
		{"States.Foo(1)", SyntaxError{0, `unknown intrinsic function "States.Foo"`}},
		{"$.a", SyntaxError{0, "expected an intrinsic function such as States.Format"}},
		{"States.ArrayRange(1, 2)", SyntaxError{0,
			"States.ArrayRange takes 3 arguments, got 2"}},
		{"States.UUID(1)", SyntaxError{0, "States.UUID takes no arguments, got 1"}},
		{"States.Format()", SyntaxError{0, "States.Format takes at least 1 argument, got 0"}},
		{"States.MathRandom(1)", SyntaxError{0, "States.MathRandom takes 2 or 3 arguments, got 1"}},
		{"States.ArrayLength(1, 2)", SyntaxError{0, "States.ArrayLength takes 1 argument, got 2"}},
		{"States.ArrayRange(1, 'a', 1)", SyntaxError{21,
			"argument 2 of States.ArrayRange must be an integer, got a string"}},
		{"States.ArrayRange(1, 2.5, 1)", SyntaxError{21,
			"argument 2 of States.ArrayRange must be an integer, got 2.5"}},
		{"States.ArrayRange(1, 5, 0)", SyntaxError{24,
			"the step of States.ArrayRange cannot be zero"}},
		{"States.ArrayRange(0, 5000, 1)", SyntaxError{18,
			"States.ArrayRange makes more than 1000 items"}},
		{"States.MathAdd('1', 2)", SyntaxError{15,
			"argument 1 of States.MathAdd must be a number, got a string"}},
		{"States.Base64Encode(1)", SyntaxError{20,
			"argument 1 of States.Base64Encode must be a string, got 1"}},
		{"States.JsonMerge($.a, $.b, 'x')", SyntaxError{27,
			"argument 3 of States.JsonMerge must be a boolean, got a string"}},
		{"States.JsonMerge($.a, $.b, true)", SyntaxError{27,
			"States.JsonMerge supports only shallow merging: its third argument must be false"}},
		{"States.JsonMerge('a', $.b, false)", SyntaxError{17,
			"argument 1 of States.JsonMerge must be an object, got a string"}},
		{"States.Hash($.a, 'MD4')", SyntaxError{17,
			`unsupported hash algorithm "MD4": use MD5, SHA-1, SHA-256, SHA-384 or SHA-512`}},
		{"States.ArrayLength(States.UUID())", SyntaxError{19,
			"argument 1 of States.ArrayLength must be an array, " +
				"got States.UUID, which returns a string"}},
		{"States.ArrayPartition($.a, 0)", SyntaxError{27,
			"the chunk size of States.ArrayPartition must be positive"}},
		{"States.Format(1)", SyntaxError{14,
			"argument 1 of States.Format must be a string, got 1"}},
		{"States.Format('{} {}', 1)", SyntaxError{14,
			"States.Format template has 2 placeholders, got 1 value"}},
		{"States.Format('x', 1)", SyntaxError{14,
			"States.Format template has 0 placeholders, got 1 value"}},
		{"States.Format('a { b')", SyntaxError{17,
			`unescaped brace in States.Format template: write \{ or \} for a brace`}},
		{`States.Format('a \n')`, SyntaxError{17,
			`invalid escape in string literal: only \', \{, \} and \\ are allowed`}},
		{"States.Format('abc", SyntaxError{14, "unterminated string literal"}},
		{`States.Format("abc")`, SyntaxError{14, "string literals take single quotes"}},
		{"States.Array(1,)", SyntaxError{15, "missing argument"}},
		{"States.Array(,1)", SyntaxError{13, "missing argument"}},
		{"States.Array(1 2)", SyntaxError{15, "unexpected '2'"}},
		{"States.Array(1", SyntaxError{14,
			"missing ')' after the arguments of States.Array"}},
		{"States.Array(foo)", SyntaxError{13, `invalid argument "foo"`}},
		{"States.Array($.)", SyntaxError{15, "missing field name after '.', found ')'"}},
		{"States.UUID() x", SyntaxError{14, "unexpected 'x'"}},
		{"States.UUID", SyntaxError{11, "missing '('"}},
	}
	for _, tt := range tests {
		_, err := ParseIntrinsic(tt.in)
		checkSyntaxError(t, "ParseIntrinsic", tt.in, err, tt.want)
	}
}

func TestParseIntrinsicNesting(t *testing.T) {
	nest := func(n int) string {
		s := "$.a"
		for range n {
			s = "States.JsonToString(" + s + ")"
		}
		return s
	}
	if _, err := ParseIntrinsic(nest(10)); err != nil {
		t.Errorf("10 nested calls: %v", err)
	}
	_, err := ParseIntrinsic(nest(11))
	checkSyntaxError(t, "ParseIntrinsic", "11 nested calls", err,
		SyntaxError{200, "intrinsic functions nest more than 10 deep"})
}
