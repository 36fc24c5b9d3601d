package expr

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseAlibabaExpr(t *testing.T) {
	cases := []struct{ in, want string }{
		{`$.marker != ""`, `($.marker != "")`},
		{`$.has_more`, `$.has_more`},
		{`$.a > 1 && $.b == "x"`, `(($.a > 1) && ($.b == "x"))`},
		{`$.h && ($.e >= 4000 || $.t >= $.u)`, `($.h && (($.e >= 4000) || ($.t >= $.u)))`},
		{`!$.done || $.x <= -1.5e2`, `(!$.done || ($.x <= -1.5e2))`},
		{`$local[*].parts[*]`, `$local[*].parts[*]`},
		{`$Input.status=='ready'`, `($Input.status == "ready")`},
		{`format("{}", $Context.Execution.Name, null, true)`,
			`format("{}", $Context.Execution.Name, null, true)`},
		{`$input.a['b c'][0].d-e`, `$input.a['b c'][0].d-e`},
	}
	for _, c := range cases {
		e, err := ParseAlibabaExpr(c.in)
		if err != nil {
			t.Errorf("ParseAlibabaExpr(%q): %v", c.in, err)
			continue
		}
		if got := e.String(); got != c.want {
			t.Errorf("ParseAlibabaExpr(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestParseAlibabaExprErrors(t *testing.T) {
	cases := []struct {
		in     string
		offset int
	}{
		{``, 0}, {`$.a ==`, 6}, {`$.a[`, 4}, {`$foo.x`, 0}, {`"abc`, 0},
		{`($.a`, 4}, {`bare`, 0}, {`$.a == 1 2`, 9}, {`$.a ~ 1`, 4},
	}
	for _, c := range cases {
		_, err := ParseAlibabaExpr(c.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParseAlibabaExpr(%q) = %v, want a *SyntaxError", c.in, err)
			continue
		}
		if se.Offset != c.offset {
			t.Errorf("ParseAlibabaExpr(%q): offset %d, want %d (%s)", c.in, se.Offset,
				c.offset, se.Msg)
		}
	}
}

func TestAlibabaMappingSource(t *testing.T) {
	for in, isPath := range map[string]bool{"$input.a": true, "$local": true,
		"$context.task.token": true, "$local[*].v": true, "$.a": false, "$inputs": false,
		"http://x": false, "": false} {
		if got := IsAlibabaMappingPath(in); got != isPath {
			t.Errorf("IsAlibabaMappingPath(%q) = %v, want %v", in, got, isPath)
		}
	}
}

func TestAlibabaEval(t *testing.T) {
	var input any
	if err := json.Unmarshal([]byte(`{"a": 2, "b": "x", "done": false,
		"items": [{"v": 1, "p": [1, 2]}, {"v": 2, "p": [3]}]}`), &input); err != nil {
		t.Fatal(err)
	}
	scope := &AlibabaScope{Current: input, Local: input.(map[string]any)["items"]}
	cases := []struct {
		in   string
		want any
	}{
		{`$.a > 1 && $.b == "x"`, true},
		{`$.a >= 3 || !$.done`, true},
		{`$.missing`, nil},
		{`$.items[1].v`, 2.0},
		{`$local[*].p[*]`, []any{1.0, 2.0, 3.0}},
		{`$.b < 1`, false},
		{`$.a == 2.0`, true},
	}
	for _, c := range cases {
		e, err := ParseAlibabaExpr(c.in)
		if err != nil {
			t.Fatalf("ParseAlibabaExpr(%q): %v", c.in, err)
		}
		got, err := e.Eval(scope)
		if err != nil {
			t.Errorf("Eval(%q): %v", c.in, err)
			continue
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("Eval(%q) mismatch (-want +got):\n%s", c.in, diff)
		}
	}
}
