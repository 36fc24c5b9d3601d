package runtime

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/jointlambda/jlgen/runtime/expr"
)

// decodeText decodes a JSON text for a test, numbers as json.Number.
func decodeText(t *testing.T, s string) any {
	t.Helper()
	v, err := decode([]byte(s))
	if err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
	return v
}

// wantError checks that err is a States error with this name and cause.
func wantError(t *testing.T, err error, name, cause string) {
	t.Helper()
	var e *expr.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want %s: %s", err, name, cause)
	}
	if e.Name != name || e.Cause != cause {
		t.Errorf("got %s: %s\nwant %s: %s", e.Name, e.Cause, name, cause)
	}
}

func TestApplyPathMissing(t *testing.T) {
	tests := []struct {
		path, input, cause string
	}{
		{"$.x", `{"a":0}`, "Invalid path '$.x' : No results for path: $['x']"},
		{"$.a.b.c", `{}`, "Invalid path '$.a.b.c' : Missing property in path $['a']"},
		{"$.a.b", `{"a":{}}`, "Invalid path '$.a.b' : No results for path: $['a']['b']"},
	}
	for _, tt := range tests {
		_, err := applyPath(&scope{}, PathField(tt.path), decodeText(t, tt.input))
		wantError(t, err, "States.Runtime", tt.cause)
	}
}

func TestMapItems(t *testing.T) {
	tests := []struct {
		name  string
		state *State
		input string
		err   string // "" when the items are the input
		cause string
	}{
		{"jsonpath array", &State{}, `[1,2]`, "", ""},
		{"jsonpath object", &State{}, `{"a":1}`, "States.Runtime",
			`Map state input must be an array but was: {"a":1}`},
		{"jsonata input null", &State{JSONata: true}, `null`, "States.QueryEvaluationError",
			"Map state input must be an array but was: null"},
		{"jsonata items", &State{JSONata: true, Items: MustTemplate(`"{% $states.input.v %}"`,
			true)}, `{"v":"s"}`, "States.QueryEvaluationError",
			"The JSONata expression '$states.input.v' specified for the field 'Items' " +
				"returned an unexpected result type. Expected 'array', but was 'string' " +
				`for value: "s"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := mapItems(&scope{}, tt.state, decodeText(t, tt.input))
			if tt.err == "" {
				if err != nil || len(items) != 2 {
					t.Fatalf("got %v, %v", items, err)
				}
				return
			}
			wantError(t, err, tt.err, tt.cause)
		})
	}
}

func TestEvalMapLimits(t *testing.T) {
	count := &State{Type: "Map", ToleratedFailureCount: NumPath("$.n")}
	pct := &State{Type: "Map", ToleratedFailurePercentage: NumPath("$.n")}
	conc := &State{Type: "Map", MaxConcurrency: NumPath("$.n")}
	tests := []struct {
		state *State
		n     string
		cause string // "" when valid
	}{
		{count, `1`, ""},
		{count, `-1`, "ToleratedFailureCount cannot be negative."},
		{count, `"x"`, `The ToleratedFailureCountPath field refers to value "x" which is ` +
			`not a valid integer: $.n`},
		{pct, `100`, ""},
		{pct, `100.1`, "ToleratedFailurePercentage must be between 0 and 100."},
		{pct, `{}`, `The ToleratedFailurePercentagePath field refers to value "{}" which ` +
			`is not a valid float: $.n`},
		{conc, `"x"`, `The MaxConcurrencyPath field refers to value "x" which is not a ` +
			`valid integer: $.n`},
	}
	for _, tt := range tests {
		_, err := evalMapLimits(&scope{}, tt.state, decodeText(t, `{"n":`+tt.n+`}`))
		if tt.cause == "" {
			if err != nil {
				t.Errorf("n=%s: %v", tt.n, err)
			}
			continue
		}
		wantError(t, err, "States.Runtime", tt.cause)
	}
}

func TestMapLimitsTolerates(t *testing.T) {
	tests := []struct {
		l            mapLimits
		failed, size int
		want         bool
	}{
		{mapLimits{-1, -1}, 1, 3, false},
		{mapLimits{1, -1}, 1, 3, true},
		{mapLimits{1, -1}, 2, 3, false},
		{mapLimits{-1, 50}, 1, 2, true},
		{mapLimits{-1, 50}, 2, 3, false},
	}
	for _, tt := range tests {
		if got := tt.l.tolerates(tt.failed, tt.size); got != tt.want {
			t.Errorf("%+v tolerates %d of %d: got %v", tt.l, tt.failed, tt.size, got)
		}
	}
}

func TestWaitSeconds(t *testing.T) {
	secs, err := waitSeconds(&scope{}, NumPath("$.s"), decodeText(t, `{"s":2}`))
	if err != nil || secs != 2 {
		t.Fatalf("got %d, %v", secs, err)
	}
	_, err = waitSeconds(&scope{}, NumPath("$.s"), decodeText(t, `{"s":1.5}`))
	wantError(t, err, "States.Runtime",
		"The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5")
}

func TestWaitTimestamp(t *testing.T) {
	good := []string{"2016-03-05T21:29:29.243167252Z", "2016-03-05T21:29:29+01:00",
		"2016-03-05T21:29Z"}
	for _, s := range good {
		if _, ok := parseTimestamp(s); !ok {
			t.Errorf("%s: not parsed", s)
		}
	}
	tests := []struct {
		text  Text
		ts    string
		name  string
		cause string
	}{
		{StrPath("$.t"), "2016-12-05T25:29:29Z", "States.Runtime", "The TimestampPath " +
			"parameter does not reference a valid ISO-8601 extended offset date-time format " +
			"string: $.t == 2016-12-05T25:29:29Z"},
		{StrJSONata("{% $states.input.t %}"), "2016-12-05 21:29:29Z",
			"States.QueryEvaluationError", "The Timestamp field cannot be parsed as an " +
				"ISO-8601 extended offset date-time format string: 2016-12-05 21:29:29Z"},
	}
	for _, tt := range tests {
		in := map[string]any{"t": tt.ts}
		_, err := waitTimestamp(&scope{}, tt.text, in)
		wantError(t, err, tt.name, tt.cause)
	}
}

func TestFailTextMissingPath(t *testing.T) {
	_, err := failText(&scope{}, StrPath("$.c"), decodeText(t, `{"a":"<b>"}`), "Cause")
	wantError(t, err, "States.Runtime", "The JSONPath '$.c' specified for the field "+
		`'CausePath' could not be found in the input '{"a":"<b>"}'`)
}

func TestChoiceDataFlow(t *testing.T) {
	s := &State{JSONata: true, Assign: MustTemplate(`{"v":"default"}`, true),
		Output: MustTemplate(`"default out"`, true)}
	rule := MustTemplate(`{"v":"rule"}`, true)
	out, vars, err := choiceDataFlow(&scope{}, s, rule, nil, "in")
	if err != nil || out != "in" || vars["v"] != "rule" {
		t.Errorf("rule: got %v, %v, %v", out, vars, err)
	}
	out, vars, err = choiceDataFlow(&scope{}, s, s.Assign, s.Output, "in")
	if err != nil || out != "default out" || vars["v"] != "default" {
		t.Errorf("default: got %v, %v, %v", out, vars, err)
	}
}

func TestMatches(t *testing.T) {
	tests := []struct {
		list []string
		name string
		want bool
	}{
		{[]string{"States.ALL"}, "States.DataLimitExceeded", true},
		{[]string{"States.ALL"}, "States.Runtime", false},
		{[]string{"States.TaskFailed"}, "States.Timeout", false},
		{[]string{"States.TaskFailed"}, "Custom", true},
		{[]string{"Internal Error"}, "", false},
	}
	for _, tt := range tests {
		if got := matches(tt.list, tt.name); got != tt.want {
			t.Errorf("matches(%v, %q) = %v", tt.list, tt.name, got)
		}
	}
}

func TestStateContextRetryCount(t *testing.T) {
	c := &Call{p: &Platform{Now: time.Now}}
	if _, ok := c.stateContext(&State{Name: "P", Type: "Pass"})["RetryCount"]; ok {
		t.Error("a Pass state's context has a RetryCount")
	}
	got := c.stateContext(&State{Name: "T", Type: "Task"})["RetryCount"]
	if got != json.Number("0") {
		t.Errorf("a Task state's RetryCount is %v", got)
	}
}

func TestJSONataNullIsNotUndefined(t *testing.T) {
	env := &expr.Env{Input: decodeText(t, `{"items":null}`), Vars: map[string]any{"x": nil}}
	for _, src := range []string{`"{% $states.input.items %}"`, `"{% $x %}"`} {
		v, err := MustTemplate(src, true).EvalField(env, "Output")
		if err != nil || v != nil {
			t.Errorf("%s: got %v, %v; want null", src, v, err)
		}
	}
}
