package asl

import (
	"unicode/utf8"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/source"
	"github.com/jointlambda/jlgen/runtime/expr"
)

// dataFlow reads the input and output processing fields of a state. Fields
// that checkFields already rejected for the state's type or query language
// are skipped.
func (p *parser) dataFlow(s *ir.State, n *source.Node) {
	f := &s.Flow
	bits := typeBits[s.Type]
	allowed := func(field string) *source.Member {
		m := n.Get(field)
		if m == nil {
			return nil
		}
		rule := stateFields[field]
		if rule.types&bits == 0 || !modeAllows(rule.mode, s.QueryLanguage) {
			return nil
		}
		return m
	}
	if m := allowed("InputPath"); m != nil {
		f.InputPath = p.optPath(m, false)
	}
	if m := allowed("OutputPath"); m != nil {
		f.OutputPath = p.optPath(m, false)
	}
	if m := allowed("ResultPath"); m != nil {
		f.ResultPath = p.optPath(m, true)
	}
	if m := allowed("Parameters"); m != nil && s.Type != ir.TypeMap {
		// A Map's Parameters is the older name of ItemSelector.
		f.Parameters = p.payload(m, ir.JSONPath)
	}
	if m := allowed("ResultSelector"); m != nil {
		f.ResultSelector = p.payload(m, ir.JSONPath)
	}
	if m := allowed("Arguments"); m != nil {
		f.Arguments = p.payload(m, ir.JSONata)
	}
	if m := allowed("Output"); m != nil {
		f.Output = p.jsonataTemplate(m.Value, "Output")
	}
	if m := allowed("Assign"); m != nil {
		f.Assign = p.assign(m.Value, s.QueryLanguage)
	}
}

func modeAllows(m mode, ql ir.QueryLanguage) bool {
	switch m {
	case jsonPathOnly:
		return ql == ir.JSONPath
	case jsonataOnly:
		return ql == ir.JSONata
	}
	return true
}

// payload parses Parameters, ResultSelector, ItemSelector or Arguments:
// any JSON value, usually an object, whose fields may be dynamic.
func (p *parser) payload(m *source.Member, ql ir.QueryLanguage) *expr.Template {
	return p.template(m.Value, m.Key, ql)
}

// assign parses an Assign object: variable names and the values to give
// them, as templates in the state's query language.
func (p *parser) assign(n *source.Node, ql ir.QueryLanguage) []expr.TemplateField {
	if !p.object(n, "Assign") {
		return nil
	}
	t := p.template(n, "Assign", ql)
	if t == nil {
		return nil
	}
	for i, f := range t.Fields {
		p.variableName(n.Members[i].KeyPos, f.Name)
	}
	return t.Fields
}

// variableName checks the name of an assigned variable. AWS takes any
// non-empty name but the reserved "states".
func (p *parser) variableName(pos ir.Pos, name string) {
	switch {
	case name == "":
		p.errorf(pos, "Assign: a variable name must not be empty")
	case name == "states":
		p.errorf(pos, "Assign: variable name \"states\" is reserved")
	case utf8.RuneCountInString(name) > MaxStateNameLength:
		p.errorf(pos, "Assign: variable name %q is longer than %d characters",
			name, MaxStateNameLength)
	}
}
