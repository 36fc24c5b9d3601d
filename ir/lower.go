package ir

import "fmt"

// UnitKind tells what a function unit does.
type UnitKind string

// The kinds of function units.
const (
	UnitStart  UnitKind = "start"  // starts an execution at the top graph's StartAt
	UnitTask   UnitKind = "task"   // runs one Task state
	UnitBranch UnitKind = "branch" // starts one branch of a Parallel state
	UnitItem   UnitKind = "item"   // starts the processor of a Map state for one item
	UnitJoin   UnitKind = "join"   // the fan-in of a Parallel or Map state
	UnitResume UnitKind = "resume" // continues after a Wait state
)

// Unit is one function unit: a deployable function of the workflow. Each
// Task state is one; Pass, Choice, Succeed and Fail states run inline in
// the continuation of the unit before them; a Parallel or Map state fans
// out to branch or item units and fans in at a join unit; a Wait state
// ends its unit with a delayed invocation of a resume unit.
type Unit struct {
	// Name identifies the unit at run time and in deployments. It is
	// derived from the state's name and the unit's kind, and stable.
	Name string
	Kind UnitKind
	// State is the state the unit belongs to; nil for the start unit.
	State *State
	// Branch is the branch index of a branch unit.
	Branch int
	// Enters is the graph whose StartAt the unit's continuation enters:
	// the top graph for the start unit, a branch or a processor for
	// branch and item units.
	Enters *Graph
}

// Lower returns the function units of a checked workflow: the start unit
// first, then the units of every state in definition order, nested graphs
// after the state that holds them.
func Lower(wf *Workflow) []*Unit {
	units := []*Unit{{Name: "start", Kind: UnitStart, Enters: wf.Graph}}
	return lowerGraph(units, wf.Graph)
}

func lowerGraph(units []*Unit, g *Graph) []*Unit {
	for _, s := range g.States {
		switch s.Type {
		case TypeTask:
			units = append(units, &Unit{Name: "task:" + s.Name, Kind: UnitTask, State: s})
		case TypeWait:
			units = append(units, &Unit{Name: "resume:" + s.Name, Kind: UnitResume, State: s})
		case TypeParallel:
			for i, b := range s.Branches {
				units = append(units, &Unit{Name: fmt.Sprintf("branch:%s:%d", s.Name, i),
					Kind: UnitBranch, State: s, Branch: i, Enters: b})
				units = lowerGraph(units, b)
			}
			units = append(units, &Unit{Name: "join:" + s.Name, Kind: UnitJoin, State: s})
		case TypeMap:
			if s.Map != nil && s.Map.Processor != nil {
				units = append(units, &Unit{Name: "item:" + s.Name, Kind: UnitItem, State: s,
					Enters: s.Map.Processor})
				units = lowerGraph(units, s.Map.Processor)
			}
			units = append(units, &Unit{Name: "join:" + s.Name, Kind: UnitJoin, State: s})
		}
	}
	return units
}

// Walk calls fn for every state of g and of the graphs nested in it, in
// definition order, with the graph that holds the state.
func Walk(g *Graph, fn func(g *Graph, s *State)) {
	for _, s := range g.States {
		fn(g, s)
		for _, b := range s.Branches {
			Walk(b, fn)
		}
		if s.Map != nil && s.Map.Processor != nil {
			Walk(s.Map.Processor, fn)
		}
	}
}
