package asl

import (
	"fmt"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/source"
	"github.com/jointlambda/jlgen/runtime/expr"
)

func (p *parser) choice(s *ir.State, n *source.Node) {
	if m := n.Get("Default"); m != nil {
		if d, ok := p.nonEmpty(m.Value, "Default"); ok {
			s.Default, s.DefaultPos = d, m.Value.Pos
		}
	}
	m := n.Get("Choices")
	if m == nil {
		p.errorf(s.Pos, "a Choice state needs Choices")
		return
	}
	if !p.array(m.Value, "Choices") {
		return
	}
	if len(m.Value.Items) == 0 {
		p.errorf(m.Value.Pos, "Choices must have at least one rule")
	}
	for i, it := range m.Value.Items {
		if b := p.choiceBranch(it, fmt.Sprintf("Choices[%d]", i), s.QueryLanguage); b != nil {
			s.Choices = append(s.Choices, b)
		}
	}
}

// choiceBranch reads a top-level choice rule, which names its Next state.
func (p *parser) choiceBranch(n *source.Node, where string, ql ir.QueryLanguage) *ir.ChoiceBranch {
	if !p.object(n, where) {
		return nil
	}
	b := &ir.ChoiceBranch{Pos: n.Pos}
	if m := n.Get("Next"); m == nil {
		p.errorf(n.Pos, "%s has no Next field", where)
	} else if s, ok := p.nonEmpty(m.Value, where+".Next"); ok {
		b.Next, b.NextPos = s, m.Value.Pos
	}
	if m := n.Get("Assign"); m != nil {
		b.Assign = p.assign(m.Value, ql)
	}
	if m := n.Get("Comment"); m != nil {
		b.Comment, _ = p.str(m.Value, "Comment")
	}
	if ql == ir.JSONata {
		b.Rule = p.condition(n, where)
		if m := n.Get("Output"); m != nil {
			b.Output = p.jsonataTemplate(m.Value, where+".Output")
		}
		return b
	}
	if m := n.Get("Output"); m != nil {
		p.errorf(m.KeyPos, "%s: field \"Output\" needs QueryLanguage JSONata", where)
	}
	b.Rule = p.rule(n, where, true)
	return b
}

// condition reads a JSONata-mode rule: Condition, Next, Assign, Output.
func (p *parser) condition(n *source.Node, where string) *expr.Rule {
	for _, m := range n.Members {
		switch m.Key {
		case "Condition", "Next", "Assign", "Output", "Comment":
		default:
			p.errorf(m.KeyPos, "%s: field %q is not allowed in a JSONata choice rule "+
				"(use Condition)", where, m.Key)
		}
	}
	m := n.Get("Condition")
	if m == nil {
		p.errorf(n.Pos, "%s has no Condition field", where)
		return nil
	}
	if m.Value.Kind == source.Bool {
		return &expr.Rule{Value: m.Value.Bool}
	}
	if !isJSONata(m.Value) {
		p.errorf(m.Value.Pos, "%s.Condition must be a JSONata expression \"{%% ... %%}\"", where)
		return nil
	}
	return &expr.Rule{Condition: p.jsonata(m.Value, where+".Condition")}
}

// rule reads a JSONPath-mode rule: a comparison, or And, Or or Not.
func (p *parser) rule(n *source.Node, where string, top bool) *expr.Rule {
	r := &expr.Rule{}
	var ops []string
	for _, m := range n.Members {
		switch m.Key {
		case "Variable", "Comment":
		case "Next", "Assign":
			if !top {
				p.errorf(m.KeyPos, "%s: field %q is only allowed in a top-level choice rule",
					where, m.Key)
			}
		case "And", "Or", "Not":
			ops = append(ops, m.Key)
		case "Condition":
			p.errorf(m.KeyPos, "%s: field \"Condition\" needs QueryLanguage JSONata", where)
		default:
			if _, ok := expr.LookupOperator(m.Key); !ok {
				p.errorf(m.KeyPos, "%s: unknown field %q in a choice rule", where, m.Key)
				continue
			}
			ops = append(ops, m.Key)
		}
	}
	if len(ops) != 1 {
		p.errorf(n.Pos, "%s must have exactly one comparison operator, And, Or or Not, "+
			"not %d", where, len(ops))
		return nil
	}
	switch op := ops[0]; op {
	case "And", "Or":
		p.ruleList(r, n.Get(op), where+"."+op)
	case "Not":
		m := n.Get(op)
		if p.object(m.Value, where+".Not") {
			r.Not = p.rule(m.Value, where+".Not", false)
		}
	default:
		p.comparison(r, n, op, where)
	}
	if v := n.Get("Variable"); v != nil && (r.And != nil || r.Or != nil || r.Not != nil) {
		p.errorf(v.KeyPos, "%s: Variable is not allowed with And, Or or Not", where)
	}
	return r
}

func (p *parser) ruleList(r *expr.Rule, m *source.Member, where string) {
	if !p.array(m.Value, where) {
		return
	}
	if len(m.Value.Items) == 0 {
		p.errorf(m.Value.Pos, "%s must have at least one rule", where)
	}
	for i, it := range m.Value.Items {
		w := fmt.Sprintf("%s[%d]", where, i)
		if !p.object(it, w) {
			continue
		}
		if sub := p.rule(it, w, false); sub != nil {
			if m.Key == "And" {
				r.And = append(r.And, sub)
			} else {
				r.Or = append(r.Or, sub)
			}
		}
	}
}

// comparison reads Variable and one comparison operator with its operand.
func (p *parser) comparison(r *expr.Rule, n *source.Node, op, where string) {
	r.Op = op
	if v := n.Get("Variable"); v == nil {
		p.errorf(n.Pos, "%s: a %s rule needs Variable", where, op)
	} else {
		r.Variable = p.path(v.Value, where+".Variable")
	}
	m := n.Get(op)
	o, _ := expr.LookupOperator(op)
	v := m.Value
	field := where + "." + op
	switch o.Operand {
	case expr.OperandPath:
		r.ValuePath = p.path(v, field)
	case expr.OperandNumber:
		if v.Kind != source.Number {
			p.errorf(v.Pos, "%s must be a number, not %s", field, v.Kind)
			return
		}
		r.Value = v.Value()
	case expr.OperandBool:
		if b, ok := p.boolean(v, field); ok {
			r.Value = b
		}
	case expr.OperandTimestamp:
		if s, ok := p.str(v, field); ok {
			if !validTimestamp(s) {
				p.errorf(v.Pos, "%s: %q is not an RFC 3339 timestamp", field, s)
			}
			r.Value = s
		}
	default:
		if s, ok := p.str(v, field); ok {
			r.Value = s
		}
	}
}
