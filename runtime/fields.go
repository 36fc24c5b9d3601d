package runtime

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"

	"github.com/jointlambda/jlgen/runtime/expr"
)

// numberValue evaluates a number field on the state input in to the
// value it names: the literal, what its path selects, what its JSONata
// expression returns, or the value of its deployment placeholder.
func numberValue(sc *scope, n Number, in any, field string) (any, error) {
	switch {
	case n.Path != nil:
		env := sc.env(in)
		v, ok := selectPath(env, n.Path)
		if !ok {
			return nil, pathError(env, n.Path)
		}
		return v, nil
	case n.JSONata != nil:
		return jsonataField(sc, n.JSONata, in, field)
	case n.Placeholder != "":
		f, err := placeholderNumber(n.Placeholder, field)
		return json.Number(strconv.FormatFloat(f, 'f', -1, 64)), err
	}
	return json.Number(strconv.FormatFloat(n.Value, 'f', -1, 64)), nil
}

// jsonataField evaluates the JSONata expression of the state field named
// field, with AWS's errors for a failure or an undefined result.
func jsonataField(sc *scope, j *JSONata, in any, field string) (any, error) {
	t := &Template{Kind: expr.TemplateJSONata, JSONata: j}
	return t.EvalField(sc.env(in), field)
}

// evalNumber evaluates a number field on the state input in.
func evalNumber(sc *scope, n Number, in any, field string) (float64, error) {
	v, err := numberValue(sc, n, in, field)
	if err != nil {
		return 0, err
	}
	num, ok := v.(json.Number)
	if !ok {
		return 0, expr.NewError(expr.ErrRuntime, "The value of %s must be a number, not %s",
			field, compact(v))
	}
	return num.Float64()
}

// evalInteger evaluates a number field that must hold an integer, such as
// a Map state's MaxConcurrency, with AWS's errors for another value.
func evalInteger(sc *scope, n Number, in any, field string) (int64, error) {
	v, err := numberValue(sc, n, in, field)
	if err != nil {
		return 0, err
	}
	i, err := strconv.ParseInt(plainValue(v), 10, 64)
	if err != nil {
		return 0, badNumber(n, field, v, "integer")
	}
	return i, nil
}

// evalFloat evaluates a number field that may hold any number, such as a
// Map state's ToleratedFailurePercentage.
func evalFloat(sc *scope, n Number, in any, field string) (float64, error) {
	v, err := numberValue(sc, n, in, field)
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(plainValue(v), 64)
	if err != nil {
		return 0, badNumber(n, field, v, "float")
	}
	return f, nil
}

// badNumber is AWS's error for a number field whose value is not of the
// kind ("integer" or "float") the field needs.
func badNumber(n Number, field string, v any, kind string) error {
	switch {
	case n.Path != nil:
		return expr.NewError(expr.ErrRuntime, "The %sPath field refers to value \"%s\" which "+
			"is not a valid %s: %s", field, plainValue(v), kind, n.Path)
	case n.JSONata != nil:
		return unexpectedType(n.JSONata, field, kind, v)
	}
	return expr.NewError(expr.ErrRuntime, "The value of %s must be a valid %s, not %s",
		field, kind, compact(v))
}

// unexpectedType is AWS's error for a JSONata expression whose value is
// not of the type its field needs.
func unexpectedType(j *JSONata, field, want string, v any) error {
	return expr.NewError(expr.ErrQueryEvaluation, "The JSONata expression '%s' specified for "+
		"the field '%s' returned an unexpected result type. Expected '%s', but was '%s' for "+
		"value: %s", j, field, want, expr.TypeName(v), compact(v))
}

// plainValue is a value as AWS quotes it in the causes about number
// fields: a string as it is, anything else as compact JSON.
func plainValue(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return compact(v)
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

// textValue evaluates a string field on the state input in to the value
// it names, which may be of any type.
func textValue(sc *scope, t Text, in any, field string) (any, error) {
	env := sc.env(in)
	switch {
	case !t.Set:
		return "", nil
	case t.Path != nil:
		v, ok := selectPath(env, t.Path)
		if !ok {
			return nil, pathError(env, t.Path)
		}
		return v, nil
	case t.Intrinsic != nil:
		return t.Intrinsic.Eval(env)
	case t.JSONata != nil:
		return jsonataField(sc, t.JSONata, in, field)
	}
	return t.Value, nil
}

// evalText evaluates a string field on the state input in: a string
// value as it is, another value as compact JSON.
func evalText(sc *scope, t Text, in any, field string) (string, error) {
	v, err := textValue(sc, t, in, field)
	if err != nil {
		return "", err
	}
	return plainValue(v), nil
}

// failText evaluates the Error or Cause field of a Fail state, with AWS's
// wording when ErrorPath or CausePath selects nothing.
func failText(sc *scope, t Text, in any, field string) (string, error) {
	if t.Path != nil {
		if _, ok := selectPath(sc.env(in), t.Path); !ok {
			return "", expr.NewError(expr.ErrRuntime, "The JSONPath '%s' specified for the "+
				"field '%sPath' could not be found in the input '%s'", t.Path, field,
				compact(in))
		}
	}
	return evalText(sc, t, in, field)
}

// compact renders v as compact JSON text, as AWS quotes values.
func compact(v any) string { return expr.CompactJSON(v) }
