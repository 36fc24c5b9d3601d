package runtime

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/jointlambda/jlgen/runtime/expr"
)

// evalNumber evaluates a number field on the state input in.
func evalNumber(sc *scope, n Number, in any, field string) (float64, error) {
	var v any
	var err error
	switch {
	case n.Path != nil:
		var ok bool
		if v, ok = selectPath(sc.env(in), n.Path); !ok {
			return 0, expr.NewError(expr.ErrRuntime, "Invalid path '%s' : No results for "+
				"path: %s", n.Path, normalPath(n.Path.String()))
		}
	case n.JSONata != nil:
		if v, err = n.JSONata.Eval(in, map[string]any{"states": statesVar(sc, in)}); err != nil {
			return 0, err
		}
	case n.Placeholder != "":
		return placeholderNumber(n.Placeholder, field)
	default:
		return n.Value, nil
	}
	num, ok := v.(json.Number)
	if !ok {
		return 0, expr.NewError(expr.ErrRuntime, "The value of %s must be a number, not %s",
			field, compact(v))
	}
	return num.Float64()
}

// statesVar is JSONata's $states for a state's input.
func statesVar(sc *scope, in any) map[string]any {
	return map[string]any{"input": in, "context": sc.context}
}

// placeholderNumber reads a deployment placeholder "${Name}" from the
// environment variable Name at run time.
func placeholderNumber(p, field string) (float64, error) {
	name := strings.TrimSuffix(strings.TrimPrefix(p, "${"), "}")
	s, ok := os.LookupEnv(name)
	if !ok {
		return 0, expr.NewError(expr.ErrRuntime, "%s is the deployment placeholder %s, and "+
			"the environment variable %s is not set", field, p, name)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, expr.NewError(expr.ErrRuntime, "%s: environment variable %s is %q, not a "+
			"number", field, name, s)
	}
	return f, nil
}

// evalText evaluates a string field on the state input in.
func evalText(sc *scope, t Text, in any, field string) (string, error) {
	var v any
	var err error
	switch {
	case !t.Set:
		return "", nil
	case t.Path != nil:
		var ok bool
		if v, ok = selectPath(sc.env(in), t.Path); !ok {
			return "", expr.NewError(expr.ErrRuntime, "Invalid path '%s' : No results for "+
				"path: %s", t.Path, normalPath(t.Path.String()))
		}
	case t.Intrinsic != nil:
		v, err = t.Intrinsic.Eval(sc.env(in))
	case t.JSONata != nil:
		v, err = t.JSONata.Eval(in, map[string]any{"states": statesVar(sc, in)})
	default:
		return t.Value, nil
	}
	if err != nil {
		return "", err
	}
	if s, ok := v.(string); ok {
		return s, nil
	}
	return compact(v), nil
}

func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// mapItems returns the items a Map state iterates over.
func mapItems(sc *scope, s *State, in any) ([]any, error) {
	var v any
	var err error
	if s.JSONata {
		v = in
		if s.Items != nil {
			if v, err = s.Items.EvalField(sc.env(in), "Items"); err != nil {
				return nil, err
			}
		}
	} else {
		if v, err = applyPath(sc, s.InputPath, in); err != nil {
			return nil, err
		}
		if s.ItemsPath.Set && s.ItemsPath.Path != nil {
			if v, err = applyPath(sc, s.ItemsPath, v); err != nil {
				return nil, err
			}
		}
	}
	items, ok := v.([]any)
	if !ok {
		return nil, expr.NewError(expr.ErrRuntime, "Map state input must be an array, not %s",
			compact(v))
	}
	return items, nil
}

// selectItem is the input of the Map iteration over item i: the item, or
// the ItemSelector evaluated with $$.Map.Item set.
func selectItem(sc *scope, s *State, in any, i int, item any) (any, error) {
	if s.ItemSelector == nil {
		return item, nil
	}
	ctx := make(map[string]any, len(sc.context)+1)
	for k, v := range sc.context {
		ctx[k] = v
	}
	ctx["Map"] = map[string]any{"Item": map[string]any{
		"Index": json.Number(strconv.Itoa(i)), "Value": item}}
	itemScope := &scope{context: ctx, vars: sc.vars}
	base := in
	if !s.JSONata {
		var err error
		if base, err = applyPath(sc, s.InputPath, in); err != nil {
			return nil, err
		}
	}
	return s.ItemSelector.EvalField(itemScope.env(base), "ItemSelector")
}
