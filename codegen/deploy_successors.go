package codegen

import "github.com/jointlambda/jlgen/ir"

// successorWalk collects the units that one unit's continuation can
// invoke, following transitions through the states that run inline.
type successorWalk struct {
	g *gen
	// owners maps each nested graph to the Parallel or Map state that
	// holds it.
	owners map[*ir.Graph]*ir.State
	seen   map[*ir.State]bool
	found  map[*ir.Unit]bool
}

// successors returns the units u can invoke, in unit order: the units of
// the states its continuation enters (through Pass and Choice states),
// the branches or item processor of a fan-out and the join of a Map, the
// join of the fan-out it runs under when its graph ends or fails, the
// resume unit of a Wait, and u itself when its state retries.
func (g *gen) successors(u *ir.Unit) []*ir.Unit {
	w := &successorWalk{g: g, owners: map[*ir.Graph]*ir.State{}, seen: map[*ir.State]bool{},
		found: map[*ir.Unit]bool{}}
	ir.Walk(g.wf.Graph, func(_ *ir.Graph, s *ir.State) {
		for _, b := range s.Branches {
			w.owners[b] = s
		}
		if s.Map != nil && s.Map.Processor != nil {
			w.owners[s.Map.Processor] = s
		}
	})
	w.unit(u)
	var out []*ir.Unit
	for _, v := range g.units {
		if w.found[v] {
			out = append(out, v)
		}
	}
	return out
}

// unit follows the continuation of u.
func (w *successorWalk) unit(u *ir.Unit) {
	switch u.Kind {
	case ir.UnitStart, ir.UnitBranch, ir.UnitItem:
		w.follow(u.Enters, u.Enters.StartAt)
	case ir.UnitResume:
		w.transition(w.g.graphOf[u.State], u.State)
	case ir.UnitTask, ir.UnitJoin:
		s, gr := u.State, w.g.graphOf[u.State]
		w.end(gr) // an error no catcher takes
		for _, k := range s.Catch {
			w.follow(gr, k.Next)
		}
		w.transition(gr, s)
		if len(s.Retry) > 0 {
			w.found[u] = true
		}
	}
}

// transition follows the Next of s, or ends gr.
func (w *successorWalk) transition(gr *ir.Graph, s *ir.State) {
	if s.End || s.Next == "" {
		w.end(gr)
		return
	}
	w.follow(gr, s.Next)
}

// follow enters the state of gr named next; an empty name ends gr.
func (w *successorWalk) follow(gr *ir.Graph, next string) {
	if next == "" {
		w.end(gr)
		return
	}
	if s := gr.Lookup(next); s != nil {
		w.enter(gr, s)
	}
}

// end ends gr: the join of the fan-out that runs it, if any, is invoked.
func (w *successorWalk) end(gr *ir.Graph) {
	if owner := w.owners[gr]; owner != nil {
		w.add(owner, ir.UnitJoin)
	}
}

// enter enters s: the unit of a Task, Wait, Parallel or Map state is
// invoked; any other state runs inline and may end gr, in failure too.
func (w *successorWalk) enter(gr *ir.Graph, s *ir.State) {
	if w.seen[s] {
		return
	}
	w.seen[s] = true
	switch s.Type {
	case ir.TypeTask:
		w.add(s, ir.UnitTask)
		return
	case ir.TypeWait:
		w.add(s, ir.UnitResume)
	case ir.TypeParallel:
		w.add(s, ir.UnitBranch)
		if len(s.Branches) == 0 {
			w.add(s, ir.UnitJoin)
		}
	case ir.TypeMap:
		w.add(s, ir.UnitItem)
		w.add(s, ir.UnitJoin) // an empty Map joins at once
	case ir.TypePass:
		w.transition(gr, s)
	case ir.TypeChoice:
		w.choice(gr, s)
	}
	w.end(gr) // the data flow of an inline state, or a Succeed or Fail
}

// choice follows every rule's target and the default.
func (w *successorWalk) choice(gr *ir.Graph, s *ir.State) {
	for _, b := range s.Choices {
		w.follow(gr, b.Next)
	}
	switch {
	case s.Default != "":
		w.follow(gr, s.Default)
	case s.Next != "" || s.End:
		w.transition(gr, s)
	}
}

// add marks the units of kind k of s as found.
func (w *successorWalk) add(s *ir.State, k ir.UnitKind) {
	for _, u := range w.g.units {
		if u.State == s && u.Kind == k {
			w.found[u] = true
		}
	}
}
