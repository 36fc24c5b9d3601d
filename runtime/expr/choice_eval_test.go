package expr_test

import (
	"errors"
	"testing"

	"github.com/jointlambda/jlgen/runtime/expr"
)

func TestRuleEval(t *testing.T) {
	input := `{"s": "a*b\\c", "file": "log-2024.txt", "t": "2012-10-09T19:00:55+01:00",
		"u": "2012-10-09T18:00:55Z", "local": "2012-10-09T19:00:55", "n": 10, "flag": true,
		"emoji": "😀", "han": "ｚ", "nil": null}`
	for _, tc := range []struct {
		rule string
		want bool
	}{
		{`{"Variable": "$.file", "StringMatches": "log-*.txt"}`, true},
		{`{"Variable": "$.file", "StringMatches": "*.txt*"}`, true},
		{`{"Variable": "$.file", "StringMatches": "log-*.csv"}`, false},
		{`{"Variable": "$.s", "StringMatches": "a\\*b\\\\c"}`, true},
		{`{"Variable": "$.s", "StringMatches": "a\\*"}`, false},
		{`{"Variable": "$.t", "TimestampEquals": "2012-10-09T18:00:55Z"}`, true},
		{`{"Variable": "$.t", "TimestampEqualsPath": "$.u"}`, true},
		{`{"Variable": "$.local", "TimestampEquals": "2012-10-09T19:00:55Z"}`, false},
		{`{"Variable": "$.t", "IsTimestamp": true}`, true},
		{`{"Variable": "$.local", "IsTimestamp": false}`, true},
		{`{"Variable": "$.n", "NumericGreaterThan": 9.99}`, true},
		{`{"Variable": "$.n", "StringEquals": "10"}`, false},
		{`{"Variable": "$.emoji", "StringLessThan": "ｚ"}`, true},
		{`{"Variable": "$.missing", "IsPresent": false}`, true},
		{`{"Variable": "$.nil", "IsNull": true}`, true},
		{`{"Not": {"Variable": "$.flag", "BooleanEquals": true}}`, false},
		{`{"And": [{"Variable": "$.n", "NumericEquals": 10},
			{"Or": [{"Variable": "$.flag", "BooleanEquals": false},
				{"Variable": "$.n", "NumericLessThanEquals": 10.0}]}]}`, true},
		{`{"Condition": "{% $states.input.n > 5 %}"}`, true},
		{`{"Condition": false}`, false},
	} {
		got, err := evalRule(t, tc.rule, input)
		if err != nil || got != tc.want {
			t.Errorf("%s: got %v, %v; want %v", tc.rule, got, err, tc.want)
		}
	}
}

func TestRuleEvalErrors(t *testing.T) {
	input := `{"n": 1}`
	for _, tc := range []struct{ rule, name string }{
		{`{"Variable": "$.missing", "NumericEquals": 1}`, expr.ErrRuntime},
		{`{"Variable": "$.n", "NumericEqualsPath": "$.missing"}`, expr.ErrRuntime},
		{`{"Variable": "$.missing", "IsNull": true}`, expr.ErrRuntime},
		{`{"Condition": "{% $states.input.n %}"}`, expr.ErrQueryEvaluation},
		{`{"Condition": "{% $states.input.nothing %}"}`, expr.ErrQueryEvaluation},
	} {
		_, err := evalRule(t, tc.rule, input)
		var e *expr.Error
		if !errors.As(err, &e) || e.Name != tc.name {
			t.Errorf("%s: error %v, want a %s error", tc.rule, err, tc.name)
		}
	}
}

func evalRule(t *testing.T, rule, input string) (bool, error) {
	t.Helper()
	v, err := decode([]byte(rule))
	if err != nil {
		t.Fatalf("%s: %v", rule, err)
	}
	m, _ := v.(map[string]any)
	r, err := buildRule(m)
	if err != nil {
		t.Fatalf("%s: %v", rule, err)
	}
	return r.Eval(fixedEnv(input))
}
