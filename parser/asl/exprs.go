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

// template parses a payload template in the state's query language.
func (p *parser) template(n *source.Node, field string, ql ir.QueryLanguage) *expr.Template {
	if ql == ir.JSONata {
		return p.jsonataTemplate(n, field)
	}
	return p.pathTemplate(n, field)
}

// pathTemplate parses a JSONPath-mode payload template, where a field
// whose name ends in ".$" takes a path or an intrinsic function call.
func (p *parser) pathTemplate(n *source.Node, field string) *expr.Template {
	switch n.Kind {
	case source.Object:
		t := &expr.Template{Kind: expr.TemplateObject}
		seen := map[string]ir.Pos{}
		for _, m := range n.Members {
			f := p.pathTemplateField(m, field)
			if first, dup := seen[f.Name]; dup {
				p.errorf(m.KeyPos, "%s: field %q clashes with the field at %s: both set %q",
					field, m.Key, first, f.Name)
			}
			seen[f.Name] = m.KeyPos
			t.Fields = append(t.Fields, f)
		}
		return t
	case source.Array:
		t := &expr.Template{Kind: expr.TemplateArray}
		for _, it := range n.Items {
			t.Items = append(t.Items, p.pathTemplate(it, field))
		}
		return t
	}
	return literalTemplate(n)
}

func (p *parser) pathTemplateField(m source.Member, field string) expr.TemplateField {
	name, dynamic := strings.CutSuffix(m.Key, ".$")
	if !dynamic {
		return expr.TemplateField{Name: m.Key, Value: p.pathTemplate(m.Value, field)}
	}
	where := field + " field " + quote(m.Key)
	if m.Value.Kind != source.String {
		p.errorf(m.Value.Pos, "%s must be a path or an intrinsic function call, not %s",
			where, m.Value.Kind)
		return expr.TemplateField{Name: name, Value: literalTemplate(m.Value)}
	}
	path, call := p.pathOrCall(m.Value, where)
	t := &expr.Template{Kind: expr.TemplatePath, Path: path}
	if call != nil {
		t = &expr.Template{Kind: expr.TemplateIntrinsic, Call: call}
	}
	return expr.TemplateField{Name: name, Value: t}
}

// jsonataTemplate parses a JSONata-mode value, where any string written
// as "{% ... %}" is an expression.
func (p *parser) jsonataTemplate(n *source.Node, field string) *expr.Template {
	switch n.Kind {
	case source.Object:
		t := &expr.Template{Kind: expr.TemplateObject}
		for _, m := range n.Members {
			v := p.jsonataTemplate(m.Value, field)
			t.Fields = append(t.Fields, expr.TemplateField{Name: m.Key, Value: v})
		}
		return t
	case source.Array:
		t := &expr.Template{Kind: expr.TemplateArray}
		for _, it := range n.Items {
			t.Items = append(t.Items, p.jsonataTemplate(it, field))
		}
		return t
	case source.String:
		if looksLikeJSONata(n.Text) {
			return &expr.Template{Kind: expr.TemplateJSONata, JSONata: p.jsonata(n, field)}
		}
	}
	return literalTemplate(n)
}

// looksLikeJSONata reports whether s opens or closes like an expression,
// so that a malformed one is reported rather than taken as a string. As
// in AWS, a string with blanks before "{%" or after "%}" is a plain
// string.
func looksLikeJSONata(s string) bool {
	return strings.HasPrefix(s, "{%") || strings.HasSuffix(s, "%}")
}

func literalTemplate(n *source.Node) *expr.Template {
	return &expr.Template{Kind: expr.TemplateLiteral, Literal: n.Value()}
}

func quote(s string) string { return strconv.Quote(s) }
