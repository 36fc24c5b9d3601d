package runtime

import (
	"encoding/json"
	"errors"

	"github.com/jointlambda/jlgen/runtime/expr"
)

// The data flow of the states, as AWS applies it. Each function is pure:
// it reads the state, the input and the scope, and returns values or an
// *expr.Error with the name and cause AWS reports.

// scope is what a state's expressions see besides its input: the
// context object, built the first time an expression needs it, and the
// variables.
type scope struct {
	ctx   map[string]any
	build func() map[string]any
	vars  map[string]any
}

// context returns the context object, building it once.
func (sc *scope) context() map[string]any {
	if sc.ctx == nil && sc.build != nil {
		sc.ctx = sc.build()
	}
	return sc.ctx
}

func (sc *scope) env(input any) *expr.Env {
	return &expr.Env{Input: input, Context: sc.context(), Vars: sc.vars}
}

// applyPath applies InputPath or OutputPath: unset keeps v, null gives an
// empty object, a path selects from v (or from the context or a variable).
func applyPath(sc *scope, p OptPath, v any) (any, error) {
	if !p.Set {
		return v, nil
	}
	if p.Path == nil {
		return map[string]any{}, nil
	}
	env := sc.env(v)
	got, ok := selectPath(env, p.Path)
	if !ok {
		return nil, pathError(env, p.Path)
	}
	return got, nil
}

// selectPath evaluates p against the input, the context or a variable.
func selectPath(env *expr.Env, p *Path) (any, bool) {
	root, ok := pathRoot(env, p)
	if !ok {
		return nil, false
	}
	return p.Get(root)
}

// pathRoot is the value p starts from, and false for an undefined
// variable.
func pathRoot(env *expr.Env, p *Path) (any, bool) {
	switch p.Root() {
	case expr.RootContext:
		return env.Context, true
	case expr.RootVariable:
		v, ok := env.Vars[p.Variable()]
		return v, ok
	}
	return env.Input, true
}

// pathError is AWS's States.Runtime error for a path of a state field
// (InputPath, OutputPath, SecondsPath, ...) that selects nothing.
func pathError(env *expr.Env, p *Path) error {
	root, _ := pathRoot(env, p)
	return expr.NewError(expr.ErrRuntime, "Invalid path '%s' : %s", p, p.Absence(root))
}

// applyResultPath places result into input at ResultPath: unset gives
// the result, null keeps the input.
func applyResultPath(p OptPath, input, result any) (any, error) {
	if !p.Set {
		return result, nil
	}
	if p.Path == nil {
		return input, nil
	}
	if p.Path.String() == "$" {
		return result, nil
	}
	out := deepCopy(input)
	if err := p.Path.Set(&out, result); err != nil {
		return nil, expr.NewError(expr.ErrRuntime, "Unable to apply ResultPath '%s' to the "+
			"input: %v", p.Path, err)
	}
	return out, nil
}

// deepCopy copies a JSON value, so that writes do not reach the original.
func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		a := make([]any, len(v))
		for i, x := range v {
			a[i] = deepCopy(x)
		}
		return a
	}
	return v
}

// effectiveInput is what a Task, Parallel, Map or Pass works on: InputPath
// and Parameters in JSONPath mode, Arguments in JSONata mode.
func effectiveInput(sc *scope, s *State, in any) (any, error) {
	if s.JSONata {
		if s.Arguments == nil {
			return in, nil
		}
		return s.Arguments.EvalField(sc.env(in), "Arguments")
	}
	v, err := applyPath(sc, s.InputPath, in)
	if err != nil {
		return nil, err
	}
	if s.Parameters == nil {
		return v, nil
	}
	return s.Parameters.EvalField(sc.env(v), "Parameters")
}

// stateOutput applies the output data flow of a state to its raw result:
// ResultSelector, ResultPath and OutputPath in JSONPath mode, Output in
// JSONata mode. It returns the output and the variables Assign sets.
func stateOutput(sc *scope, s *State, in, result any) (any, map[string]any, error) {
	if s.JSONata {
		env := sc.env(in)
		env.Result, env.HasResult = result, true
		vars, err := assign(s.Assign, env)
		if err != nil {
			return nil, nil, err
		}
		if s.Output == nil {
			return result, vars, nil
		}
		out, err := s.Output.EvalField(env, "Output")
		return out, vars, err
	}
	if s.ResultSelector != nil {
		var err error
		if result, err = s.ResultSelector.EvalField(sc.env(result), "ResultSelector"); err != nil {
			return nil, nil, err
		}
	}
	vars, err := assignIn(s.Assign, sc, result)
	if err != nil {
		return nil, nil, err
	}
	out, err := applyResultPath(s.ResultPath, in, result)
	if err != nil {
		return nil, nil, err
	}
	out, err = applyPath(sc, s.OutputPath, out)
	return out, vars, err
}

// assign evaluates an Assign template into the variables it sets.
func assign(t *Template, env *expr.Env) (map[string]any, error) {
	if t == nil {
		return nil, nil
	}
	v, err := t.EvalField(env, "Assign")
	if err != nil {
		return nil, err
	}
	vars, _ := v.(map[string]any)
	return vars, nil
}

// passOutput is the output of a Pass state.
func passOutput(sc *scope, s *State, in any) (any, map[string]any, error) {
	if s.JSONata {
		return stateOutput(sc, s, in, in)
	}
	v, err := applyPath(sc, s.InputPath, in)
	if err != nil {
		return nil, nil, err
	}
	result := v
	switch {
	case s.Parameters != nil:
		if result, err = s.Parameters.EvalField(sc.env(v), "Parameters"); err != nil {
			return nil, nil, err
		}
	case s.Result != nil:
		if result, err = s.Result.Eval(sc.env(v)); err != nil {
			return nil, nil, err
		}
	}
	return stateOutput(sc, &State{Assign: s.Assign, ResultPath: s.ResultPath,
		OutputPath: s.OutputPath}, in, result)
}

// maxPayload is the largest state input or output AWS accepts.
const maxPayload = 256 * 1024

// checkSize fails an output larger than AWS's payload limit.
func checkSize(s *State, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if len(b) > maxPayload {
		return expr.NewError("States.DataLimitExceeded", "The state/task '%s' returned a "+
			"result with a size exceeding the maximum number of bytes service limit.", s.Name)
	}
	return nil
}

// asStateError turns any error into a named one: an expression's error
// keeps its name, a StateError its own, anything else is a task failure.
func asStateError(err error) *StateError {
	var se *StateError
	if errors.As(err, &se) {
		return se
	}
	var e *expr.Error
	if errors.As(err, &e) {
		return &StateError{Name: e.Name, Cause: e.Cause}
	}
	return &StateError{Name: "States.TaskFailed", Cause: err.Error()}
}

// assignIn evaluates an Assign template on input, building the scope's
// environment only when there is something to assign.
func assignIn(t *Template, sc *scope, input any) (map[string]any, error) {
	if t == nil {
		return nil, nil
	}
	return assign(t, sc.env(input))
}
