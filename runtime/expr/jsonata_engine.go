package expr

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	jsonata "github.com/xiatechs/jsonata-go"
	"github.com/xiatechs/jsonata-go/jparse"
)

// jsonataEngine compiles JSONata expressions. It hides the library, so
// that another implementation can replace it.
type jsonataEngine interface {
	// compile parses src; its errors are *SyntaxError with offsets
	// into src.
	compile(src string) (jsonataProgram, error)
}

// jsonataProgram is a compiled JSONata expression.
type jsonataProgram interface {
	eval(input any, vars map[string]any) (any, error)
}

// defaultJSONataEngine is the engine ParseJSONataString uses. It holds
// no state.
var defaultJSONataEngine jsonataEngine = xiaEngine{}

// xiaEngine is the JSONata engine of github.com/xiatechs/jsonata-go.
type xiaEngine struct{}

// xiaProgram is an expression compiled by xiaEngine.
type xiaProgram struct {
	src  string
	expr *jsonata.Expr
}

func (xiaEngine) compile(src string) (prog jsonataProgram, err error) {
	defer func() {
		if r := recover(); r != nil {
			prog, err = nil, &SyntaxError{Msg: fmt.Sprintf("invalid JSONata expression: %v", r)}
		}
	}()
	e, err := newXiaExpr(src)
	if err != nil {
		return nil, err
	}
	return &xiaProgram{src: src, expr: e}, nil
}

// newXiaExpr compiles src and registers the functions AWS adds.
func newXiaExpr(src string) (*jsonata.Expr, error) {
	e, err := jsonata.Compile(src)
	if err != nil {
		return nil, xiaSyntaxError(src, err)
	}
	if err := e.RegisterExts(awsJSONataFuncs()); err != nil {
		return nil, fmt.Errorf("register Step Functions JSONata functions: %w", err)
	}
	return e, nil
}

// xiaSyntaxError turns a library error into a *SyntaxError.
func xiaSyntaxError(src string, err error) *SyntaxError {
	msg, pos := err.Error(), 0
	var pe *jparse.Error
	if errors.As(err, &pe) {
		pos = pe.Position
	} else if v, ok := err.(jparse.Error); ok {
		pos = v.Position
	}
	if i := strings.LastIndex(msg, ", position: "); i >= 0 {
		msg = msg[:i]
	}
	return &SyntaxError{Offset: min(max(pos, 0), len(src)), Msg: msg}
}

func (p *xiaProgram) eval(input any, vars map[string]any) (out any, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("evaluate JSONata: %v", r)
		}
	}()
	e := p.expr
	if len(vars) > 0 {
		// A fresh copy keeps concurrent evaluations from sharing variables.
		if e, err = newXiaExpr(p.src); err != nil {
			return nil, err
		}
		if err := e.RegisterVars(toJSONataValue(vars).(map[string]any)); err != nil {
			return nil, fmt.Errorf("evaluate JSONata: %w", err)
		}
	}
	v, err := e.Eval(toJSONataValue(input))
	if errors.Is(err, jsonata.ErrUndefined) {
		return nil, errJSONataUndefined
	}
	if err != nil {
		return nil, fmt.Errorf("evaluate JSONata: %w", err)
	}
	return fromJSONataValue(v), nil
}

// jsonataNull is how the library represents JSON null; a plain nil is
// undefined to it, so a null in the input or a variable would vanish.
var jsonataNull = (*any)(nil)

// toJSONataValue converts json.Number to float64, as the library wants,
// and null to the library's null.
func toJSONataValue(v any) any {
	switch v := v.(type) {
	case nil:
		return jsonataNull
	case json.Number:
		f, _ := strconv.ParseFloat(string(v), 64)
		return f
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = toJSONataValue(x)
		}
		return m
	case []any:
		a := make([]any, len(v))
		for i, x := range v {
			a[i] = toJSONataValue(x)
		}
		return a
	}
	return v
}

// fromJSONataValue converts numbers back to json.Number, and the
// library's null back to nil.
func fromJSONataValue(v any) any {
	switch v := v.(type) {
	case *any:
		if v == nil {
			return nil
		}
		return fromJSONataValue(*v)
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return nil
		}
		return formatNumber(v)
	case int:
		return json.Number(strconv.Itoa(v))
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = fromJSONataValue(x)
		}
		return m
	case []any:
		a := make([]any, len(v))
		for i, x := range v {
			a[i] = fromJSONataValue(x)
		}
		return a
	}
	return v
}
