package runtime

import "context"

// Workflow is a generated workflow: its function units, each placed on
// the clouds it may run on.
type Workflow struct {
	// Name is the generated package's name.
	Name string
	// Source is the definition file the code was generated from.
	Source string
	// Start is the name of the unit that starts an execution.
	Start string
	// Units are the workflow's function units, sorted by name.
	Units []Unit
}

// Unit returns the unit named name, or nil.
func (w *Workflow) Unit(name string) *Unit {
	for i := range w.Units {
		if w.Units[i].Name == name {
			return &w.Units[i]
		}
	}
	return nil
}

// UnitKind tells what a function unit does.
type UnitKind string

// The kinds of function units.
const (
	UnitStart  UnitKind = "start"  // starts an execution at StartAt
	UnitTask   UnitKind = "task"   // runs one Task state
	UnitBranch UnitKind = "branch" // starts a Parallel branch or a Map item
	UnitJoin   UnitKind = "join"   // the fan-in of a Parallel or Map state
	UnitResume UnitKind = "resume" // continues after a Wait state
)

// Unit is one deployable function of a workflow.
type Unit struct {
	Name string
	Kind UnitKind
	// State names the state the unit belongs to ("" for the start).
	State string
	// Target is where the unit runs: its cloud, then its failover order.
	Target Target
	// Run is the unit's code: what it does for one invocation.
	Run func(ctx context.Context, c *Call) error
}

// Target names a unit and the clouds that host it, the placed cloud first
// and then the others in failover order.
type Target struct {
	Unit   string
	Clouds []string
}

// TaskFunc is the work of one Task state: the user's implementation, or
// the generated adapter that calls the resource the definition names.
type TaskFunc func(ctx context.Context, input any) (any, error)

// Resource is a Task state's resource, for the adapters that call an
// existing function or state machine.
type Resource struct {
	// State is the Task state's name.
	State string
	// Kind classifies the resource: "lambda", "lambda-invoke", "fc",
	// "states-start", "activity", "service" or "opaque".
	Kind string
	// ARN is the resource as the definition writes it.
	ARN string
}

// Resources calls existing resources on behalf of the generated
// adapters: a cloud's shim implements it.
type Resources interface {
	Call(ctx context.Context, r Resource, input any) (any, error)
}
