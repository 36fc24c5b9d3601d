package expr

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIsJSONataString(t *testing.T) {
	tests := map[string]bool{
		"{% 1 %}": true, "{%1%}": true, "{%%}": true, "{%}": false, " {% 1 %}": false,
		"{% 1 %} ": false, "$.a": false, "": false,
	}
	for in, want := range tests {
		if got := IsJSONataString(in); got != want {
			t.Errorf("IsJSONataString(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestParseJSONataStringAccepts(t *testing.T) {
	for _, in := range []string{
		"{% $states.input.name %}",
		"{%$states.input%}",
		"{% ($x := 1; $y := $x + 1; $y) %}",
		"{% $states.input.items ~> $map(function($v) { $v * 2 }) %}",
		"{% $contains($states.input.s, /ab+c/i) %}",
		"{% {'a': $states.input.a, 'b': [1, 2, 3][0]} %}",
		"{% $states.input.a ? 'yes' : 'no' %}",
		"{% $partition([1, 2, 3], 2) %}",
		"{% $range(0, 10, 2) %}",
		"{% $hash('x', 'SHA-256') %}",
		"{% $random() %}",
		"{% $uuid() %}",
		"{% $parse($states.input.json) %}",
		"{% $states.context.Execution.Id & '-' & $count($states.result) %}",
		"{%\n  $sum($states.input.items.price)\n%}",
		"{% /* comment */ 1 + 2 %}",
	} {
		j, err := ParseJSONataString(in)
		if err != nil {
			t.Errorf("ParseJSONataString(%q): %v", in, err)
			continue
		}
		if want := strings.TrimSpace(in[2 : len(in)-2]); j.String() != want {
			t.Errorf("String() = %q, want %q", j.String(), want)
		}
	}
}

func TestParseJSONataStringRejects(t *testing.T) {
	tests := []struct {
		in   string
		want SyntaxError
	}{
		{"$.a", SyntaxError{0, "a JSONata expression must start with {% and end with %}"}},
		{" {% 1 %}", SyntaxError{0, "a JSONata expression must start with {% and end with %}"}},
		{"{%  %}", SyntaxError{2, "empty JSONata expression"}},
		{"{% 1 + %}", SyntaxError{7, "unexpected end of expression"}},
		{"{% (1 %}", SyntaxError{6, "expected token ')' before end of expression"}},
		{"{% foo bar %}", SyntaxError{7, "syntax error: 'bar'"}},
		{"{% [1, 2 %}", SyntaxError{9, "expected token ']' before end of expression"}},
		{"{% /abc %}", SyntaxError{4, "unterminated regular expression (no closing '/')"}},
	}
	for _, tt := range tests {
		_, err := ParseJSONataString(tt.in)
		checkSyntaxError(t, "ParseJSONataString", tt.in, err, tt.want)
	}
}

func TestJSONataEval(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"{% $states.input.a + 1 %}", `3`},
		{"{% $partition($states.input.xs, 2) %}", `[[1,2],[3]]`},
		{"{% $range(1, 5, 2) %}", `[1,3,5]`},
		{"{% $hash('a', 'MD5') %}", `"0cc175b9c0f1b6a831c399e269772661"`},
		{"{% $parse('{\"k\": [1.5]}').k[0] %}", `1.5`},
		{"{% $length($uuid()) %}", `36`},
		{"{% $random(7) = $random(7) %}", `true`},
		{"{% $states.input.missing %}", `null`},
	}
	input := map[string]any{"a": json.Number("2"),
		"xs": []any{json.Number("1"), json.Number("2"), json.Number("3")}}
	vars := map[string]any{"states": map[string]any{"input": input}}
	for _, tt := range tests {
		j, err := ParseJSONataString(tt.in)
		if err != nil {
			t.Fatalf("ParseJSONataString(%q): %v", tt.in, err)
		}
		got, err := j.Eval(input, vars)
		if err != nil {
			t.Errorf("Eval(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(decode(t, tt.want), got); diff != "" {
			t.Errorf("Eval(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseJSONataStringNesting(t *testing.T) {
	in := "{% " + strings.Repeat("(", 1001) + "1" + strings.Repeat(")", 1001) + " %}"
	_, err := ParseJSONataString(in)
	checkSyntaxError(t, "ParseJSONataString", "deep", err,
		SyntaxError{1003, "JSONata expression nested too deeply"})
	ok := "{% '((((' & \"[[[\" %}"
	if _, err := ParseJSONataString(ok); err != nil {
		t.Errorf("brackets in strings: %v", err)
	}
}
