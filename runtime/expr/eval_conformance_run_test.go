package expr_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/jointlambda/jlgen/runtime/expr"
)

// outcome is how an execution ended.
type outcome struct {
	status string // SUCCEEDED or FAILED
	output any
	err    *expr.Error
}

// stateRun is the run of one state: its name, definition, the event id
// of its entry in the history, and the query language of the machine.
type stateRun struct {
	name    string
	def     map[string]any
	eventID int
	jsonata bool
	ctx     map[string]any
}

// run executes the case's machine: one Pass state, or one Choice state
// and the Pass, Succeed or Fail state it picks.
func (c *conformanceCase) run() (outcome, error) {
	states, _ := c.def["States"].(map[string]any)
	start, _ := c.def["StartAt"].(string)
	s, err := c.state(states, start, 2)
	if err != nil {
		return outcome{}, err
	}
	switch s.def["Type"] {
	case "Pass":
		return s.pass(c.input)
	case "Choice":
		next, out, err := s.choice(c.input)
		if err != nil || out.status != "" {
			return out, err
		}
		after, err := c.state(states, next, 4)
		if err != nil {
			return outcome{}, err
		}
		return after.simple(out.output)
	}
	return outcome{}, notApplicable(fmt.Sprintf("starts with a %v state", s.def["Type"]))
}

// state returns the run of the named state.
func (c *conformanceCase) state(states map[string]any, name string, id int) (*stateRun, error) {
	def, ok := states[name].(map[string]any)
	if !ok {
		return nil, notApplicable("no state " + name)
	}
	ql, _ := c.def["QueryLanguage"].(string)
	if q, ok := def["QueryLanguage"].(string); ok {
		ql = q
	}
	return &stateRun{name: name, def: def, eventID: id, jsonata: ql == "JSONata",
		ctx: contextObject(c.input, name)}, nil
}

// contextObject returns a context object like the one AWS hands a state.
func contextObject(input any, state string) map[string]any {
	const arn = "arn:aws:states:us-east-1:111111111111:"
	const now = "2024-01-02T03:04:05.678Z"
	return map[string]any{
		"Execution": map[string]any{
			"Id":           arn + "execution:state-machine-name:exec-name",
			"Input":        input,
			"Name":         "exec-name",
			"RedriveCount": json.Number("0"),
			"RoleArn":      "arn:aws:iam::111111111111:role/sfn-role",
			"StartTime":    now,
		},
		"StateMachine": map[string]any{
			"Id":   arn + "stateMachine:state-machine-name",
			"Name": "state-machine-name",
		},
		"State": map[string]any{"EnteredTime": now, "Name": state},
	}
}

// only reports a field of the state outside allowed as not applicable.
func (s *stateRun) only(allowed ...string) error {
	for k := range s.def {
		if !contains(allowed, k) {
			return notApplicable(fmt.Sprintf("state %s uses %s", s.name, k))
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// simple runs the Pass, Succeed or Fail state a Choice picked.
func (s *stateRun) simple(input any) (outcome, error) {
	switch s.def["Type"] {
	case "Pass":
		return s.pass(input)
	case "Succeed":
		if err := s.only("Type", "Comment"); err != nil {
			return outcome{}, err
		}
		return outcome{status: "SUCCEEDED", output: input}, nil
	case "Fail":
		if err := s.only("Type", "Comment", "Error", "Cause"); err != nil {
			return outcome{}, err
		}
		name, _ := s.def["Error"].(string)
		cause, _ := s.def["Cause"].(string)
		return outcome{status: "FAILED", err: &expr.Error{Name: name, Cause: cause}}, nil
	}
	return outcome{}, notApplicable(fmt.Sprintf("a Choice leads to a %v state", s.def["Type"]))
}

// failed is the outcome of an evaluation error in the state, whose
// cause AWS prefixes with the state and its entry event.
func (s *stateRun) failed(err error) (outcome, error) {
	var e *expr.Error
	if !errors.As(err, &e) {
		return outcome{}, fmt.Errorf("state %s: %v", s.name, err)
	}
	cause := fmt.Sprintf("An error occurred while executing the state '%s' "+
		"(entered at the event id #%d). %s", s.name, s.eventID, e.Cause)
	return outcome{status: "FAILED", err: &expr.Error{Name: e.Name, Cause: cause}}, nil
}

// maxPayload is the largest state output AWS accepts, in bytes of JSON.
const maxPayload = 256 * 1024

// pass runs a Pass state that ends the execution, and checks the size
// of its output.
func (s *stateRun) pass(input any) (outcome, error) {
	out, err := s.passOutput(input)
	if err != nil || out.status != "SUCCEEDED" {
		return out, err
	}
	if b, _ := json.Marshal(out.output); len(b) > maxPayload {
		return outcome{status: "FAILED", err: expr.NewError("States.DataLimitExceeded",
			"The state/task '%s' returned a result with a size exceeding the maximum "+
				"number of bytes service limit.", s.name)}, nil
	}
	return out, nil
}

// passOutput computes the output of a Pass state.
func (s *stateRun) passOutput(input any) (outcome, error) {
	if s.def["End"] != true {
		return outcome{}, notApplicable("state " + s.name + " does not end the execution")
	}
	if s.jsonata {
		return s.passJSONata(input)
	}
	err := s.only("Type", "Comment", "End", "QueryLanguage", "InputPath", "Parameters",
		"Result", "ResultPath", "OutputPath")
	if err != nil {
		return outcome{}, err
	}
	out, err := s.passJSONPath(input)
	if err != nil {
		if _, ok := err.(notApplicable); ok {
			return outcome{}, err
		}
		return s.failed(err)
	}
	return outcome{status: "SUCCEEDED", output: out}, nil
}

func (s *stateRun) passJSONPath(input any) (any, error) {
	effective, err := s.applyPath("InputPath", input)
	if err != nil {
		return nil, err
	}
	result := effective
	if p, ok := s.def["Parameters"]; ok {
		t, err := buildTemplate(p, false)
		if err != nil {
			return nil, notApplicable(err.Error())
		}
		env := &expr.Env{Input: effective, Context: s.ctx}
		if result, err = t.EvalField(env, "Parameters"); err != nil {
			return nil, err
		}
	} else if r, ok := s.def["Result"]; ok {
		result = r
	}
	out, err := s.applyResultPath(input, result)
	if err != nil {
		return nil, err
	}
	return s.applyPath("OutputPath", out)
}

func (s *stateRun) passJSONata(input any) (outcome, error) {
	if err := s.only("Type", "Comment", "End", "QueryLanguage", "Output"); err != nil {
		return outcome{}, err
	}
	o, ok := s.def["Output"]
	if !ok {
		return outcome{status: "SUCCEEDED", output: input}, nil
	}
	t, err := buildTemplate(o, true)
	if err != nil {
		return outcome{}, notApplicable(err.Error())
	}
	out, err := t.EvalField(&expr.Env{Input: input, Context: s.ctx}, "Output")
	if err != nil {
		return s.failed(err)
	}
	return outcome{status: "SUCCEEDED", output: out}, nil
}

// choice picks the next state of a JSONPath or JSONata Choice state.
func (s *stateRun) choice(input any) (string, outcome, error) {
	err := s.only("Type", "Comment", "Choices", "Default", "QueryLanguage",
		"InputPath", "OutputPath")
	if err != nil {
		return "", outcome{}, err
	}
	effective, err := s.applyPath("InputPath", input)
	if err != nil {
		out, err := s.failed(err)
		return "", out, err
	}
	next, err := s.pick(effective)
	if err != nil {
		if _, ok := err.(notApplicable); ok {
			return "", outcome{}, err
		}
		out, err := s.failed(err)
		return "", out, err
	}
	out, err := s.applyPath("OutputPath", input)
	if err != nil {
		o, err := s.failed(err)
		return "", o, err
	}
	return next, outcome{output: out}, nil
}

// pick returns the Next of the first rule that holds, or the Default.
func (s *stateRun) pick(input any) (string, error) {
	choices, _ := s.def["Choices"].([]any)
	env := &expr.Env{Input: input, Context: s.ctx}
	for _, it := range choices {
		m, _ := it.(map[string]any)
		if _, ok := m["Assign"]; ok {
			return "", notApplicable("a choice rule assigns variables")
		}
		if _, ok := m["Output"]; ok {
			return "", notApplicable("a choice rule sets the output")
		}
		r, err := buildRule(m)
		if err != nil {
			return "", notApplicable(err.Error())
		}
		ok, err := r.Eval(env)
		if err != nil {
			return "", err
		}
		if ok {
			next, _ := m["Next"].(string)
			return next, nil
		}
	}
	if d, ok := s.def["Default"].(string); ok {
		return d, nil
	}
	return "", notApplicable("no rule holds and there is no Default")
}

// applyPath applies InputPath or OutputPath: absent keeps the value,
// null gives {}.
func (s *stateRun) applyPath(field string, v any) (any, error) {
	raw, ok := s.def[field]
	if !ok {
		return v, nil
	}
	if raw == nil {
		return map[string]any{}, nil
	}
	src, _ := raw.(string)
	p, err := expr.ParsePath(src)
	if err != nil {
		return nil, notApplicable(err.Error())
	}
	root := v
	if p.Root() == expr.RootContext {
		root = s.ctx
	}
	got, ok := p.Get(root)
	if !ok {
		norm, err := normalPath(src)
		if err != nil {
			return nil, err
		}
		return nil, expr.NewError(expr.ErrRuntime,
			"Invalid path '%s' : No results for path: %s", src, norm)
	}
	return got, nil
}

// normalPath writes a path of plain names as $['a']['b'].
func normalPath(src string) (string, error) {
	names, err := pathNames(src)
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	sb.WriteString("$")
	for _, n := range names {
		fmt.Fprintf(&sb, "['%s']", n)
	}
	return sb.String(), nil
}

var plainName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// pathNames splits "$.a.b" into its names.
func pathNames(src string) ([]string, error) {
	if src == "$" {
		return nil, nil
	}
	rest, ok := strings.CutPrefix(src, "$.")
	if !ok {
		return nil, notApplicable("path " + src + " is not of the form $.a.b")
	}
	names := strings.Split(rest, ".")
	for _, n := range names {
		if !plainName.MatchString(n) {
			return nil, notApplicable("path " + src + " is not of the form $.a.b")
		}
	}
	return names, nil
}

// applyResultPath places a Pass state's result into its input.
func (s *stateRun) applyResultPath(input, result any) (any, error) {
	raw, ok := s.def["ResultPath"]
	if !ok {
		return result, nil
	}
	if raw == nil {
		return input, nil
	}
	src, _ := raw.(string)
	names, err := pathNames(src)
	if err != nil || len(names) == 0 {
		return result, err
	}
	out, ok := copyValue(input).(map[string]any)
	if !ok {
		return nil, notApplicable("ResultPath into a non-object input")
	}
	m := out
	for _, n := range names[:len(names)-1] {
		child, ok := m[n].(map[string]any)
		if !ok {
			child = map[string]any{}
			m[n] = child
		}
		m = child
	}
	m[names[len(names)-1]] = result
	return out, nil
}

// copyValue returns a deep copy of a JSON value.
func copyValue(v any) any {
	b, _ := json.Marshal(v)
	c, _ := decode(b)
	return c
}
