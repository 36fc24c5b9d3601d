package expr

import (
	"strings"
	"testing"
)

func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"$", "$.a.b", "$['k']", `$["k\"q"]`, "$.a[0]", "$.a[-1]",
		"$.a[*]", "$.a.*", "$.a[1:3]", "$.a[::2]", "$.a[0,1]", "$['a','b']",
		"$.a[?(@.x > 2)]", "$.a[?(@.x == 'y' && @.z || !(@.w =~ /a.*/i))]",
		"$..name", "$.a.length()", "$.a-b", "$.abc.['def ghi']", `$.a\.b`, "$$.Map.Item.Value",
		"$name.a", "$states.input", "$.a[?(@.k in ['a', 1])]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePath(s)
		if err != nil {
			checkFuzzError(t, s, err)
			return
		}
		if p.String() != s {
			t.Fatalf("String() = %q, want %q", p.String(), s)
		}
		p.Get(map[string]any{"a": []any{map[string]any{"x": "y"}, "b"}})
		if _, err := ParseReferencePath(s); err == nil && !p.IsDefinite() {
			t.Fatalf("reference path %q is not definite", s)
		}
	})
}

func FuzzParseIntrinsic(f *testing.F) {
	for _, s := range []string{"States.Format('Hello, {}!', $.name)",
		`States.Format('a \{b\} \' \\ {}', $$.Execution.Id)`, "States.UUID()",
		"States.ArrayRange(1, 9, 2)", "States.MathRandom(1, 999, 7)",
		"States.ArrayLength(States.StringSplit($.s, ','))", "States.Array(1, -2.5, true, null)",
		"States.Hash($.data, 'SHA-256')", "States.JsonMerge($.a, $var.b, false)",
		"States.ArrayGetItem(States.Array($.a[?(@.x > 1)], 2), 0)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseIntrinsic(s)
		if err != nil {
			checkFuzzError(t, s, err)
			return
		}
		if c.Name == "" || !IsIntrinsic(s) {
			t.Fatalf("ParseIntrinsic(%q) accepted a call that IsIntrinsic rejects", s)
		}
	})
}

func FuzzParseJSONataString(f *testing.F) {
	for _, s := range []string{"{% $states.input.name %}", "{% ($x := 1; $x + 1) %}",
		"{% $states.input.items ~> $map(function($v) { $v * 2 }) %}",
		"{% $contains($states.input.s, /ab+c/i) %}", "{% {'a': [1, 2][0]} %}",
		"{% /* c */ $partition([1], 1) %}", "{% $a.'b c'.d %}", "{% 1 + %}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := ParseJSONataString(s); err != nil {
			checkFuzzError(t, s, err)
		}
	})
}

// checkFuzzError checks that err is a *SyntaxError inside s with a
// lower-case message without a final period.
func checkFuzzError(t *testing.T, s string, err error) {
	t.Helper()
	se, ok := err.(*SyntaxError)
	if !ok {
		t.Fatalf("error %v is %T, want *SyntaxError", err, err)
	}
	if se.Offset < 0 || se.Offset > len(s) {
		t.Fatalf("offset %d outside [0, %d]: %v", se.Offset, len(s), se)
	}
	if se.Msg == "" || strings.HasSuffix(se.Msg, ".") {
		t.Fatalf("bad message %q", se.Msg)
	}
}
