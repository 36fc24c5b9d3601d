package expr

import (
	"fmt"
	"sort"
)

// Select returns the nodes the path selects in root, the value of the
// path's root: the state input for "$", the context object for "$$", the
// variable's value for "$name". Values are JSON as encoding/json decodes
// it, with numbers as json.Number. Object members are visited in sorted
// key order, since decoded maps do not keep the document's order.
func (p *Path) Select(root any) ([]any, error) {
	return p.selectFrom(root, root)
}

// Get returns the node a definite path selects, or the result of the
// function a path ends with, and false when there is none. For another
// indefinite path it returns, as AWS does, the array of all selected
// nodes, which may be empty.
func (p *Path) Get(root any) (any, bool) {
	nodes, err := p.Select(root)
	if err != nil {
		return nil, false
	}
	if !p.IsDefinite() && !p.endsWithFunc() {
		if nodes == nil {
			nodes = []any{}
		}
		return nodes, true
	}
	if len(nodes) == 0 {
		return nil, false
	}
	return nodes[0], true
}

// endsWithFunc reports whether the last step is a path function.
func (p *Path) endsWithFunc() bool {
	return len(p.steps) > 0 && p.steps[len(p.steps)-1].kind == stepFunc
}

// selectFrom applies the steps to start; doc is the document that "$"
// names inside filters.
func (p *Path) selectFrom(doc, start any) ([]any, error) {
	nodes := []any{start}
	for i := range p.steps {
		st := &p.steps[i]
		if st.kind == stepFunc {
			return p.callFunc(st.rare.fn, i, nodes)
		}
		var next []any
		for _, n := range nodes {
			var err error
			if next, err = st.apply(doc, n, next); err != nil {
				return nil, err
			}
		}
		nodes = next
	}
	return nodes, nil
}

// callFunc applies the path function of step i to the nodes selected by
// the steps before it: the one node of a definite prefix, or the array of
// all nodes of an indefinite one.
func (p *Path) callFunc(fn string, i int, nodes []any) ([]any, error) {
	var arg any = nodes
	prefix := Path{steps: p.steps[:i]}
	if prefix.IsDefinite() {
		if len(nodes) == 0 {
			return nil, nil
		}
		arg = nodes[0]
	}
	v, err := applyFunc(fn, arg)
	if err != nil {
		return nil, fmt.Errorf("path %s: %w", p.src, err)
	}
	return []any{v}, nil
}

// apply appends to out what the step selects in node.
func (s *step) apply(doc, node any, out []any) ([]any, error) {
	if !s.descend {
		return s.applyOne(doc, node, out)
	}
	var err error
	for _, n := range descendants(node, nil) {
		if out, err = s.applyOne(doc, n, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// descendants appends node and everything under it, parents first.
func descendants(node any, out []any) []any {
	out = append(out, node)
	for _, child := range children(node) {
		out = descendants(child, out)
	}
	return out
}

// children returns the members of an object, by key, or the items of an
// array.
func children(node any) []any {
	switch v := node.(type) {
	case map[string]any:
		out := make([]any, 0, len(v))
		for _, k := range sortedKeys(v) {
			out = append(out, v[k])
		}
		return out
	case []any:
		return v
	}
	return nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// applyOne appends what the step, without recursive descent, selects in
// node.
func (s *step) applyOne(doc, node any, out []any) ([]any, error) {
	switch s.kind {
	case stepField:
		return selectFields(node, s.names, out), nil
	case stepIndex:
		return selectIndexes(node, s.indexes, out), nil
	case stepWildcard:
		return append(out, children(node)...), nil
	case stepSlice:
		return selectSlice(node, s.rare.slice, out), nil
	case stepFilter:
		return s.selectFiltered(doc, node, out)
	}
	return out, nil
}

func selectFields(node any, names []string, out []any) []any {
	m, ok := node.(map[string]any)
	if !ok {
		return out
	}
	for _, name := range names {
		if v, ok := m[name]; ok {
			out = append(out, v)
		}
	}
	return out
}

func selectIndexes(node any, indexes []int, out []any) []any {
	a, ok := node.([]any)
	if !ok {
		return out
	}
	for _, i := range indexes {
		if i < 0 {
			i += len(a)
		}
		if 0 <= i && i < len(a) {
			out = append(out, a[i])
		}
	}
	return out
}

// selectSlice selects a[start:end:step] with Python's rules for negative
// and missing bounds.
func selectSlice(node any, b sliceBounds, out []any) []any {
	a, ok := node.([]any)
	if !ok {
		return out
	}
	n, step := len(a), 1
	if b.hasStep {
		step = b.step
	}
	start, end := 0, n
	if step < 0 {
		start, end = n-1, -1
	}
	if b.hasStart {
		start = clampIndex(b.start, n, step)
	}
	if b.hasEnd {
		end = clampIndex(b.end, n, step)
	}
	for i := start; (step > 0 && i < end) || (step < 0 && i > end); i += step {
		if 0 <= i && i < n {
			out = append(out, a[i])
		}
	}
	return out
}

// clampIndex turns a slice bound into an index into an array of length n.
func clampIndex(i, n, step int) int {
	if i < 0 {
		i += n
	}
	lo, hi := 0, n
	if step < 0 {
		lo, hi = -1, n-1
	}
	return min(max(i, lo), hi)
}

// selectFiltered keeps the items of an array, or an object itself, for
// which the filter holds.
func (s *step) selectFiltered(doc, node any, out []any) ([]any, error) {
	candidates := []any{node}
	if a, ok := node.([]any); ok {
		candidates = a
	} else if _, ok := node.(map[string]any); !ok {
		return out, nil
	}
	for _, c := range candidates {
		ok, err := s.rare.filter.eval(doc, c)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, c)
		}
	}
	return out, nil
}
