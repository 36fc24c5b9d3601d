package runtime

import (
	"context"
	"errors"
	"fmt"
)

// Outcome is how a Task, Parallel or Map state ended: with its output
// after the state's data flow, or caught by one of its catchers.
type Outcome struct {
	Output any
	// Caught is the index of the catcher that caught the state's error,
	// or -1 when the state succeeded.
	Caught int
}

// Call is one invocation of a function unit. Its methods are what a
// unit's generated continuation calls: the data flow of the inline states
// (Pass, Choose, Succeed), the work of the unit's own state (Task, Join),
// and the transitions (Invoke, Wait, FanOut, MapOut, End, Fail, Abort).
type Call struct {
	input any
}

// ErrNotImplemented reports a part of the runtime that does not exist yet.
var ErrNotImplemented = errors.New("not implemented yet")

func notYet(what string) error {
	return fmt.Errorf("jlrt: %s: %w", what, ErrNotImplemented)
}

// Input returns the unit's input: the execution input for the start
// unit, the state input for the others.
func (c *Call) Input() any { return c.input }

// Task runs the Task state s through fn exactly once for this instance:
// it applies the input data flow, calls fn with the state's Retry and
// timeouts, applies the output data flow, and checkpoints the result. A
// redelivered invocation gets the checkpointed outcome without calling fn.
func (c *Call) Task(ctx context.Context, s *State, fn TaskFunc) (Outcome, error) {
	// Not yet: the checkpoint protocol is the runtime milestone's.
	return Outcome{}, notYet("Task state " + s.Name)
}

// Pass applies the data flow of the Pass state s to in.
func (c *Call) Pass(s *State, in any) (any, error) {
	return nil, notYet("Pass state " + s.Name)
}

// Choose evaluates the rules of the Choice state s on in. It returns the
// index of the first rule that matches (-1 when none does, and the
// Default applies) and the state's output.
func (c *Call) Choose(s *State, in any) (int, any, error) {
	return 0, nil, notYet("Choice state " + s.Name)
}

// Succeed applies the data flow of the Succeed state s to in.
func (c *Call) Succeed(s *State, in any) (any, error) {
	return nil, notYet("Succeed state " + s.Name)
}

// Invoke starts target with input v, asynchronously.
func (c *Call) Invoke(ctx context.Context, target Target, v any) error {
	return notYet("invoke " + target.Unit)
}

// Wait applies the data flow of the Wait state s to in and invokes resume
// with the result once the wait is over.
func (c *Call) Wait(ctx context.Context, s *State, in any, resume Target) error {
	return notYet("Wait state " + s.Name)
}

// FanOut starts the branches of the Parallel state s, each with the
// state's effective input; join runs when all have ended.
func (c *Call) FanOut(ctx context.Context, s *State, in any, branches []Target,
	join Target) error {
	return notYet("Parallel state " + s.Name)
}

// MapOut starts item, the processor of the Map state s, once per item of
// the state's input; join runs when all have ended.
func (c *Call) MapOut(ctx context.Context, s *State, in any, item, join Target) error {
	return notYet("Map state " + s.Name)
}

// Join collects the results of the branches or items of the Parallel or
// Map state s and applies the state's output data flow, Retry and Catch.
func (c *Call) Join(ctx context.Context, s *State) (Outcome, error) {
	return Outcome{}, notYet("join of state " + s.Name)
}

// End ends the graph the unit runs in with output v: the execution, or
// the branch or item of a fan-out, which then joins.
func (c *Call) End(ctx context.Context, v any) error {
	return notYet("end")
}

// Fail ends the graph in failure with the Error and Cause of the Fail
// state s, evaluated on in.
func (c *Call) Fail(ctx context.Context, s *State, in any) error {
	return notYet("Fail state " + s.Name)
}

// Abort ends the graph in failure with err, an error raised by the data
// flow of an inline state (States.Runtime, States.NoChoiceMatched, ...).
func (c *Call) Abort(ctx context.Context, err error) error {
	return notYet("abort")
}
