package fdl

import (
	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/source"
)

// choice parses a flow-format choice step. Steps inside a branch are
// flattened into g after the choice, in the choice's scope; they continue
// with the branch's goto, or else with the choice's successor.
func (p *parser) choice(g *ir.Graph, n *source.Node, st *ir.State, what, succ string,
	l *list, names map[string]ir.Pos) {
	inner := append(append([]string(nil), l.scope...), st.Name)
	for _, c := range p.array(n, "choices", what, true) {
		w := what + ": choice"
		if !p.object(c, w, "condition", "steps", "goto") {
			continue
		}
		b := &ir.ChoiceBranch{Pos: c.Pos}
		b.Alibaba = p.condition(c, w)
		b.Next, b.NextPos = p.branchTarget(g, c, w, succ, l, inner, names)
		st.Choices = append(st.Choices, b)
	}
	m := n.Get("default")
	if m == nil {
		st.Default, st.DefaultPos = succ, st.Pos
		st.End = succ == ""
		return
	}
	w := what + ": default"
	if p.object(m.Value, w, "steps", "goto") {
		st.Default, st.DefaultPos = p.branchTarget(g, m.Value, w, succ, l, inner, names)
	}
}

func (p *parser) condition(c *source.Node, what string) *ir.AlibabaCondition {
	m := c.Get("condition")
	if m == nil {
		p.errorf(c.Pos, "%s: missing field \"condition\"", what)
		return nil
	}
	if m.Value.Kind == source.Bool {
		return &ir.AlibabaCondition{Src: scalarText(m.Value), Pos: m.Value.Pos,
			Expr: p.exprAt(&source.Node{Kind: source.String, Pos: m.Value.Pos,
				Text: scalarText(m.Value)}, what+": condition")}
	}
	if m.Value.Kind != source.String {
		p.errorf(m.Value.Pos, "%s: condition must be a string, not %s", what, m.Value.Kind)
		return nil
	}
	return &ir.AlibabaCondition{Src: m.Value.Text, Pos: m.Value.Pos,
		Expr: p.exprAt(m.Value, what+": condition")}
}

// branchTarget returns where a choice branch or default leads: its first
// inline step, or its goto, or the choice's successor.
func (p *parser) branchTarget(g *ir.Graph, c *source.Node, what, succ string, l *list,
	inner []string, names map[string]ir.Pos) (string, ir.Pos) {
	cont, pos := succ, c.Pos
	if c.Get("goto") != nil {
		cont, pos = p.gotoTarget(c, what, l, false)
	}
	items := p.array(c, "steps", what, false)
	if len(items) == 0 {
		return cont, pos
	}
	return p.stepList(g, items, inner, cont, names), items[0].Pos
}
