package expr

import (
	"cmp"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// eval reports whether the filter holds for the current node cur.
func (f *filterNode) eval(doc, cur any) (bool, error) {
	switch f.kind {
	case filterOr, filterAnd:
		a, err := f.a.eval(doc, cur)
		if err != nil || a == (f.kind == filterOr) {
			return a, err
		}
		return f.b.eval(doc, cur)
	case filterNot:
		a, err := f.a.eval(doc, cur)
		return !a, err
	case filterExists:
		_, ok, err := f.left.value(doc, cur)
		return ok, err
	}
	l, lok, err := f.left.value(doc, cur)
	if err != nil || !lok {
		return false, err
	}
	if f.right.re != nil {
		s, ok := l.(string)
		return ok && f.right.re.MatchString(s), nil
	}
	r, rok, err := f.right.value(doc, cur)
	if err != nil || !rok {
		return false, err
	}
	return compare(f.op, l, r), nil
}

// value returns the operand's value: a literal, or what its path selects
// from the current node ("@") or the document ("$"). Paths rooted
// elsewhere select nothing inside a filter.
func (o *operand) value(doc, cur any) (any, bool, error) {
	if o.path == nil {
		return o.literal, true, nil
	}
	var start any
	switch o.path.root {
	case rootCurrent:
		start = cur
	case RootInput:
		start = doc
	default:
		return nil, false, nil
	}
	nodes, err := o.path.selectFrom(doc, start)
	if err != nil || len(nodes) == 0 {
		return nil, false, err
	}
	if o.path.IsDefinite() {
		return nodes[0], true, nil
	}
	return nodes, true, nil
}

// compare applies a comparison operator of filters to two values.
func compare(op string, l, r any) bool {
	switch op {
	case "==":
		return jsonEqual(l, r)
	case "!=":
		return !jsonEqual(l, r)
	case "<", "<=", ">", ">=":
		c, ok := order(l, r)
		return ok && orderHolds(op, c)
	case "in":
		return contains(r, l)
	case "nin":
		return !contains(r, l)
	case "contains":
		return contains(l, r)
	}
	return compareSets(op, l, r)
}

// compareSets applies the operators that look at arrays and sizes.
func compareSets(op string, l, r any) bool {
	switch op {
	case "subsetof", "anyof", "noneof":
		la, lok := l.([]any)
		ra, rok := r.([]any)
		if !lok || !rok {
			return false
		}
		n := 0
		for _, v := range la {
			if contains(ra, v) {
				n++
			}
		}
		return (op == "subsetof" && n == len(la)) || (op == "anyof" && n > 0) ||
			(op == "noneof" && n == 0)
	case "size":
		n, ok := size(l)
		want, wok := toNumber(r)
		return ok && wok && want.cmp(number{i: int64(n), f: float64(n), exact: true}) == 0
	case "empty":
		n, ok := size(l)
		want, wok := r.(bool)
		return ok && wok && (n == 0) == want
	}
	return false
}

func orderHolds(op string, c int) bool {
	switch op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c >= 0
}

// order compares two numbers or two strings.
func order(l, r any) (int, bool) {
	if ls, ok := l.(string); ok {
		rs, ok := r.(string)
		return strings.Compare(ls, rs), ok
	}
	ln, lok := toNumber(l)
	rn, rok := toNumber(r)
	if !lok || !rok {
		return 0, false
	}
	return ln.cmp(rn), true
}

// jsonEqual compares two JSON values, numbers by value.
func jsonEqual(l, r any) bool {
	if ln, ok := toNumber(l); ok {
		rn, ok := toNumber(r)
		return ok && ln.cmp(rn) == 0
	}
	return reflect.DeepEqual(l, r)
}

// contains reports whether the array or string c contains v.
func contains(c, v any) bool {
	switch c := c.(type) {
	case []any:
		for _, item := range c {
			if jsonEqual(item, v) {
				return true
			}
		}
	case string:
		s, ok := v.(string)
		return ok && strings.Contains(c, s)
	}
	return false
}

// size returns the length of an array, string or object.
func size(v any) (int, bool) {
	switch v := v.(type) {
	case []any:
		return len(v), true
	case string:
		return len(v), true
	case map[string]any:
		return len(v), true
	}
	return 0, false
}

// number is a JSON number, exact when it is an integer that fits int64.
type number struct {
	i     int64
	f     float64
	exact bool
}

// toNumber converts a JSON number; ok is false for other values.
func toNumber(v any) (n number, ok bool) {
	switch v := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return number{i: i, f: float64(i), exact: true}, true
		}
		f, err := strconv.ParseFloat(string(v), 64)
		return number{f: f}, err == nil || math.IsInf(f, 0)
	case float64:
		return number{f: v}, !math.IsNaN(v)
	case int:
		return number{i: int64(v), f: float64(v), exact: true}, true
	case int64:
		return number{i: v, f: float64(v), exact: true}, true
	}
	return number{}, false
}

// cmp compares two numbers.
func (n number) cmp(m number) int {
	if n.exact && m.exact {
		return cmp.Compare(n.i, m.i)
	}
	return cmp.Compare(n.f, m.f)
}
