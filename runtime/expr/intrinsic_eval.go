package expr

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// intrinsicFunc computes one intrinsic function from its evaluated
// arguments; the call gives its name and literal arguments.
type intrinsicFunc func(env *Env, c *Call, args []any) (any, error)

// intrinsicImpls are the evaluators of the intrinsic functions.
var intrinsicImpls = map[string]intrinsicFunc{
	"States.Format":         evalFormat,
	"States.StringToJson":   evalStringToJSON,
	"States.JsonToString":   evalJSONToString,
	"States.Array":          evalArray,
	"States.ArrayPartition": evalArrayPartition,
	"States.ArrayContains":  evalArrayContains,
	"States.ArrayRange":     evalArrayRange,
	"States.ArrayGetItem":   evalArrayGetItem,
	"States.ArrayLength":    evalArrayLength,
	"States.ArrayUnique":    evalArrayUnique,
	"States.Base64Encode":   evalBase64Encode,
	"States.Base64Decode":   evalBase64Decode,
	"States.Hash":           evalHash,
	"States.JsonMerge":      evalJSONMerge,
	"States.MathRandom":     evalMathRandom,
	"States.MathAdd":        evalMathAdd,
	"States.StringSplit":    evalStringSplit,
	"States.UUID":           evalUUID,
}

// Eval evaluates the call against env. Paths among its arguments are
// looked up in env, nested calls are evaluated first. Failures are
// *Error: States.Runtime for an argument path that selects nothing,
// States.IntrinsicFailure for arguments the function rejects.
func (c *Call) Eval(env *Env) (any, error) {
	v, err := c.eval(env)
	if err != nil {
		return nil, AsError(err)
	}
	return v, nil
}

// eval evaluates the call, leaving a missing path as *missingPathError
// so that a template can name its field.
func (c *Call) eval(env *Env) (any, error) {
	if env == nil {
		env = &Env{}
	}
	fn, ok := intrinsicImpls[c.Name]
	if !ok {
		return nil, NewError(ErrIntrinsicFailure, "Unknown intrinsic function %s", c.Name)
	}
	args := make([]any, len(c.Args))
	for i := range c.Args {
		v, err := c.Args[i].eval(env)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	return fn(env, c, args)
}

// eval returns the value of one argument.
func (a *Arg) eval(env *Env) (any, error) {
	switch a.Kind {
	case ArgPath:
		v, ok := env.lookup(a.Path)
		if !ok {
			root, _ := env.root(a.Path)
			return nil, &missingPathError{path: a.Path, input: root, arg: true}
		}
		return v, nil
	case ArgCall:
		return a.Call.eval(env)
	}
	return a.Literal, nil
}

// failure returns a States.IntrinsicFailure error for call c.
func failure(c *Call, format string, args ...any) error {
	return NewError(ErrIntrinsicFailure, "%s: %s", c.Name, fmt.Sprintf(format, args...))
}

// wrongType reports an argument of the wrong type.
func wrongType(c *Call, i int, want string, got any) error {
	return failure(c, "argument %d must be %s, but was %s", i+1, want, jsonTypeName(got))
}

func stringArg(c *Call, args []any, i int) (string, error) {
	s, ok := args[i].(string)
	if !ok {
		return "", wrongType(c, i, "a string", args[i])
	}
	return s, nil
}

func arrayArg(c *Call, args []any, i int) ([]any, error) {
	a, ok := args[i].([]any)
	if !ok {
		return nil, wrongType(c, i, "an array", args[i])
	}
	return a, nil
}

func objectArg(c *Call, args []any, i int) (map[string]any, error) {
	m, ok := args[i].(map[string]any)
	if !ok {
		return nil, wrongType(c, i, "an object", args[i])
	}
	return m, nil
}

// numberArg returns a number argument as a float64.
func numberArg(c *Call, args []any, i int) (float64, error) {
	n, ok := asNumber(args[i])
	if !ok {
		return 0, wrongType(c, i, "a number", args[i])
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, failure(c, "argument %d is out of range: %s", i+1, n)
	}
	return f, nil
}

// intArg returns an argument that must be an integer (1.0 counts).
func intArg(c *Call, args []any, i int) (int64, error) {
	f, err := numberArg(c, args, i)
	if err != nil {
		return 0, err
	}
	if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, failure(c, "argument %d must be an integer, but was %s",
			i+1, plainText(args[i]))
	}
	return int64(f), nil
}

// roundedArg returns a number argument rounded to the nearest integer,
// halves upwards, as AWS rounds the operands of MathAdd and MathRandom:
// 2.5 gives 3 and -2.5 gives -2.
func roundedArg(c *Call, args []any, i int) (int64, error) {
	f, err := numberArg(c, args, i)
	if err != nil {
		return 0, err
	}
	r := math.Floor(f + 0.5)
	if r < math.MinInt32 || r > math.MaxInt32 {
		return 0, failure(c, "argument %d must be between %d and %d, but was %s",
			i+1, math.MinInt32, math.MaxInt32, plainText(args[i]))
	}
	return int64(r), nil
}

// intNumber returns an integer as a JSON number.
func intNumber(i int64) json.Number {
	return json.Number(strconv.FormatInt(i, 10))
}
