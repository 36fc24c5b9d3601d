package asl

import (
	"fmt"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/source"
)

// state parses one member of a States object. A state whose type is
// missing or unknown is kept with an empty Type, so that transitions to it
// do not add problems of their own.
func (p *parser) state(m source.Member, inherit ir.QueryLanguage) *ir.State {
	outer := p.where
	p.where = ""
	p.stateName(&m)
	p.where = fmt.Sprintf("state %q", m.Key)
	defer func() { p.where = outer }()

	n := m.Value
	s := &ir.State{Name: m.Key, Pos: m.KeyPos}
	if !p.object(n, "a state") {
		return s
	}
	tm := n.Get("Type")
	if tm == nil {
		p.errorf(s.Pos, "state has no Type field")
		return s
	}
	t, _ := p.str(tm.Value, "Type")
	bits, known := typeBits[ir.StateType(t)]
	if !known {
		if tm.Value.Kind == source.String {
			p.errorf(tm.Value.Pos, "unknown state type %q", t)
		}
		return s
	}
	s.Type = ir.StateType(t)
	s.QueryLanguage = p.queryLanguage(n, inherit)
	p.checkFields(n, s.Type, bits, s.QueryLanguage)
	if c := n.Get("Comment"); c != nil {
		s.Comment, _ = p.str(c.Value, "Comment")
	}
	p.transition(s, n, bits)
	p.dataFlow(s, n)
	p.typeFields(s, n)
	return s
}

// checkFields reports fields that the state's type or query language does
// not take, and pairs of fields that exclude each other.
func (p *parser) checkFields(n *source.Node, t ir.StateType, bits typeSet, ql ir.QueryLanguage) {
	for _, m := range n.Members {
		rule, ok := stateFields[m.Key]
		switch {
		case !ok:
			p.errorf(m.KeyPos, "unknown field %q", m.Key)
		case rule.types&bits == 0:
			p.errorf(m.KeyPos, "field %q is not allowed in a %s state", m.Key, t)
		case rule.mode == jsonPathOnly && ql == ir.JSONata:
			p.errorf(m.KeyPos, "field %q is not allowed in JSONata mode%s", m.Key, jsonataHint(m.Key))
		case rule.mode == jsonataOnly && ql == ir.JSONPath:
			p.errorf(m.KeyPos, "field %q needs QueryLanguage JSONata", m.Key)
		}
	}
	for _, pair := range exclusive {
		if n.Get(pair[0]) != nil && n.Get(pair[1]) != nil {
			p.errorf(n.Get(pair[1]).KeyPos, "fields %q and %q cannot be used together",
				pair[0], pair[1])
		}
	}
}

// jsonataHint says which JSONata field replaces a JSONPath one.
func jsonataHint(field string) string {
	switch field {
	case "Parameters":
		return " (use Arguments)"
	case "InputPath", "OutputPath", "ResultPath", "ResultSelector", "Result":
		return " (use Output, Assign or Arguments)"
	case "ItemsPath":
		return " (use Items)"
	}
	return ""
}

// transition reads Next and End.
func (p *parser) transition(s *ir.State, n *source.Node, bits typeSet) {
	next, end := n.Get("Next"), n.Get("End")
	if next != nil {
		if v, ok := p.nonEmpty(next.Value, "Next"); ok {
			s.Next, s.NextPos = v, next.Value.Pos
		}
	}
	if end != nil {
		if v, ok := p.boolean(end.Value, "End"); ok {
			if !v {
				p.errorf(end.Value.Pos, "End must be true when present")
			}
			s.End = v
		}
	}
	if bits&tFlowing != 0 && next == nil && end == nil {
		p.errorf(s.Pos, "a %s state needs Next or \"End\": true", s.Type)
	}
}

// typeFields parses the fields particular to the state's type.
func (p *parser) typeFields(s *ir.State, n *source.Node) {
	switch s.Type {
	case ir.TypeTask:
		p.task(s, n)
	case ir.TypePass:
		if m := n.Get("Result"); m != nil {
			s.Result = literalTemplate(m.Value)
		}
	case ir.TypeChoice:
		p.choice(s, n)
	case ir.TypeWait:
		p.wait(s, n)
	case ir.TypeFail:
		p.fail(s, n)
	case ir.TypeParallel:
		p.parallel(s, n)
	case ir.TypeMap:
		p.mapState(s, n)
	}
	if s.Type == ir.TypeTask || s.Type == ir.TypeParallel || s.Type == ir.TypeMap {
		p.retryCatch(s, n)
	}
}

func (p *parser) parallel(s *ir.State, n *source.Node) {
	m := n.Get("Branches")
	if m == nil {
		p.errorf(s.Pos, "a Parallel state needs Branches")
		return
	}
	if !p.array(m.Value, "Branches") {
		return
	}
	if len(m.Value.Items) == 0 {
		p.errorf(m.Value.Pos, "Branches must have at least one branch")
	}
	for _, b := range m.Value.Items {
		if p.object(b, "a branch") {
			s.Branches = append(s.Branches, p.graph(b, graphBranch, s.QueryLanguage))
		}
	}
}
