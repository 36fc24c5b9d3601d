package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"time"
)

// Task runs the Task state s through fn exactly once for this instance:
// it applies the input data flow, calls fn with the state's Retry, applies
// the output data flow or the matching Catch, and checkpoints the outcome.
// A redelivered invocation gets the checkpointed outcome without calling
// fn. When the task's error ends the graph or a retry is scheduled, the
// returned error tells the continuation to stop.
func (c *Call) Task(ctx context.Context, s *State, fn TaskFunc) (Outcome, error) {
	switch alibabaDialect(s) {
	case DialectFlow:
		return c.aliTask(ctx, s, fn)
	case DialectCloudFlow:
		return c.cloudTask(ctx, s, fn)
	}
	if o, ok, err := c.checkpoint(ctx); ok || err != nil {
		return o, err
	}
	in := c.input
	c.enter(s, in)
	sc := c.scope(s)
	effective, err := effectiveInput(sc, s, in)
	if err == nil {
		err = checkTaskTimeouts(sc, s, in)
	}
	if err != nil {
		return Outcome{}, c.failGraph(ctx, c.stateError(s, err))
	}
	c.event += 2 // TaskScheduled, TaskStarted
	c.trace(Event{Type: "TaskScheduled", State: s.Name, Input: effective})
	if err := c.fault(BeforeTask); err != nil {
		return Outcome{}, err
	}
	result, err := fn(c.withAttempt(ctx), effective)
	c.event++ // TaskSucceeded or TaskFailed
	var o Outcome
	if err != nil {
		o, err = c.taskFailed(ctx, s, in, asStateError(err))
	} else {
		o, err = c.taskSucceeded(sc, s, in, result)
	}
	if err != nil {
		return Outcome{}, err
	}
	return c.commit(ctx, s, o)
}

// taskSucceeded applies the output data flow to a task's result.
func (c *Call) taskSucceeded(sc *scope, s *State, in, result any) (Outcome, error) {
	if err := checkSize(s, result); err != nil {
		return c.taskFailed(context.Background(), s, in, asStateError(err))
	}
	out, vars, err := stateOutput(sc, s, in, result)
	if err != nil {
		return Outcome{}, c.failGraph(context.Background(), c.stateError(s, err))
	}
	return Outcome{Output: out, Caught: -1, Vars: merge(c.vars, vars)}, nil
}

// taskFailed retries the state, or catches its error, or ends the graph.
func (c *Call) taskFailed(ctx context.Context, s *State, in any, se *StateError) (Outcome,
	error) {
	c.trace(Event{Type: "TaskFailed", State: s.Name, Error: se.Name, Cause: se.Cause})
	if d, ok := c.retryDelay(s, se.Name); ok {
		return Outcome{}, c.retry(ctx, s, d)
	}
	for i, k := range s.Catch {
		if !matches(k.ErrorEquals, se.Name) {
			continue
		}
		out, vars, err := catchOutput(c.scope(s), s, &k, in, se)
		if err != nil {
			return Outcome{}, c.failGraph(ctx, c.stateError(s, err))
		}
		return Outcome{Output: out, Caught: i, Vars: merge(c.vars, vars)}, nil
	}
	return Outcome{}, c.failGraph(ctx, se)
}

// checkTaskTimeouts evaluates TimeoutSeconds and HeartbeatSeconds (or
// their paths) before the task is invoked: a path that selects nothing or
// a value that is not a number fails the state.
func checkTaskTimeouts(sc *scope, s *State, in any) error {
	for _, f := range []struct {
		n     Number
		field string
	}{{s.TimeoutSeconds, "TimeoutSeconds"}, {s.HeartbeatSeconds, "HeartbeatSeconds"}} {
		if !f.n.Set || f.n.Placeholder != "" {
			continue
		}
		if _, err := evalInteger(sc, f.n, in, f.field); err != nil {
			return err
		}
	}
	return nil
}

// catchOutput is the output of a state whose error catcher k caught.
func catchOutput(sc *scope, s *State, k *Catcher, in any, se *StateError) (any, map[string]any,
	error) {
	errOut := map[string]any{"Error": se.Name, "Cause": se.Cause}
	if s.JSONata {
		env := sc.env(in)
		env.ErrorOutput, env.HasErrorOutput = errOut, true
		vars, err := assign(k.Assign, env)
		if err != nil || k.Output == nil {
			return errOut, vars, err
		}
		out, err := k.Output.EvalField(env, "Output")
		return out, vars, err
	}
	vars, err := assignIn(k.Assign, sc, errOut)
	if err != nil {
		return nil, nil, err
	}
	out, err := applyResultPath(k.ResultPath, in, errOut)
	return out, vars, err
}

// matches reports whether an ErrorEquals list covers the error name.
// States.ALL covers every error but States.Runtime, which ends the
// execution (a States.DataLimitExceeded that reaches a catcher is a
// task's, which AWS lets States.ALL catch); States.TaskFailed covers
// every error but States.Timeout and those two.
func matches(list []string, name string) bool {
	for _, e := range list {
		switch {
		case e == name:
			return true
		case e == "States.ALL":
			return name != "States.Runtime"
		case e == "States.TaskFailed" && name != "States.Timeout" &&
			name != "States.Runtime" && name != "States.DataLimitExceeded":
			return true
		}
	}
	return false
}

// retryDelay returns how long to wait before the next attempt, when a
// retrier of s covers the error and has attempts left.
func (c *Call) retryDelay(s *State, name string) (time.Duration, bool) {
	for i, r := range s.Retry {
		if !matches(r.ErrorEquals, name) {
			continue
		}
		n := c.env.Retries[i]
		if n >= r.MaxAttempts {
			return 0, false
		}
		d := r.IntervalSeconds * math.Pow(r.BackoffRate, float64(n))
		if r.MaxDelaySeconds > 0 {
			d = min(d, r.MaxDelaySeconds)
		}
		if r.JitterFull {
			d *= c.jitter(n)
		}
		c.env.Retries = cloneRetries(c.env.Retries)
		c.env.Retries[i] = n + 1
		return time.Duration(d * float64(time.Second)), true
	}
	return 0, false
}

// jitter is a number in [0, 1) fixed by the instance and the attempt, so
// that a redelivery waits as long as the first delivery did.
func (c *Call) jitter(attempt int) float64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s#%d", c.env.key(), attempt)
	return float64(h.Sum64()%1_000_000) / 1_000_000
}

func cloneRetries(m map[int]int) map[int]int {
	out := map[int]int{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// retry invokes the unit again after d, with the retry counted.
func (c *Call) retry(ctx context.Context, s *State, d time.Duration) error {
	c.trace(Event{Type: "TaskRetried", State: s.Name})
	env := c.env
	env.Event = c.event
	if err := c.p.send(ctx, c.unit.Target, &env, d); err != nil {
		return err
	}
	return errDone
}

// checkpoint returns the checkpointed outcome of this instance, when a
// previous delivery wrote one.
func (c *Call) checkpoint(ctx context.Context) (Outcome, bool, error) {
	key := c.env.key()
	b, ok, err := c.p.store(c.unit.Target).Get(ctx, key)
	if err != nil || !ok {
		return Outcome{}, false, err
	}
	var o Outcome
	if err := json.Unmarshal(b, &o); err != nil {
		return Outcome{}, false, fmt.Errorf("decode checkpoint %s: %w", key, err)
	}
	o.Output, _ = decode(mustJSON(o.Output))
	c.checkpointed, c.redelivered, c.vars = key, true, o.Vars
	c.event = c.env.Event + 5
	return o, true, nil
}

// commit writes the outcome as the instance's checkpoint. When another
// delivery won the race, its outcome is the one that counts.
func (c *Call) commit(ctx context.Context, s *State, o Outcome) (Outcome, error) {
	if err := c.fault(AfterTask); err != nil {
		return Outcome{}, err
	}
	key := c.env.key()
	stored, ours, err := c.p.store(c.unit.Target).PutIfAbsent(ctx, key, mustJSON(o), c.p.TTL)
	if err != nil {
		return Outcome{}, fmt.Errorf("checkpoint %s: %w", key, err)
	}
	c.checkpointed = key
	if !ours {
		c.redelivered = true
		if err := json.Unmarshal(stored, &o); err != nil {
			return Outcome{}, fmt.Errorf("decode checkpoint %s: %w", key, err)
		}
		o.Output, _ = decode(mustJSON(o.Output))
	}
	if err := c.fault(AfterCheckpoint); err != nil {
		return Outcome{}, err
	}
	c.vars = o.Vars
	c.exit(s, o.Output)
	return o, nil
}

// invoked reports whether a previous delivery of this instance already
// invoked its successors.
func (c *Call) invoked(ctx context.Context) bool {
	if !c.redelivered {
		return false
	}
	_, ok, err := c.p.store(c.unit.Target).Get(ctx, c.checkpointed+"/invoked")
	return err == nil && ok
}

// markInvoked records that this instance's successors were invoked.
func (c *Call) markInvoked(ctx context.Context) error {
	if c.checkpointed == "" {
		return nil
	}
	_, _, err := c.p.store(c.unit.Target).PutIfAbsent(ctx, c.checkpointed+"/invoked",
		[]byte("1"), c.p.TTL)
	return err
}
