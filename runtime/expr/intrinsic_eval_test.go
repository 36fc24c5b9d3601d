package expr_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jointlambda/jlgen/runtime/expr"
)

// fixedEnv is an Env whose non-deterministic sources are fixed.
func fixedEnv(input string) *expr.Env {
	v, err := decode([]byte(input))
	if err != nil {
		panic(err)
	}
	return &expr.Env{
		Input:  v,
		Vars:   map[string]any{"greeting": "hi"},
		Random: func() float64 { return 0.5 },
		UUID:   func() string { return "00000000-0000-4000-8000-000000000000" },
	}
}

func TestCallEval(t *testing.T) {
	input := `{"n": 1.0, "big": 12345678901234567890, "s": "a,b;c", "arr": [1, 1.0, "x", {"a": 1}],
		"obj": {"b": [true, null], "a": "x"}, "tpl": "{} and {}"}`
	for _, tc := range []struct{ call, want string }{
		{`States.JsonToString($.n)`, `"1.0"`},
		{`States.JsonToString($.big)`, `"12345678901234567890"`},
		{`States.JsonToString($.obj)`, `"{\"a\":\"x\",\"b\":[true,null]}"`},
		{`States.Format('{} {} {}', $.n, $.obj, $greeting)`, `"1.0 {a=x, b=[true, null]} hi"`},
		{`States.Format('\{\} {}', 'x')`, `"{} x"`},
		{`States.Format($.tpl, 1, 'two')`, `"1 and two"`},
		{`States.StringSplit($.s, ',;')`, `["a","b","c"]`},
		{`States.StringToJson('  ')`, `null`},
		{`States.StringToJson('{"a": 1.50}')`, `{"a":1.50}`},
		{`States.ArrayUnique($.arr)`, `[1,"x",{"a":1}]`},
		{`States.ArrayContains($.arr, 1.00)`, `true`},
		{`States.ArrayRange(5, 1, -2)`, `[5,3,1]`},
		{`States.ArrayRange(1, 3, -1)`, `[]`},
		{`States.ArrayPartition(States.ArrayRange(1, 5, 1), 2)`, `[[1,2],[3,4],[5]]`},
		{`States.ArrayGetItem($.arr, 3)`, `{"a":1}`},
		{`States.ArrayLength($.arr)`, `4`},
		{`States.Hash('input data', 'SHA-384')`, `"` + sha384 + `"`},
		{`States.JsonMerge($.obj, $.obj, false)`, `{"a":"x","b":[true,null]}`},
		{`States.MathAdd(2.5, -2.5)`, `1`},
		{`States.MathRandom(10, 20)`, `15`},
		{`States.MathRandom(1, 2, 7)`, `1`},
		{`States.UUID()`, `"00000000-0000-4000-8000-000000000000"`},
		{`States.Base64Decode(States.Base64Encode('é'))`, `"é"`},
	} {
		got, err := evalCall(t, tc.call, fixedEnv(input))
		if err != nil {
			t.Errorf("%s: %v", tc.call, err)
			continue
		}
		want, _ := decode([]byte(tc.want))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.call, diff)
		}
	}
}

// sha384 is the SHA-384 digest of "input data", computed with Python's hashlib.
const sha384 = "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b" +
	"87525bdc835ebb27e1fb9e9374a15562"

func TestCallEvalErrors(t *testing.T) {
	input := `{"arr": [1, 2], "s": "x", "big": 3000000000, "half": 0.5}`
	for _, tc := range []struct{ call, name string }{
		{`States.ArrayGetItem($.arr, 2)`, expr.ErrIntrinsicFailure},
		{`States.ArrayGetItem($.arr, $.half)`, expr.ErrIntrinsicFailure},
		{`States.ArrayLength($.s)`, expr.ErrIntrinsicFailure},
		{`States.ArrayRange(0, $.big, 1)`, expr.ErrIntrinsicFailure},
		{`States.StringToJson('{')`, expr.ErrIntrinsicFailure},
		{`States.Base64Decode('%%%')`, expr.ErrIntrinsicFailure},
		{`States.Format($.s, 1)`, expr.ErrIntrinsicFailure},
		{`States.MathAdd($.big, 1)`, expr.ErrIntrinsicFailure},
		{`States.MathRandom(5, 5)`, expr.ErrIntrinsicFailure},
		{`States.Hash($.s, $.s)`, expr.ErrIntrinsicFailure},
		{`States.Array($.missing)`, expr.ErrRuntime},
	} {
		_, err := evalCall(t, tc.call, fixedEnv(input))
		var e *expr.Error
		if !errors.As(err, &e) || e.Name != tc.name {
			t.Errorf("%s: error %v, want a %s error", tc.call, err, tc.name)
		}
	}
}

func evalCall(t *testing.T, src string, env *expr.Env) (any, error) {
	t.Helper()
	c, err := expr.ParseIntrinsic(src)
	if err != nil {
		t.Fatalf("parse %s: %v", src, err)
	}
	return c.Eval(env)
}
