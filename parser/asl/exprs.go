package asl

import (
	"errors"
	"strconv"
	"strings"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/source"
	"github.com/jointlambda/jlgen/runtime/expr"
)

// exprError reports err, an expression's syntax error, at its column
// inside the string node n.
func (p *parser) exprError(n *source.Node, field string, err error) {
	pos := n.Pos
	var se *expr.SyntaxError
	msg := err.Error()
	if errors.As(err, &se) {
		msg = se.Msg
		if !strings.Contains(n.Text, "\n") {
			pos.Col += int32(se.Offset)
			if n.Quoted {
				pos.Col++
			}
		}
	}
	p.errorf(pos, "%s: %s", field, msg)
}

// path parses a string node as a path ("$...", "$$..." or "$var...").
func (p *parser) path(n *source.Node, field string) *expr.Path {
	s, ok := p.str(n, field)
	if !ok {
		return nil
	}
	if expr.IsIntrinsic(s) {
		p.errorf(n.Pos, "%s must be a path, not an intrinsic function call", field)
		return nil
	}
	path, err := expr.ParsePath(s)
	if err != nil {
		p.exprError(n, field, err)
		return nil
	}
	return path
}

// optPath parses a path field that may be null. A reference path, as
// ResultPath takes, must be definite and rooted at "$".
func (p *parser) optPath(m *source.Member, reference bool) *ir.OptPath {
	n := m.Value
	op := &ir.OptPath{Pos: n.Pos}
	if n.Kind == source.Null {
		return op
	}
	if !reference {
		op.Path = p.path(n, m.Key)
		if op.Path == nil {
			return nil
		}
		return op
	}
	s, ok := p.str(n, m.Key)
	if !ok {
		return nil
	}
	path, err := expr.ParseReferencePath(s)
	if err != nil {
		p.exprError(n, m.Key, err)
		return nil
	}
	op.Path = path
	return op
}

// pathOrCall parses the value of a "key.$" field or an ErrorPath: a path
// or an intrinsic function call.
func (p *parser) pathOrCall(n *source.Node, field string) (*expr.Path, *expr.Call) {
	s, ok := p.str(n, field)
	if !ok {
		return nil, nil
	}
	if strings.HasPrefix(s, "States.") {
		call, err := expr.ParseIntrinsic(s)
		if err != nil {
			p.exprError(n, field, err)
		}
		return nil, call
	}
	if !strings.HasPrefix(s, "$") {
		p.errorf(n.Pos, "%s must be a path or an intrinsic function call, not %q", field, s)
		return nil, nil
	}
	path, err := expr.ParsePath(s)
	if err != nil {
		p.exprError(n, field, err)
	}
	return path, nil
}

// jsonata parses a "{% ... %}" string.
func (p *parser) jsonata(n *source.Node, field string) *expr.JSONata {
	j, err := expr.ParseJSONataString(n.Text)
	if err != nil {
		p.exprError(n, field, err)
		return nil
	}
	return j
}

// isJSONata reports whether n is a JSONata expression string.
func isJSONata(n *source.Node) bool {
	return n.Kind == source.String && expr.IsJSONataString(n.Text)
}

// template parses a payload template in the state's query language, with
// runtime/expr's template parser, and reports each problem at the value
// it is about.
func (p *parser) template(n *source.Node, field string, ql ir.QueryLanguage) *expr.Template {
	t, errs := expr.ParseTemplate(n.AppendJSON(nil), ql == ir.JSONata)
	for _, e := range errs {
		where := field
		if len(e.Pointer) > 0 {
			where += " field " + quote(e.Pointer[len(e.Pointer)-1])
		}
		at := n.Lookup(e.Pointer)
		p.exprError(at, where, e.Err)
	}
	return t
}

// jsonataTemplate parses a JSONata-mode value.
func (p *parser) jsonataTemplate(n *source.Node, field string) *expr.Template {
	return p.template(n, field, ir.JSONata)
}

func literalTemplate(n *source.Node) *expr.Template {
	return &expr.Template{Kind: expr.TemplateLiteral, Literal: n.Value()}
}

func quote(s string) string { return strconv.Quote(s) }
