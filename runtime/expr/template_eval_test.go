package expr_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jointlambda/jlgen/runtime/expr"
)

func TestTemplateEval(t *testing.T) {
	env := fixedEnv(`{"a": {"b": [1, 2]}, "name": "x"}`)
	env.Context = map[string]any{"State": map[string]any{"Name": "S"}}
	env.Result, env.HasResult = "done", true
	for _, tc := range []struct {
		tmpl    string
		jsonata bool
		want    string
	}{
		{`{"x.$": "$.a.b[1]", "y": {"z.$": "$$.State.Name"}, "v.$": "$greeting",
			"f.$": "States.Format('{}-{}', $.name, $.a.b)"}`, false,
			`{"x": 2, "y": {"z": "S"}, "v": "hi", "f": "x-[1, 2]"}`},
		{`{"lit.$x": 1, "arr": [{"k.$": "$.name"}]}`, false, `{"lit.$x": 1, "arr": [{"k": "x"}]}`},
		{`{"r": "{% $states.result %}", "n": "{% $count($states.input.a.b) %}",
			"v": "{% $greeting %}", "s": "{% literal %}x"}`, true,
			`{"r": "done", "n": 2, "v": "hi", "s": "{% literal %}x"}`},
	} {
		tv, err := decode([]byte(tc.tmpl))
		if err != nil {
			t.Fatal(err)
		}
		tmpl, err := buildTemplate(tv, tc.jsonata)
		if err != nil {
			t.Fatalf("%s: %v", tc.tmpl, err)
		}
		got, err := tmpl.Eval(env)
		if err != nil {
			t.Errorf("%s: %v", tc.tmpl, err)
			continue
		}
		want, _ := decode([]byte(tc.want))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.tmpl, diff)
		}
	}
}

func TestTemplateEvalErrors(t *testing.T) {
	env := fixedEnv(`{"a": 1}`)
	for _, tc := range []struct {
		tmpl    string
		jsonata bool
		want    expr.Error
	}{
		{`{"v.$": "$.b"}`, false, expr.Error{Name: expr.ErrRuntime, Cause: "The JSONPath '$.b' " +
			"specified for the field 'v.$' could not be found in the input '{\"a\":1}'"}},
		{`{"v.$": "States.Array($.b)"}`, false, expr.Error{Name: expr.ErrRuntime,
			Cause: "The JsonPath argument for the field 'v.$' could not be found in the " +
				"input '{\"a\":1}'"}},
		{`{"result": "{% $nothing %}"}`, true, expr.Error{Name: expr.ErrQueryEvaluation,
			Cause: "The JSONata expression '$nothing' specified for the field " +
				"'Output/result' returned nothing (undefined)."}},
	} {
		tv, _ := decode([]byte(tc.tmpl))
		tmpl, err := buildTemplate(tv, tc.jsonata)
		if err != nil {
			t.Fatalf("%s: %v", tc.tmpl, err)
		}
		_, err = tmpl.EvalField(env, "Output")
		if diff := cmp.Diff(&tc.want, expr.AsError(err)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.tmpl, diff)
		}
	}
}

// TestTemplateEvalCopies checks that a result can be changed without
// changing the template or the input.
func TestTemplateEvalCopies(t *testing.T) {
	env := fixedEnv(`{"a": {"b": 1}}`)
	tv, _ := decode([]byte(`{"lit": {"c": 2}, "p.$": "$.a"}`))
	tmpl, _ := buildTemplate(tv, false)
	out, err := tmpl.Eval(env)
	if err != nil {
		t.Fatal(err)
	}
	m := out.(map[string]any)
	m["lit"].(map[string]any)["c"] = "changed"
	m["p"].(map[string]any)["b"] = "changed"
	again, _ := tmpl.Eval(env)
	want, _ := decode([]byte(`{"lit": {"c": 2}, "p": {"b": 1}}`))
	if diff := cmp.Diff(want, again); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
