package expr

import (
	"cmp"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
)

// AlibabaScope holds the values that the roots of Alibaba paths name
// while one expression is evaluated. Values are plain JSON values:
// map[string]any, []any, string, json.Number, bool or nil.
type AlibabaScope struct {
	Current, Input, Local, Context, Output, Global, Item any
}

func (s *AlibabaScope) root(r AlibabaRoot) any {
	switch r {
	case AlibabaInput:
		return s.Input
	case AlibabaLocal:
		return s.Local
	case AlibabaContext:
		return s.Context
	case AlibabaOutput:
		return s.Output
	case AlibabaGlobal:
		return s.Global
	case AlibabaItem:
		return s.Item
	}
	return s.Current
}

// Eval selects the path's value in s. A member or element that does not
// exist yields nil. A path with a wildcard yields the flattened list of
// every value it selects.
func (p *AlibabaPath) Eval(s *AlibabaScope) any {
	vals := []any{s.root(p.Root)}
	for _, sel := range p.Selectors {
		var next []any
		for _, v := range vals {
			next = append(next, sel.apply(v)...)
		}
		vals = next
	}
	if p.IsDefinite() {
		if len(vals) == 0 {
			return nil
		}
		return vals[0]
	}
	if vals == nil {
		vals = []any{}
	}
	return vals
}

func (sel AlibabaSelector) apply(v any) []any {
	switch {
	case sel.Wildcard:
		return wildcardValues(v)
	case sel.Index != nil:
		if a, ok := v.([]any); ok && *sel.Index < len(a) {
			return []any{a[*sel.Index]}
		}
		return []any{nil}
	}
	if m, ok := v.(map[string]any); ok {
		return []any{m[sel.Key]}
	}
	return []any{nil}
}

func wildcardValues(v any) []any {
	switch v := v.(type) {
	case []any:
		return v
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make([]any, len(keys))
		for i, k := range keys {
			out[i] = v[k]
		}
		return out
	}
	return nil
}

// Eval evaluates the expression in s. Comparisons of two numbers compare
// numerically, of two strings lexically; == and != compare any two
// values by JSON equality; an ordering of mismatched types is false.
// && and || take operands by truth (see AlibabaTruthy) and yield bool.
func (e *AlibabaExpr) Eval(s *AlibabaScope) (any, error) {
	switch e.Kind {
	case AlibabaLiteral:
		return e.Value, nil
	case AlibabaPathRef:
		return e.Path.Eval(s), nil
	case AlibabaNot:
		v, err := e.Args[0].Eval(s)
		return !AlibabaTruthy(v), err
	case AlibabaAnd, AlibabaOr:
		return e.logical(s)
	case AlibabaCompare:
		return e.compare(s)
	}
	return nil, fmt.Errorf("evaluate %s: function %q is not supported", e, e.Func)
}

func (e *AlibabaExpr) logical(s *AlibabaScope) (any, error) {
	l, err := e.Args[0].Eval(s)
	if err != nil {
		return nil, err
	}
	if AlibabaTruthy(l) == (e.Kind == AlibabaOr) {
		return e.Kind == AlibabaOr, nil
	}
	r, err := e.Args[1].Eval(s)
	return AlibabaTruthy(r), err
}

func (e *AlibabaExpr) compare(s *AlibabaScope) (any, error) {
	l, err := e.Args[0].Eval(s)
	if err != nil {
		return nil, err
	}
	r, err := e.Args[1].Eval(s)
	if err != nil {
		return nil, err
	}
	switch e.Op {
	case "==":
		return aliEqual(l, r), nil
	case "!=":
		return !aliEqual(l, r), nil
	}
	c, ok := aliOrder(l, r)
	if !ok {
		return false, nil
	}
	switch e.Op {
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	}
	return c >= 0, nil
}

// AlibabaTruthy reports whether a condition's value counts as true: only
// the boolean true does.
func AlibabaTruthy(v any) bool {
	b, ok := v.(bool)
	return ok && b
}

func aliNumeric(v any) (float64, bool) {
	switch v := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		return f, err == nil
	case float64:
		return v, true
	case int:
		return float64(v), true
	case int64:
		return float64(v), true
	}
	return 0, false
}

func aliOrder(l, r any) (int, bool) {
	if a, ok := aliNumeric(l); ok {
		if b, ok := aliNumeric(r); ok {
			return cmp.Compare(a, b), true
		}
		return 0, false
	}
	a, ok1 := l.(string)
	b, ok2 := r.(string)
	if !ok1 || !ok2 {
		return 0, false
	}
	switch {
	case a < b:
		return -1, true
	case a > b:
		return 1, true
	}
	return 0, true
}

func aliEqual(l, r any) bool {
	if a, ok := aliNumeric(l); ok {
		b, ok := aliNumeric(r)
		return ok && a == b
	}
	lj, err1 := json.Marshal(l)
	rj, err2 := json.Marshal(r)
	return err1 == nil && err2 == nil && string(lj) == string(rj)
}

func aliLiteralString(v any) string {
	out, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(out)
}

// Eval builds the template's value in s.
func (t *AlibabaTemplate) Eval(s *AlibabaScope) (any, error) {
	switch t.Kind {
	case AlibabaTemplateExpr:
		return t.Expr.Eval(s)
	case AlibabaTemplateArray:
		out := make([]any, len(t.Items))
		for i, it := range t.Items {
			v, err := it.Eval(s)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case AlibabaTemplateObject:
		out := make(map[string]any, len(t.Fields))
		for _, f := range t.Fields {
			v, err := f.Value.Eval(s)
			if err != nil {
				return nil, err
			}
			out[f.Name] = v
		}
		return out, nil
	}
	return t.Literal, nil
}
