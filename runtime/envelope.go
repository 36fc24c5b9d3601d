package runtime

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Envelope is what one function unit hands the next: which execution and
// instance it belongs to, and the data the instance needs. It travels as
// JSON in the platform's asynchronous invocation.
type Envelope struct {
	Execution Execution `json:"execution"`
	// Unit is the unit to run.
	Unit string `json:"unit"`
	// Step counts the states entered on the way to this invocation, so
	// that a state visited twice (a loop) has two instances.
	Step int `json:"step"`
	// Stack holds the fan-outs the instance runs under, outermost first.
	Stack []Frame `json:"stack,omitempty"`
	// Retries counts, per retrier, the retries of the instance's Task,
	// Parallel or Map so far.
	Retries map[int]int `json:"retries,omitempty"`
	// Input is the unit's input, unless it travels as a blob.
	Input json.RawMessage `json:"input,omitempty"`
	// InputBlob names the blob holding the input, on the cloud that
	// receives the invocation, when it was too large to travel inline.
	InputBlob string `json:"inputBlob,omitempty"`
	// Vars are the workflow variables in scope.
	Vars map[string]any `json:"vars,omitempty"`
	// Event is the number of history events before this invocation, for
	// the event ids AWS quotes in error causes.
	Event int `json:"event"`
	// Joined is the fan-out a join unit collects.
	Joined *Frame `json:"joined,omitempty"`
	// NotBefore, when set, is when the unit may run: an invocation that
	// arrives earlier invokes the unit again for the time left. It carries
	// a delay longer than the invoker's platform can hold (see
	// DelayLimiter) in steps.
	NotBefore string `json:"notBefore,omitempty"`
}

// Execution identifies an execution and holds what the context object
// reports of it.
type Execution struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	StateMachine string `json:"stateMachine"`
	StartTime    string `json:"startTime"`
	// Input is the execution input when it is small; a larger one is
	// written once, under InputKey in the start unit's store.
	Input    json.RawMessage `json:"input,omitempty"`
	InputKey string          `json:"inputKey,omitempty"`
}

// Frame is one fan-out an instance runs under: a Parallel branch or a
// Map item.
type Frame struct {
	// State is the Parallel or Map state.
	State string `json:"state"`
	// Key is the instance key of the fan-out; its join record is Key+"/join".
	Key string `json:"key"`
	// Join is the unit that fans in; Cloud the first cloud to invoke it on.
	Join  Target `json:"join"`
	Index int    `json:"index"`
	Size  int    `json:"size"`
	// Input is the Parallel or Map state's input, for its ResultPath, when
	// the fan-out is empty; otherwise it is written once under Key+"/input".
	Input json.RawMessage `json:"input,omitempty"`
	// Step is the step of the fan-out, which the join continues from.
	Step int `json:"step"`
	// Item is a Map item's value, for $$.Map.Item.Value.
	Item json.RawMessage `json:"item,omitempty"`
	// Vars are the variables of the scope around the fan-out.
	Vars map[string]any `json:"vars,omitempty"`
	// Event is the id of the fan-out's MapStateStarted or
	// ParallelStateStarted event, from which the join counts on.
	Event int `json:"event,omitempty"`
}

// key returns the instance key of the envelope's unit: deterministic, so
// that duplicates of one invocation share it.
func (e *Envelope) key() string {
	var b strings.Builder
	b.WriteString(e.Execution.ID)
	for _, f := range e.Stack {
		fmt.Fprintf(&b, "/%s#%d", f.State, f.Index)
	}
	fmt.Fprintf(&b, "/%s@%d", e.Unit, e.Step)
	return b.String()
}
