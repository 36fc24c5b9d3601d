package runtime

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Outcome is how a Task, Parallel or Map state ended: with its output
// after the state's data flow, or caught by one of its catchers.
type Outcome struct {
	Output any `json:"output"`
	// Caught is the index of the catcher that caught the state's error,
	// or -1 when the state succeeded.
	Caught int `json:"caught"`
	// Vars are the workflow variables after the state.
	Vars map[string]any `json:"vars,omitempty"`
}

// errDone ends a unit's work early: its graph ended, or a retry or a
// fan-out took over. Dispatch reports it as success.
var errDone = errors.New("jlrt: the unit's work is done")

// Call is one invocation of a function unit. Its methods are what the
// unit's generated continuation calls: the data flow of the inline states
// (Pass, Choose, Succeed), the work of the unit's own state (Task, Join),
// and the transitions (Invoke, Wait, FanOut, MapOut, End, Fail, Abort).
type Call struct {
	p     *Platform
	wf    *Workflow
	unit  *Unit
	cloud string
	env   Envelope
	input any
	vars  map[string]any
	// step and event advance as the continuation enters states.
	step  int
	event int
	// checkpointed is the instance key of a checkpoint this invocation
	// found or wrote, whose successors it records as invoked.
	checkpointed string
	// redelivered is true when the checkpoint existed already.
	redelivered bool
	// stateEvent is the event id at which the current state was entered.
	stateEvent int
	state      string
}

// Input returns the unit's input: the execution input for the start
// unit, the state input for the others.
func (c *Call) Input() any { return c.input }

func (c *Call) now() time.Time { return c.p.Now() }

// scope returns what the expressions of state s see.
func (c *Call) scope(s *State) *scope {
	return &scope{build: func() map[string]any { return c.contextObject(s) }, vars: c.vars}
}

// enter records that the continuation enters state s.
func (c *Call) enter(s *State, in any) {
	c.step++
	c.event++
	c.stateEvent, c.state = c.event, s.Name
	c.trace(Event{Type: s.Type + "StateEntered", State: s.Name, Input: in})
}

// exit records that the continuation leaves state s with out.
func (c *Call) exit(s *State, out any) {
	c.event++
	c.trace(Event{Type: s.Type + "StateExited", State: s.Name, Output: out})
}

func (c *Call) trace(e Event) {
	if c.p.Tracer == nil {
		return
	}
	e.Time, e.Execution, e.Cloud = c.now(), c.env.Execution.ID, c.cloud
	c.p.Tracer.Event(e)
}

// stateError names an error raised while running state s, with AWS's
// prefix on the cause.
func (c *Call) stateError(s *State, err error) *StateError {
	se := asStateError(err)
	if se.Name == "States.TaskFailed" {
		return se
	}
	return &StateError{Name: se.Name, Cause: fmt.Sprintf("An error occurred while executing "+
		"the state '%s' (entered at the event id #%d). %s", s.Name, c.stateEvent, se.Cause)}
}

// Pass applies the data flow of the Pass state s to in.
func (c *Call) Pass(s *State, in any) (any, error) {
	switch alibabaDialect(s) {
	case DialectFlow:
		return c.aliPass(s, in)
	case DialectCloudFlow:
		return c.cloudPass(s, in)
	}
	c.enter(s, in)
	out, vars, err := passOutput(c.scope(s), s, in)
	if err != nil {
		return nil, c.stateError(s, err)
	}
	if err := checkSize(s, out); err != nil {
		return nil, asStateError(err)
	}
	c.setVars(vars)
	c.exit(s, out)
	return out, nil
}

// setVars makes assigned variables visible to the states after.
func (c *Call) setVars(vars map[string]any) {
	if len(vars) == 0 {
		return
	}
	next := make(map[string]any, len(c.vars)+len(vars))
	for k, v := range c.vars {
		next[k] = v
	}
	for k, v := range vars {
		next[k] = v
	}
	c.vars = next
}

// Succeed applies the data flow of the Succeed state s to in.
func (c *Call) Succeed(s *State, in any) (any, error) {
	if alibabaDialect(s) != "" {
		c.enter(s, in)
		c.exit(s, in)
		return in, nil
	}
	c.enter(s, in)
	sc := c.scope(s)
	var out any
	var err error
	if s.JSONata {
		out, _, err = stateOutput(sc, &State{JSONata: true, Output: s.Output}, in, in)
	} else if out, err = applyPath(sc, s.InputPath, in); err == nil {
		out, err = applyPath(sc, s.OutputPath, out)
	}
	if err != nil {
		return nil, c.stateError(s, err)
	}
	c.exit(s, out)
	return out, nil
}

// Choose evaluates the rules of the Choice state s on in. It returns the
// index of the first rule that matches, or -1 when none does and the
// Default applies, and the state's output.
func (c *Call) Choose(s *State, in any) (int, any, error) {
	switch alibabaDialect(s) {
	case DialectFlow:
		return c.aliChoose(s, in)
	case DialectCloudFlow:
		return c.cloudChoose(s, in)
	}
	c.enter(s, in)
	sc := c.scope(s)
	effective, err := applyPath(sc, s.InputPath, in)
	if err != nil {
		return 0, nil, c.stateError(s, err)
	}
	for i, ch := range s.Choices {
		ok, err := c.holds(sc, ch, effective)
		if err != nil {
			return 0, nil, c.stateError(s, err)
		}
		if ok {
			out, err := c.choiceOutput(sc, s, &ch, in)
			return i, out, err
		}
	}
	if !s.Default {
		return 0, nil, NoChoiceMatched(s)
	}
	out, err := c.choiceOutput(sc, s, nil, in)
	return -1, out, err
}

func (c *Call) holds(sc *scope, ch Choice, in any) (bool, error) {
	if ch.Rule == nil {
		return false, notYet("Alibaba choice conditions")
	}
	return ch.Rule.Eval(sc.env(in))
}

// choiceOutput is a Choice state's output when rule ch (nil for the
// Default) was chosen, with the variables it assigns. A rule brings its
// own Assign and Output; the state's Assign and Output are the Default's.
func (c *Call) choiceOutput(sc *scope, s *State, ch *Choice, in any) (any, error) {
	assignT, outputT := s.Assign, s.Output
	if ch != nil {
		assignT, outputT = ch.Assign, ch.Output
	}
	out, vars, err := choiceDataFlow(sc, s, assignT, outputT, in)
	if err != nil {
		return nil, c.stateError(s, err)
	}
	c.setVars(vars)
	c.exit(s, out)
	return out, nil
}

// choiceDataFlow evaluates the Assign and Output a Choice state took, or
// its OutputPath in JSONPath mode.
func choiceDataFlow(sc *scope, s *State, assignT, outputT *Template, in any) (any,
	map[string]any, error) {
	vars, err := assignIn(assignT, sc, in)
	if err != nil {
		return nil, nil, err
	}
	if !s.JSONata {
		out, err := applyPath(sc, s.OutputPath, in)
		return out, vars, err
	}
	if outputT == nil {
		return in, vars, nil
	}
	out, err := outputT.EvalField(sc.env(in), "Output")
	return out, vars, err
}

func merge(a, b map[string]any) map[string]any {
	if len(b) == 0 {
		return a
	}
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// decode reads JSON text into a value with numbers as json.Number.
func decode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage("null")
	}
	return b
}

// ErrNotImplemented reports a part of the runtime that does not exist yet.
var ErrNotImplemented = errors.New("not implemented yet")

func notYet(what string) error {
	return fmt.Errorf("jlrt: %s: %w", what, ErrNotImplemented)
}

// contextObject is the context object ($$) of state s.
func (c *Call) contextObject(s *State) map[string]any {
	x := c.env.Execution
	input := c.p.executionInput(context.Background(), c.wf, &x)
	obj := map[string]any{
		"Execution": map[string]any{
			"Id": x.ID, "Name": x.Name, "StartTime": x.StartTime, "Input": input,
			"RoleArn":      "arn:aws:iam::111111111111:role/jlgen-execution",
			"RedriveCount": json.Number("0"),
		},
		"StateMachine": map[string]any{"Id": x.StateMachine, "Name": c.wf.Name},
		"State":        c.stateContext(s),
	}
	if n := len(c.env.Stack); n > 0 && c.env.Stack[n-1].Item != nil {
		f := c.env.Stack[n-1]
		value, _ := decode(f.Item)
		obj["Map"] = map[string]any{"Item": map[string]any{
			"Index": json.Number(fmt.Sprint(f.Index)), "Value": value}}
	}
	return obj
}

// stateContext is $$.State: the state's name and when it was entered,
// and for a state that can retry, how many times it did.
func (c *Call) stateContext(s *State) map[string]any {
	st := map[string]any{"Name": s.Name,
		"EnteredTime": c.now().UTC().Format("2006-01-02T15:04:05.000Z")}
	switch s.Type {
	case "Task", "Parallel", "Map":
		st["RetryCount"] = json.Number(fmt.Sprint(c.retryCount()))
	}
	return st
}

func (c *Call) retryCount() int {
	n := 0
	for _, r := range c.env.Retries {
		n += r
	}
	return n
}
