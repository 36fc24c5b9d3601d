package runtime

import (
	"context"
	"fmt"

	"github.com/jointlambda/jlgen/runtime/expr"
)

// CloudFlow hands each state's output to the next state as ASL does; its
// constructors reshape them. A state's input is its InputConstructor
// evaluated over $Input (the previous output), $Context and $Global, or
// the previous output; its output is its OutputConstructor evaluated over
// $Input, $Output (the result) and $Context, or the result.

// cloudScope binds CloudFlow's roots for one evaluation.
func (c *Call) cloudScope(input, output any) *expr.AlibabaScope {
	return &expr.AlibabaScope{Current: input, Input: input, Output: output,
		Context: c.cloudContext(), Global: map[string]any{}}
}

func (c *Call) cloudContext() map[string]any {
	return map[string]any{
		"Execution": map[string]any{"Name": c.env.Execution.Name, "Id": c.env.Execution.ID},
		"State":     map[string]any{"Name": c.state},
	}
}

// cloudInput is a CloudFlow state's input.
func (c *Call) cloudInput(s *State, in any) (any, error) {
	if s.Alibaba.InputConstructor == nil {
		return in, nil
	}
	return s.Alibaba.InputConstructor.Eval(c.cloudScope(in, nil))
}

// cloudOutput is a CloudFlow state's output for its input and result.
func (c *Call) cloudOutput(s *State, in, result any) (any, error) {
	if s.Alibaba.OutputConstructor == nil {
		return result, nil
	}
	return s.Alibaba.OutputConstructor.Eval(c.cloudScope(in, result))
}

// cloudPass runs a CloudFlow Pass state: its result is its input.
func (c *Call) cloudPass(s *State, v any) (any, error) {
	c.enter(s, v)
	in, err := c.cloudInput(s, v)
	if err == nil {
		v, err = c.cloudOutput(s, in, in)
	}
	if err != nil {
		return nil, c.aliError(s, err)
	}
	c.exit(s, v)
	return v, nil
}

// cloudChoose evaluates a CloudFlow Choice state's conditions.
func (c *Call) cloudChoose(s *State, v any) (int, any, error) {
	c.enter(s, v)
	in, err := c.cloudInput(s, v)
	if err != nil {
		return 0, nil, c.aliError(s, err)
	}
	scope := c.cloudScope(in, nil)
	for i, ch := range s.Choices {
		if ch.Alibaba == nil {
			continue
		}
		got, err := ch.Alibaba.Eval(scope)
		if err != nil {
			return 0, nil, c.aliError(s, err)
		}
		if expr.AlibabaTruthy(got) {
			c.exit(s, in)
			return i, in, nil
		}
	}
	if !s.Default {
		return 0, nil, NoChoiceMatched(s)
	}
	c.exit(s, in)
	return -1, in, nil
}

// cloudTask runs a CloudFlow Task state: its input through the
// InputConstructor, its Parameters built from that input, its output
// through the OutputConstructor, with Retry and Catch as in ASL.
func (c *Call) cloudTask(ctx context.Context, s *State, fn TaskFunc) (Outcome, error) {
	if o, ok, err := c.checkpoint(ctx); ok || err != nil {
		return o, err
	}
	c.enter(s, c.input)
	in, err := c.cloudInput(s, c.input)
	if err != nil {
		return Outcome{}, c.failGraph(ctx, c.aliError(s, err))
	}
	effective := in
	if s.Alibaba.Parameters != nil {
		if effective, err = s.Alibaba.Parameters.Eval(c.cloudScope(in, nil)); err != nil {
			return Outcome{}, c.failGraph(ctx, c.aliError(s, err))
		}
	}
	if err := c.fault(BeforeTask); err != nil {
		return Outcome{}, err
	}
	result, err := fn(c.withAttempt(ctx), effective)
	var o Outcome
	if err != nil {
		o, err = c.taskFailed(ctx, s, in, asStateError(err))
	} else {
		var out any
		if out, err = c.cloudOutput(s, in, result); err != nil {
			return Outcome{}, c.failGraph(ctx, c.aliError(s, err))
		}
		o = Outcome{Output: out, Caught: -1, Vars: c.vars}
	}
	if err != nil {
		return Outcome{}, err
	}
	return c.commit(ctx, s, o)
}

// cloudMapOut starts a CloudFlow Map state's iterations: the items its
// ItemsPath selects from its input (or the input itself), each shaped by
// the ItemConstructor over $Item, $Input and $Context.
func (c *Call) cloudMapOut(ctx context.Context, s *State, v any, item, join Target) error {
	c.enter(s, v)
	in, err := c.cloudInput(s, v)
	if err != nil {
		return c.failGraph(ctx, c.aliError(s, err))
	}
	items, err := c.cloudItems(s, in)
	if err != nil {
		return c.failGraph(ctx, c.aliError(s, err))
	}
	inputs := make([]any, len(items))
	for i, it := range items {
		inputs[i] = it
		if s.Alibaba.ItemConstructor != nil {
			scope := c.cloudScope(in, nil)
			scope.Item = it
			if inputs[i], err = s.Alibaba.ItemConstructor.Eval(scope); err != nil {
				return c.failGraph(ctx, c.aliError(s, err))
			}
		}
	}
	return c.fanOut(ctx, s, in, repeat(item, len(items)), inputs, items, join)
}

// cloudItems selects a CloudFlow Map state's items.
func (c *Call) cloudItems(s *State, in any) ([]any, error) {
	v := in
	if s.Alibaba.ItemsPath != nil {
		var err error
		if v, err = s.Alibaba.ItemsPath.Eval(c.cloudScope(in, nil)); err != nil {
			return nil, err
		}
	}
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("the items of the Map are not an array: %s", compact(v))
	}
	return items, nil
}

// cloudJoin collects a CloudFlow Map's iterations into {"Items": [...]},
// or a Parallel's branches into an array, then applies the
// OutputConstructor, with Retry and Catch as in ASL.
func (c *Call) cloudJoin(ctx context.Context, s *State) (Outcome, error) {
	if o, ok, err := c.checkpoint(ctx); ok || err != nil {
		return o, err
	}
	f := c.env.Joined
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
		var result any = results
		if s.Type == "Map" {
			result = map[string]any{"Items": results}
		}
		var out any
		if out, err = c.cloudOutput(s, in, result); err != nil {
			return Outcome{}, c.failGraph(ctx, c.aliError(s, err))
		}
		o = Outcome{Output: out, Caught: -1, Vars: c.vars}
	}
	if err != nil {
		return Outcome{}, err
	}
	return c.commit(ctx, s, o)
}
