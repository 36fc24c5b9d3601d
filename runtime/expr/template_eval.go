package expr

import (
	"errors"
	"strconv"
)

// Eval evaluates the payload template against env and returns the value
// it builds. Literal parts are copied, so the result may be changed
// freely. Failures are *Error: see EvalField.
func (t *Template) Eval(env *Env) (any, error) {
	return t.EvalField(env, "")
}

// EvalField is Eval for the template of the state field named field
// ("Parameters", "Output", ...), which the causes of JSONata failures
// quote, for example 'Output/result' for the member "result" of Output.
// In JSONPath mode the causes quote the dynamic key instead ('value.$').
//
// A path that selects nothing is a States.Runtime error; a JSONata
// expression that fails or returns nothing is a
// States.QueryEvaluationError; an intrinsic function that rejects its
// arguments is a States.IntrinsicFailure.
func (t *Template) EvalField(env *Env, field string) (any, error) {
	if env == nil {
		env = &Env{}
	}
	return t.eval(env, field)
}

// eval evaluates t; field is where t sits, in AWS's notation.
func (t *Template) eval(env *Env, field string) (any, error) {
	switch t.Kind {
	case TemplateObject:
		return t.evalObject(env, field)
	case TemplateArray:
		return t.evalArray(env, field)
	case TemplatePath:
		return evalPathField(env, t.Path, field)
	case TemplateIntrinsic:
		return evalCallField(env, t.Call, field)
	case TemplateJSONata:
		return t.JSONata.evalField(env, field)
	}
	return copyJSON(t.Literal), nil
}

func (t *Template) evalObject(env *Env, field string) (any, error) {
	out := make(map[string]any, len(t.Fields))
	for _, f := range t.Fields {
		v, err := f.Value.eval(env, f.location(field))
		if err != nil {
			return nil, err
		}
		out[f.Name] = v
	}
	return out, nil
}

func (t *Template) evalArray(env *Env, field string) (any, error) {
	out := make([]any, len(t.Items))
	for i, it := range t.Items {
		v, err := it.eval(env, joinField(field, strconv.Itoa(i)))
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// location returns how AWS names the field in a cause: "key.$" for a
// path or intrinsic field, the "/"-joined location for JSONata.
func (f *TemplateField) location(parent string) string {
	switch f.Value.Kind {
	case TemplatePath, TemplateIntrinsic:
		return f.Name + ".$"
	}
	return joinField(parent, f.Name)
}

func joinField(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "/" + name
}

// evalPathField returns the value a path field selects.
func evalPathField(env *Env, p *Path, field string) (any, error) {
	v, ok := env.lookup(p)
	if !ok {
		root, _ := env.root(p)
		return nil, (&missingPathError{path: p, input: root}).asError(field)
	}
	return copyJSON(v), nil
}

// evalCallField evaluates an intrinsic call field.
func evalCallField(env *Env, c *Call, field string) (any, error) {
	v, err := c.eval(env)
	var m *missingPathError
	if errors.As(err, &m) {
		return nil, m.asError(field)
	}
	if err != nil {
		return nil, AsError(err)
	}
	return copyJSON(v), nil
}

// evalField evaluates a JSONata expression for a field, which must have
// a value.
func (j *JSONata) evalField(env *Env, field string) (any, error) {
	v, defined, err := j.evalEnv(env)
	if err != nil {
		return nil, NewError(ErrQueryEvaluation,
			"The JSONata expression '%s' specified for the field '%s' threw an error "+
				"during evaluation: %v", j.String(), field, err)
	}
	if !defined {
		return nil, NewError(ErrQueryEvaluation,
			"The JSONata expression '%s' specified for the field '%s' returned nothing "+
				"(undefined).", j.String(), field)
	}
	return v, nil
}

// evalEnv evaluates the expression with $states and the variables of
// env, and reports whether it had a value.
func (j *JSONata) evalEnv(env *Env) (any, bool, error) {
	v, err := j.prog.eval(env.Input, env.jsonataVars())
	if errors.Is(err, errJSONataUndefined) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return v, true, nil
}

// copyJSON returns a deep copy of a JSON value.
func copyJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = copyJSON(e)
		}
		return m
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = copyJSON(e)
		}
		return a
	}
	return v
}
