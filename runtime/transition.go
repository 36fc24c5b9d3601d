package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
)

// next returns the envelope of a successor of this invocation.
func (c *Call) next(unit string, input any) *Envelope {
	return &Envelope{Execution: c.env.Execution, Unit: unit, Step: c.step, Stack: c.env.Stack,
		Input: mustJSON(input), Vars: c.vars, Event: c.event}
}

// Invoke starts target with input v, asynchronously. A redelivered
// invocation whose successors were already invoked does not invoke them
// again.
func (c *Call) Invoke(ctx context.Context, target Target, v any) error {
	if c.invoked(ctx) {
		return errDone
	}
	if err := c.p.send(ctx, target, c.next(target.Unit, v), 0); err != nil {
		return err
	}
	c.trace(Event{Type: "Invoked", Unit: target.Unit})
	if err := c.markInvoked(ctx); err != nil {
		return err
	}
	return errDone
}

// Wait applies the data flow of the Wait state s to in and invokes resume
// with the result once the wait is over.
func (c *Call) Wait(ctx context.Context, s *State, in any, resume Target) error {
	if alibabaDialect(s) == DialectFlow {
		return c.aliWait(ctx, s, in, resume)
	}
	c.enter(s, in)
	sc := c.scope(s)
	d, err := c.waitFor(sc, s, in)
	if err != nil {
		return c.failGraph(ctx, c.stateError(s, err))
	}
	var out any
	if s.JSONata {
		out, _, err = stateOutput(sc, &State{JSONata: true, Output: s.Output, Assign: s.Assign},
			in, in)
	} else if out, err = applyPath(sc, s.InputPath, in); err == nil {
		var vars map[string]any
		if vars, err = assignIn(s.Assign, sc, out); err == nil {
			c.setVars(vars)
			out, err = applyPath(sc, s.OutputPath, out)
		}
	}
	if err != nil {
		return c.failGraph(ctx, c.stateError(s, err))
	}
	c.exit(s, out)
	if c.invoked(ctx) {
		return errDone
	}
	if err := c.p.send(ctx, resume, c.next(resume.Unit, out), d); err != nil {
		return err
	}
	return errDone
}

// FanOut starts the branches of the Parallel state s, each with the
// state's effective input; join runs when all have ended.
func (c *Call) FanOut(ctx context.Context, s *State, in any, branches []Target,
	join Target) error {
	if alibabaDialect(s) == DialectFlow {
		return c.aliFanOut(ctx, s, in, branches, false, join)
	}
	c.enter(s, in)
	effective, err := effectiveInput(c.scope(s), s, in)
	if err != nil {
		return c.failGraph(ctx, c.stateError(s, err))
	}
	inputs := make([]any, len(branches))
	for i := range inputs {
		inputs[i] = effective
	}
	return c.fanOut(ctx, s, in, branches, inputs, nil, join)
}

// fanOut invokes one target per input under a new frame; items are the
// Map items, nil for a Parallel.
func (c *Call) fanOut(ctx context.Context, s *State, in any, targets []Target, inputs,
	items []any, join Target) error {
	key := fmt.Sprintf("%s/%s", c.env.key(), s.Name)
	c.event++ // MapStateStarted or ParallelStateStarted
	if len(inputs) == 0 {
		env := c.next(join.Unit, in)
		env.Joined = &Frame{State: s.Name, Key: key, Join: join, Input: mustJSON(in),
			Step: c.step, Vars: c.vars, Event: c.event}
		return c.sendDone(ctx, join, env)
	}
	if c.invoked(ctx) {
		return errDone
	}
	// The state's input, which the join needs for its ResultPath, is
	// written once for the fan-out rather than carried by every branch.
	if _, _, err := c.p.store(join).PutIfAbsent(ctx, key+"/input", mustJSON(in),
		c.p.TTL); err != nil {
		return fmt.Errorf("write the input of %s: %w", s.Name, err)
	}
	for i, input := range inputs {
		f := Frame{State: s.Name, Key: key, Join: join, Index: i, Size: len(inputs),
			Step: c.step, Vars: c.vars, Event: c.event}
		env := c.next(targets[i].Unit, input)
		switch {
		case s.Distributed:
			env.Event = 1 // a child execution: ExecutionStarted
		case items != nil:
			env.Event++ // MapIterationStarted
		}
		if items != nil {
			f.Item = mustJSON(items[i])
		}
		env.Stack = append(append([]Frame(nil), c.env.Stack...), f)
		env.Step = 0
		if i > 0 {
			if err := c.fault(BetweenInvocations); err != nil {
				return err
			}
		}
		if err := c.p.send(ctx, targets[i], env, 0); err != nil {
			return err
		}
	}
	if err := c.markInvoked(ctx); err != nil {
		return err
	}
	return errDone
}

func (c *Call) sendDone(ctx context.Context, t Target, env *Envelope) error {
	if err := c.p.send(ctx, t, env, 0); err != nil {
		return err
	}
	return errDone
}

// MapOut starts item, the processor of the Map state s, once per item of
// the state's input; join runs when all have ended.
func (c *Call) MapOut(ctx context.Context, s *State, in any, item, join Target) error {
	switch alibabaDialect(s) {
	case DialectFlow:
		return c.aliFanOut(ctx, s, in, []Target{item}, true, join)
	case DialectCloudFlow:
		return c.cloudMapOut(ctx, s, in, item, join)
	}
	c.enter(s, in)
	sc := c.scope(s)
	items, err := mapItems(sc, s, in)
	if err == nil {
		_, err = evalMapLimits(sc, s, in)
	}
	if err != nil {
		return c.failGraph(ctx, c.stateError(s, err))
	}
	inputs := make([]any, len(items))
	targets := make([]Target, len(items))
	for i, it := range items {
		targets[i] = item
		if inputs[i], err = selectItem(sc, s, in, i, it); err != nil {
			return c.failGraph(ctx, c.stateError(s, err))
		}
	}
	return c.fanOut(ctx, s, in, targets, inputs, items, join)
}

// joinEntry is one branch's or item's record in a join. A failure may
// have an empty error name: a Fail state need not give one. Events counts
// the history events the branch or item added.
type joinEntry struct {
	Output any    `json:"output,omitempty"`
	Failed bool   `json:"failed,omitempty"`
	Error  string `json:"error,omitempty"`
	Cause  string `json:"cause,omitempty"`
	Events int    `json:"events,omitempty"`
}

// Join collects the results of the branches or items of the Parallel or
// Map state s and applies the state's output data flow, Retry and Catch.
func (c *Call) Join(ctx context.Context, s *State) (Outcome, error) {
	switch alibabaDialect(s) {
	case DialectFlow:
		return c.aliJoin(ctx, s)
	case DialectCloudFlow:
		return c.cloudJoin(ctx, s)
	}
	if o, ok, err := c.checkpoint(ctx); ok || err != nil {
		return o, err
	}
	f := c.env.Joined
	if f == nil {
		return Outcome{}, fmt.Errorf("join of state %s: no fan-out in the envelope", s.Name)
	}
	in, err := c.frameInput(ctx, f)
	if err != nil {
		return Outcome{}, err
	}
	c.vars = f.Vars
	results, failure, err := c.collect(ctx, s, f)
	if err != nil {
		return Outcome{}, err
	}
	var o Outcome
	if failure != nil {
		o, err = c.taskFailed(ctx, s, in, failure)
	} else {
		o, err = c.taskSucceeded(c.scope(s), s, in, results)
	}
	if err != nil {
		return Outcome{}, err
	}
	return c.commit(ctx, s, o)
}

// collect reads the join record: the outputs in order, or the error that
// fails the state. A Map tolerates failures up to its thresholds.
func (c *Call) collect(ctx context.Context, s *State, f *Frame) ([]any, *StateError, error) {
	rec, err := c.p.store(f.Join).JoinGet(ctx, f.Key+"/join")
	if err != nil {
		return nil, nil, fmt.Errorf("read join %s: %w", f.Key, err)
	}
	if err := c.readOutputs(ctx, f, rec); err != nil {
		return nil, nil, err
	}
	indexes := make([]int, 0, len(rec))
	for i := range rec {
		indexes = append(indexes, i)
	}
	sort.Ints(indexes)
	results := make([]any, f.Size)
	failed, events := 0, 0
	var first *StateError
	for _, i := range indexes {
		var e joinEntry
		if err := json.Unmarshal(rec[i], &e); err != nil {
			return nil, nil, fmt.Errorf("decode join %s[%d]: %w", f.Key, i, err)
		}
		events += e.Events
		if e.Failed || e.Error != "" {
			failed++
			if first == nil {
				first = &StateError{Name: e.Error, Cause: e.Cause}
			}
			continue
		}
		results[i], _ = decode(mustJSON(e.Output))
	}
	if s.Distributed {
		events = 2 // MapRunStarted, MapRunSucceeded
	}
	c.event = f.Event + events + 1 // MapStateSucceeded, ParallelStateFailed, ...
	if first != nil && !c.joinLimits(s, f).tolerates(failed, f.Size) {
		return nil, first, nil
	}
	if len(rec) < f.Size {
		return nil, nil, errDone // a failure arrived early and is tolerated: wait for the rest
	}
	return results, nil, nil
}

// readOutputs fills in the entries of the join record rec that were too
// large to ride in it, reading them all with one GetMany.
func (c *Call) readOutputs(ctx context.Context, f *Frame, rec map[int][]byte) error {
	var keys []string
	for i, e := range rec {
		if len(e) == 0 {
			keys = append(keys, outputKey(f.Key, i))
		}
	}
	if len(keys) == 0 {
		return nil
	}
	outs, err := c.p.store(f.Join).GetMany(ctx, keys)
	if err != nil {
		return fmt.Errorf("read the outputs of %s: %w", f.Key, err)
	}
	for i, e := range rec {
		if len(e) > 0 {
			continue
		}
		out, ok := outs[outputKey(f.Key, i)]
		if !ok {
			return fmt.Errorf("read the outputs of %s: the output of %d is missing", f.Key, i)
		}
		rec[i] = out
	}
	return nil
}

// joinLimits are the tolerated failures of the Map state s, evaluated
// again on the state's input: MapOut checked them when the items started.
func (c *Call) joinLimits(s *State, f *Frame) mapLimits {
	none := mapLimits{failureCount: -1, failurePercentage: -1}
	if s.Type != "Map" || s.Alibaba != nil {
		return none
	}
	in, err := c.frameInput(context.Background(), f)
	if err != nil {
		return none
	}
	l, err := evalMapLimits(c.scope(s), s, in)
	if err != nil {
		return none
	}
	return l
}

// End ends the graph the unit runs in with output v: the execution, or
// the branch or item of a fan-out, which then joins.
func (c *Call) End(ctx context.Context, v any) error {
	v = aliResult(v)
	return c.finish(ctx, joinEntry{Output: v}, &Result{Status: "SUCCEEDED", Output: mustJSON(v)})
}

// Fail ends the graph in failure with the Error and Cause of the Fail
// state s, evaluated on in.
func (c *Call) Fail(ctx context.Context, s *State, in any) error {
	c.enter(s, in)
	sc := c.scope(s)
	name, err := failText(sc, s.Error, in, "Error")
	if err != nil {
		return c.failGraph(ctx, c.stateError(s, err))
	}
	cause, err := failText(sc, s.Cause, in, "Cause")
	if err != nil {
		return c.failGraph(ctx, c.stateError(s, err))
	}
	return c.failGraph(ctx, &StateError{Name: name, Cause: cause})
}

// Abort ends the graph in failure with err, an error raised by the data
// flow of an inline state (States.Runtime, States.NoChoiceMatched, ...).
func (c *Call) Abort(ctx context.Context, err error) error {
	return c.failGraph(ctx, asStateError(err))
}

// failGraph ends the graph in failure with se.
func (c *Call) failGraph(ctx context.Context, se *StateError) error {
	c.trace(Event{Type: "Failed", Error: se.Name, Cause: se.Cause})
	err := c.finish(ctx, joinEntry{Failed: true, Error: se.Name, Cause: se.Cause},
		&Result{Status: "FAILED", Error: se.Name, Cause: se.Cause})
	return err
}

// finish ends the graph: it writes the execution's result, or adds the
// branch's entry to its join and invokes the join when the entry is the
// last one, or a failure.
func (c *Call) finish(ctx context.Context, e joinEntry, r *Result) error {
	n := len(c.env.Stack)
	if n == 0 {
		home := c.wf.Unit(c.wf.Start).Target
		_, _, err := c.p.store(home).PutIfAbsent(ctx, resultKey(c.env.Execution.ID),
			mustJSON(r), c.p.TTL)
		if err != nil {
			return fmt.Errorf("write result of %s: %w", c.env.Execution.ID, err)
		}
		c.trace(Event{Type: "Execution" + titleStatus(r.Status), Output: r.Output,
			Error: r.Error, Cause: r.Cause})
		return errDone
	}
	f := c.env.Stack[n-1]
	e.Events = c.event - f.Event
	if f.Item != nil { // the items of a distributed Map do not count
		e.Events++ // MapIterationSucceeded or MapIterationFailed
	}
	entry, err := c.joinValue(ctx, f, e)
	if err != nil {
		return err
	}
	count, err := c.p.store(f.Join).JoinAdd(ctx, f.Key+"/join", f.Index, entry, c.p.TTL)
	if err != nil {
		return fmt.Errorf("join %s: %w", f.Key, err)
	}
	if err := c.fault(AfterJoinAdd); err != nil {
		return err
	}
	if count < f.Size && !e.Failed {
		return errDone
	}
	env := &Envelope{Execution: c.env.Execution, Unit: f.Join.Unit, Step: f.Step,
		Stack: c.env.Stack[:n-1], Input: f.Input, Vars: f.Vars, Event: f.Event, Joined: &f}
	return c.sendDone(ctx, f.Join, env)
}

// joinInlineBudget is how many bytes of entries a join record holds in
// all. A branch's entry rides in the record when it is at most its share,
// the budget over the fan-out's size; a larger one is written as a value
// of its own, the record holding an empty value in its place, and the join
// reads all those with one GetMany. Records stay small, as a DynamoDB
// item must (400 KB at most, and every write billed by the size of the
// whole item), and a large fan-out pays one more write per branch rather
// than writes that grow with the record.
const joinInlineBudget = 16 << 10

// joinValue returns what the branch or item of frame f adds to the join
// record for its entry e: e itself, or nothing when e is over its share
// of the record and was written under outputKey instead.
func (c *Call) joinValue(ctx context.Context, f Frame, e joinEntry) ([]byte, error) {
	b := mustJSON(e)
	if len(b) <= joinInlineBudget/max(f.Size, 1) {
		return b, nil
	}
	_, _, err := c.p.store(f.Join).PutIfAbsent(ctx, outputKey(f.Key, f.Index), b, c.p.TTL)
	if err != nil {
		return nil, fmt.Errorf("write the output of %s[%d]: %w", f.Key, f.Index, err)
	}
	if err := c.fault(AfterBranchOutput); err != nil {
		return nil, err
	}
	return []byte{}, nil
}

// outputKey is the key of the entry of branch or item index of the
// fan-out key when it is too large to ride in the join record.
func outputKey(key string, index int) string {
	return key + "/output/" + strconv.Itoa(index)
}

func titleStatus(s string) string {
	if s == "SUCCEEDED" {
		return "Succeeded"
	}
	return "Failed"
}

// frameInput returns the input of the Parallel or Map state of a fan-out:
// carried by the frame of an empty fan-out, or written once when the
// branches started.
func (c *Call) frameInput(ctx context.Context, f *Frame) (any, error) {
	if len(f.Input) > 0 {
		return decode(f.Input)
	}
	b, ok, err := c.p.store(f.Join).Get(ctx, f.Key+"/input")
	if err != nil || !ok {
		return nil, fmt.Errorf("read the input of %s: %v (found %v)", f.State, err, ok)
	}
	return decode(b)
}
