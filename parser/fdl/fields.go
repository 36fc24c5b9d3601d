package fdl

import (
	"fmt"
	"strings"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/source"
	"github.com/jointlambda/jlgen/runtime/expr"
)

// parser collects the diagnostics of one definition.
type parser struct {
	file  string
	diags ir.Diagnostics
}

func (p *parser) errorf(pos ir.Pos, format string, args ...any) {
	p.diags = append(p.diags, ir.Errorf(p.file, pos, format, args...))
}

// object checks that n is an object whose keys are all in known, and
// reports every other key as unknown. what names the thing for messages.
func (p *parser) object(n *source.Node, what string, known ...string) bool {
	if n.Kind != source.Object {
		p.errorf(n.Pos, "%s must be an object, not %s", what, n.Kind)
		return false
	}
	for _, m := range n.Members {
		if !contains(known, m.Key) {
			p.errorf(m.KeyPos, "%s: unknown field %q", what, m.Key)
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// str returns the string field key of n, reporting a value of another
// kind. required reports a missing field.
func (p *parser) str(n *source.Node, key, what string, required bool) (string, ir.Pos) {
	m := n.Get(key)
	if m == nil {
		if required {
			p.errorf(n.Pos, "%s: missing field %q", what, key)
		}
		return "", n.Pos
	}
	if m.Value.Kind != source.String {
		if m.Value.Kind == source.Number || m.Value.Kind == source.Bool {
			return scalarText(m.Value), m.Value.Pos
		}
		p.errorf(m.Value.Pos, "%s: %s must be a string, not %s", what, key, m.Value.Kind)
		return "", m.Value.Pos
	}
	return m.Value.Text, m.Value.Pos
}

func scalarText(n *source.Node) string {
	if n.Kind == source.Bool {
		return fmt.Sprint(n.Bool)
	}
	return n.Text
}

// integer returns the non-negative integer field key of n, or def.
func (p *parser) integer(n *source.Node, key, what string, def int64) int64 {
	m := n.Get(key)
	if m == nil {
		return def
	}
	v, ok := m.Value.Int()
	if !ok || v < 0 {
		p.errorf(m.Value.Pos, "%s: %s must be a non-negative integer", what, key)
		return def
	}
	return v
}

// number returns the number field key of n, or def.
func (p *parser) number(n *source.Node, key, what string, def float64) float64 {
	m := n.Get(key)
	if m == nil {
		return def
	}
	v, ok := m.Value.Float()
	if !ok {
		p.errorf(m.Value.Pos, "%s: %s must be a number", what, key)
		return def
	}
	return v
}

// boolean returns the boolean field key of n.
func (p *parser) boolean(n *source.Node, key, what string) bool {
	m := n.Get(key)
	if m == nil {
		return false
	}
	if m.Value.Kind != source.Bool {
		p.errorf(m.Value.Pos, "%s: %s must be true or false", what, key)
		return false
	}
	return m.Value.Bool
}

// array returns the items of the array field key of n.
func (p *parser) array(n *source.Node, key, what string, required bool) []*source.Node {
	m := n.Get(key)
	if m == nil {
		if required {
			p.errorf(n.Pos, "%s: missing field %q", what, key)
		}
		return nil
	}
	if m.Value.Kind != source.Array {
		p.errorf(m.Value.Pos, "%s: %s must be a list, not %s", what, key, m.Value.Kind)
		return nil
	}
	return m.Value.Items
}

// strings returns the list of strings in field key of n.
func (p *parser) strings(n *source.Node, key, what string) []string {
	var out []string
	for _, it := range p.array(n, key, what, true) {
		if it.Kind != source.String {
			p.errorf(it.Pos, "%s: %s must hold strings, not %s", what, key, it.Kind)
			continue
		}
		out = append(out, it.Text)
	}
	return out
}

// exprAt parses an Alibaba expression found in a string node, reporting a
// syntax error at its column.
func (p *parser) exprAt(n *source.Node, what string) *expr.AlibabaExpr {
	e, err := expr.ParseAlibabaExpr(n.Text)
	if err != nil {
		p.exprError(n, what, err)
		return nil
	}
	return e
}

func (p *parser) exprError(n *source.Node, what string, err error) {
	pos := n.Pos
	if se, ok := err.(*expr.SyntaxError); ok {
		if !strings.Contains(n.Text[:min(se.Offset, len(n.Text))], "\n") {
			pos.Col += int32(se.Offset)
		}
		p.errorf(pos, "%s: %s", what, se.Msg)
		return
	}
	p.errorf(pos, "%s: %v", what, err)
}

// literal turns a node into a constant template.
func literal(n *source.Node) *expr.AlibabaTemplate {
	return &expr.AlibabaTemplate{Kind: expr.AlibabaTemplateLiteral, Literal: n.Value()}
}

// quote formats a step or state name for messages.
func quote(name string) string { return fmt.Sprintf("%q", name) }
