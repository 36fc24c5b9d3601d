package ir

import "fmt"

// Check finds the graph-level problems of a workflow: transitions to
// states that do not exist (or that lie in another branch), states that
// cannot be reached, graphs with no terminal state, and Choice states
// with nowhere to go. It reports every problem, not only the first.
func Check(wf *Workflow) Diagnostics {
	c := &checker{file: wf.File}
	if wf.Graph != nil {
		c.graph(wf.Graph, "the state machine")
	}
	return c.diags
}

type checker struct {
	file  string
	diags Diagnostics
}

func (c *checker) errorf(pos Pos, format string, args ...any) {
	c.diags = append(c.diags, Errorf(c.file, pos, format, args...))
}

// graph checks one graph and, recursively, the graphs nested in it.
func (c *checker) graph(g *Graph, what string) {
	idx := g.Index()
	if g.StartAt != "" && idx[g.StartAt] == nil {
		c.errorf(g.StartAtPos, "StartAt names %q, which is not a state of %s", g.StartAt, what)
	}
	unknown := 0
	for _, s := range g.States {
		unknown += c.targets(idx, s, what)
		for i, b := range s.Branches {
			c.graph(b, fmt.Sprintf("branch %d of state %q", i, s.Name))
		}
		if s.Map != nil && s.Map.Processor != nil {
			c.graph(s.Map.Processor, fmt.Sprintf("the processor of state %q", s.Name))
		}
	}
	c.reachability(g, idx, what, unknown == 0)
}

// targets checks that every transition of s names a state of the graph,
// and returns how many do not.
func (c *checker) targets(idx map[string]*State, s *State, what string) int {
	unknown := 0
	check := func(field, target string, pos Pos) {
		if target != "" && idx[target] == nil {
			c.errorf(pos, "state %q: %s names %q, which is not a state of %s",
				s.Name, field, target, what)
			unknown++
		}
	}
	check("Next", s.Next, s.NextPos)
	check("Default", s.Default, s.DefaultPos)
	for i, b := range s.Choices {
		check(fmt.Sprintf("Choices[%d].Next", i), b.Next, b.NextPos)
	}
	for i, k := range s.Catch {
		check(fmt.Sprintf("Catch[%d].Next", i), k.Next, k.NextPos)
	}
	return unknown
}

// Successors returns the names of the states s may transition to, in the
// order the definition gives them, without duplicates.
func (s *State) Successors() []string {
	var out []string
	seen := map[string]bool{}
	add := func(n string) {
		if n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	add(s.Next)
	for _, b := range s.Choices {
		add(b.Next)
	}
	add(s.Default)
	for _, k := range s.Catch {
		add(k.Next)
	}
	return out
}

// IsTerminal reports whether an execution can end at s.
func (s *State) IsTerminal() bool {
	return s.End || s.Type == TypeSucceed || s.Type == TypeFail
}

// reachability reports states that no path from StartAt reaches, and,
// when wantTerminal is set, a graph from whose start no terminal state can
// be reached. (A graph with a broken transition may only seem to have no
// terminal state, so the caller does not ask then.)
func (c *checker) reachability(g *Graph, idx map[string]*State, what string,
	wantTerminal bool) {
	start := idx[g.StartAt]
	if start == nil {
		return
	}
	reached := map[string]bool{start.Name: true}
	queue := []*State{start}
	terminal := false
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		// A state of unknown type already has a problem reported: take it
		// as terminal rather than report a missing terminal state too.
		terminal = terminal || s.IsTerminal() || s.Type == ""
		for _, n := range s.Successors() {
			if t := idx[n]; t != nil && !reached[n] {
				reached[n] = true
				queue = append(queue, t)
			}
		}
	}
	for _, s := range g.States {
		if !reached[s.Name] {
			c.errorf(s.Pos, "state %q cannot be reached from StartAt %q", s.Name, g.StartAt)
		}
	}
	if wantTerminal && !terminal {
		c.errorf(g.Pos, "%s has no terminal state: no Succeed or Fail state and no "+
			"\"End\": true can be reached from StartAt %q", what, g.StartAt)
	}
}
