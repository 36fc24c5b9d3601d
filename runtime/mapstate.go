package runtime

import (
	"encoding/json"
	"strconv"

	"github.com/jointlambda/jlgen/runtime/expr"
)

// mapItems returns the items a Map state iterates over: its effective
// input (after InputPath and ItemsPath), or the value of Items in JSONata
// mode.
func mapItems(sc *scope, s *State, in any) ([]any, error) {
	v, err := mapItemsValue(sc, s, in)
	if err != nil {
		return nil, err
	}
	items, ok := v.([]any)
	switch {
	case ok:
		return items, nil
	case s.Items != nil && s.Items.Kind == expr.TemplateJSONata:
		return nil, unexpectedType(s.Items.JSONata, "Items", "array", v)
	case s.JSONata:
		return nil, expr.NewError(expr.ErrQueryEvaluation, "Map state input must be an array "+
			"but was: %s", compact(v))
	}
	return nil, expr.NewError(expr.ErrRuntime, "Map state input must be an array but was: %s",
		compact(v))
}

// mapItemsValue is the value a Map state's items come from.
func mapItemsValue(sc *scope, s *State, in any) (any, error) {
	if s.JSONata {
		if s.Items == nil {
			return in, nil
		}
		return s.Items.EvalField(sc.env(in), "Items")
	}
	v, err := applyPath(sc, s.InputPath, in)
	if err != nil || !s.ItemsPath.Set || s.ItemsPath.Path == nil {
		return v, err
	}
	return applyPath(sc, s.ItemsPath, v)
}

// selectItem is the input of the Map iteration over item i: the item, or
// the ItemSelector evaluated with $$.Map.Item set.
func selectItem(sc *scope, s *State, in any, i int, item any) (any, error) {
	if s.ItemSelector == nil {
		return item, nil
	}
	ctx := make(map[string]any, len(sc.context())+1)
	for k, v := range sc.context() {
		ctx[k] = v
	}
	ctx["Map"] = map[string]any{"Item": map[string]any{
		"Index": json.Number(strconv.Itoa(i)), "Value": item}}
	itemScope := &scope{ctx: ctx, vars: sc.vars}
	base := in
	if !s.JSONata {
		var err error
		if base, err = applyPath(sc, s.InputPath, in); err != nil {
			return nil, err
		}
	}
	return s.ItemSelector.EvalField(itemScope.env(base), "ItemSelector")
}

// mapLimits are the thresholds of a Map state, evaluated on its input.
type mapLimits struct {
	// failureCount and failurePercentage are negative when not given.
	failureCount      float64
	failurePercentage float64
}

// evalMapLimits evaluates and checks MaxConcurrency and the tolerated
// failure thresholds of the Map state s. In JSONPath mode their paths
// select from the effective input, as ItemsPath does.
func evalMapLimits(sc *scope, s *State, in any) (mapLimits, error) {
	l := mapLimits{failureCount: -1, failurePercentage: -1}
	if !s.JSONata {
		var err error
		if in, err = applyPath(sc, s.InputPath, in); err != nil {
			return l, err
		}
	}
	if s.MaxConcurrency.Set {
		n, err := evalInteger(sc, s.MaxConcurrency, in, "MaxConcurrency")
		if err != nil {
			return l, err
		}
		if n < 0 {
			return l, expr.NewError(expr.ErrRuntime, "MaxConcurrency cannot be negative.")
		}
	}
	if s.ToleratedFailureCount.Set {
		n, err := evalInteger(sc, s.ToleratedFailureCount, in, "ToleratedFailureCount")
		if err != nil {
			return l, err
		}
		if n < 0 {
			return l, expr.NewError(expr.ErrRuntime, "ToleratedFailureCount cannot be negative.")
		}
		l.failureCount = float64(n)
	}
	if s.ToleratedFailurePercentage.Set {
		p, err := evalFloat(sc, s.ToleratedFailurePercentage, in, "ToleratedFailurePercentage")
		if err != nil {
			return l, err
		}
		if p < 0 || p > 100 {
			return l, expr.NewError(expr.ErrRuntime, "ToleratedFailurePercentage must be "+
				"between 0 and 100.")
		}
		l.failurePercentage = p
	}
	return l, nil
}

// tolerates reports whether a Map state with these limits tolerates
// failed items out of size.
func (l mapLimits) tolerates(failed, size int) bool {
	if l.failureCount >= 0 && float64(failed) <= l.failureCount {
		return true
	}
	return l.failurePercentage >= 0 && float64(failed)*100 <= l.failurePercentage*float64(size)
}
