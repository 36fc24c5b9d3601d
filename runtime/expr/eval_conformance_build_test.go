package expr_test

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jointlambda/jlgen/runtime/expr"
)

// buildTemplate turns a decoded payload template into an expr.Template,
// in JSONata mode when jsonata is true, as parser/asl does.
func buildTemplate(v any, jsonata bool) (*expr.Template, error) {
	switch x := v.(type) {
	case map[string]any:
		t := &expr.Template{Kind: expr.TemplateObject}
		for k, e := range x {
			f, err := buildField(k, e, jsonata)
			if err != nil {
				return nil, err
			}
			t.Fields = append(t.Fields, f)
		}
		return t, nil
	case []any:
		t := &expr.Template{Kind: expr.TemplateArray}
		for _, e := range x {
			it, err := buildTemplate(e, jsonata)
			if err != nil {
				return nil, err
			}
			t.Items = append(t.Items, it)
		}
		return t, nil
	case string:
		if jsonata && expr.IsJSONataString(x) {
			j, err := expr.ParseJSONataString(x)
			return &expr.Template{Kind: expr.TemplateJSONata, JSONata: j}, err
		}
	}
	return &expr.Template{Kind: expr.TemplateLiteral, Literal: v}, nil
}

func buildField(key string, v any, jsonata bool) (expr.TemplateField, error) {
	name, dynamic := strings.CutSuffix(key, ".$")
	if jsonata || !dynamic {
		t, err := buildTemplate(v, jsonata)
		return expr.TemplateField{Name: key, Value: t}, err
	}
	s, ok := v.(string)
	if !ok {
		return expr.TemplateField{}, fmt.Errorf("field %q: not a string", key)
	}
	if expr.IsIntrinsic(s) {
		c, err := expr.ParseIntrinsic(s)
		t := &expr.Template{Kind: expr.TemplateIntrinsic, Call: c}
		return expr.TemplateField{Name: name, Value: t}, err
	}
	p, err := expr.ParsePath(s)
	t := &expr.Template{Kind: expr.TemplatePath, Path: p}
	return expr.TemplateField{Name: name, Value: t}, err
}

// buildRule turns a decoded Choice rule into an expr.Rule.
func buildRule(m map[string]any) (*expr.Rule, error) {
	if c, ok := m["Condition"]; ok {
		return buildCondition(c)
	}
	for _, op := range [...]string{"And", "Or"} {
		if list, ok := m[op].([]any); ok {
			return buildRuleList(op, list)
		}
	}
	if not, ok := m["Not"].(map[string]any); ok {
		sub, err := buildRule(not)
		return &expr.Rule{Not: sub}, err
	}
	return buildComparison(m)
}

func buildCondition(c any) (*expr.Rule, error) {
	if b, ok := c.(bool); ok {
		return &expr.Rule{Value: b}, nil
	}
	s, _ := c.(string)
	j, err := expr.ParseJSONataString(s)
	return &expr.Rule{Condition: j}, err
}

func buildRuleList(op string, list []any) (*expr.Rule, error) {
	r := &expr.Rule{}
	for _, it := range list {
		m, _ := it.(map[string]any)
		sub, err := buildRule(m)
		if err != nil {
			return nil, err
		}
		if op == "And" {
			r.And = append(r.And, sub)
		} else {
			r.Or = append(r.Or, sub)
		}
	}
	return r, nil
}

func buildComparison(m map[string]any) (*expr.Rule, error) {
	r := &expr.Rule{}
	for k, v := range m {
		op, ok := expr.LookupOperator(k)
		if !ok {
			continue
		}
		r.Op = k
		if op.Operand != expr.OperandPath {
			r.Value = v
			continue
		}
		s, _ := v.(string)
		p, err := expr.ParsePath(s)
		if err != nil {
			return nil, err
		}
		r.ValuePath = p
	}
	s, _ := m["Variable"].(string)
	p, err := expr.ParsePath(s)
	if r.Op == "" || err != nil {
		return nil, fmt.Errorf("not a comparison rule: %v", m)
	}
	r.Variable = p
	return r, nil
}

// decode decodes JSON text with numbers as json.Number.
func decode(b []byte) (any, error) {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}
