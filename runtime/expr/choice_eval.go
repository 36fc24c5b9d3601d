package expr

import "strings"

// Eval reports whether the Choice rule holds for env. As in AWS, a
// comparison whose operands have the wrong types is false, not an error;
// but a Variable (or the operand of a ...Path operator) that selects
// nothing is a States.Runtime error, except for IsPresent. A JSONata
// Condition must evaluate to a boolean, else it is a
// States.QueryEvaluationError.
func (r *Rule) Eval(env *Env) (bool, error) {
	if env == nil {
		env = &Env{}
	}
	switch {
	case len(r.And) > 0:
		return evalAll(r.And, env)
	case len(r.Or) > 0:
		return evalAny(r.Or, env)
	case r.Not != nil:
		ok, err := r.Not.Eval(env)
		return !ok, err
	case r.Condition != nil:
		return r.Condition.evalCondition(env)
	case r.Op == "":
		b, _ := r.Value.(bool)
		return b, nil
	}
	return r.compare(env)
}

// evalAll reports whether every rule holds, stopping at the first that
// does not.
func evalAll(rules []*Rule, env *Env) (bool, error) {
	for _, sub := range rules {
		if ok, err := sub.Eval(env); err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// evalAny reports whether some rule holds, stopping at the first that
// does.
func evalAny(rules []*Rule, env *Env) (bool, error) {
	for _, sub := range rules {
		if ok, err := sub.Eval(env); err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// compare evaluates a comparison rule.
func (r *Rule) compare(env *Env) (bool, error) {
	v, found := env.lookup(r.Variable)
	if r.Op == "IsPresent" {
		want, _ := r.Value.(bool)
		return found == want, nil
	}
	if !found {
		return false, invalidChoicePath(r.Variable)
	}
	operand := r.Value
	if r.ValuePath != nil {
		if operand, found = env.lookup(r.ValuePath); !found {
			return false, invalidChoicePath(r.ValuePath)
		}
	}
	return compareOp(strings.TrimSuffix(r.Op, "Path"), v, operand), nil
}

// invalidChoicePath is the error of a Choice path that selects nothing.
func invalidChoicePath(p *Path) error {
	return NewError(ErrRuntime,
		"Invalid path '%s': The choice state's condition path references an invalid value.",
		p.String())
}

// compareOp applies an operator, without its "Path" suffix, to a value
// and an operand.
func compareOp(op string, v, operand any) bool {
	if strings.HasPrefix(op, "Is") {
		want, _ := operand.(bool)
		return hasType(op, v) == want
	}
	if op == "StringMatches" {
		s, ok1 := v.(string)
		p, ok2 := operand.(string)
		return ok1 && ok2 && matchPattern(s, p)
	}
	for _, kind := range [...]string{"String", "Numeric", "Timestamp", "Boolean"} {
		if rel, ok := strings.CutPrefix(op, kind); ok {
			c, ok := orderAs(kind, v, operand)
			return ok && relationHolds(rel, c)
		}
	}
	return false
}

// hasType answers the type test of an Is... operator.
func hasType(op string, v any) bool {
	switch op {
	case "IsNull":
		return v == nil
	case "IsNumeric":
		_, ok := asNumber(v)
		return ok
	case "IsString":
		_, ok := v.(string)
		return ok
	case "IsBoolean":
		_, ok := v.(bool)
		return ok
	case "IsTimestamp":
		_, ok := parseTimestamp(v)
		return ok
	}
	return false
}

// orderAs compares a value with an operand as the given kind of value,
// and reports false when either is not of that kind. Booleans are only
// equal or not.
func orderAs(kind string, v, operand any) (int, bool) {
	switch kind {
	case "String":
		a, ok1 := v.(string)
		b, ok2 := operand.(string)
		return compareUTF16(a, b), ok1 && ok2
	case "Numeric":
		a, ok1 := asNumber(v)
		b, ok2 := asNumber(operand)
		if !ok1 || !ok2 {
			return 0, false
		}
		return compareNumbers(a, b)
	case "Timestamp":
		a, ok1 := parseTimestamp(v)
		b, ok2 := parseTimestamp(operand)
		return a.Compare(b), ok1 && ok2
	}
	a, ok1 := v.(bool)
	b, ok2 := operand.(bool)
	if a == b {
		return 0, ok1 && ok2
	}
	return 1, ok1 && ok2
}

// relationHolds reports whether the result of a comparison satisfies
// the relation named by an operator's suffix.
func relationHolds(rel string, c int) bool {
	switch rel {
	case "Equals":
		return c == 0
	case "LessThan":
		return c < 0
	case "GreaterThan":
		return c > 0
	case "LessThanEquals":
		return c <= 0
	case "GreaterThanEquals":
		return c >= 0
	}
	return false
}

// evalCondition evaluates a JSONata Condition, which must give a boolean.
func (j *JSONata) evalCondition(env *Env) (bool, error) {
	v, err := j.evalField(env, "Condition")
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return false, NewError(ErrQueryEvaluation,
			"The JSONata expression '%s' specified for the field 'Condition' returned an "+
				"unexpected result type. Expected 'boolean', but was '%s' for value: %s",
			j.String(), jsonTypeName(v), compactJSON(v))
	}
	return b, nil
}
