package expr

import (
	"encoding/json"
	"fmt"
	"strings"
)

// argType is the JSON type an intrinsic parameter takes or a function
// returns.
type argType int

const (
	typeAny argType = iota
	typeString
	typeNumber
	typeInt
	typeBool
	typeArray
	typeObject
	typeNull
)

var typeNames = [...]string{"any value", "a string", "a number", "an integer",
	"a boolean", "an array", "an object", "null"}

func (t argType) String() string { return typeNames[t] }

// accepts reports whether a parameter of type t accepts a value of type v.
func (t argType) accepts(v argType) bool {
	return t == typeAny || v == typeAny || t == v || (t == typeNumber && v == typeInt)
}

// signature describes one intrinsic function.
type signature struct {
	params   []argType
	optional int  // how many trailing params may be left out
	variadic bool // the last param repeats any number of times
	result   argType
	extra    func(c *Call) *SyntaxError // checks beyond arity and types
}

// intrinsics are the intrinsic functions of the States Language.
var intrinsics = map[string]signature{
	"States.Format": {params: p(typeString, typeAny), optional: 1, variadic: true,
		result: typeString, extra: checkFormat},
	"States.StringToJson": {params: p(typeString), result: typeAny},
	"States.JsonToString": {params: p(typeAny), result: typeString},
	"States.Array": {params: p(typeAny), optional: 1, variadic: true,
		result: typeArray},
	"States.ArrayPartition": {params: p(typeArray, typeInt), result: typeArray,
		extra: checkPartition},
	"States.ArrayContains": {params: p(typeArray, typeAny), result: typeBool},
	"States.ArrayRange": {params: p(typeInt, typeInt, typeInt), result: typeArray,
		extra: checkRange},
	"States.ArrayGetItem": {params: p(typeArray, typeInt), result: typeAny},
	"States.ArrayLength":  {params: p(typeArray), result: typeInt},
	"States.ArrayUnique":  {params: p(typeArray), result: typeArray},
	"States.Base64Encode": {params: p(typeString), result: typeString},
	"States.Base64Decode": {params: p(typeString), result: typeString},
	"States.Hash": {params: p(typeAny, typeString), result: typeString,
		extra: checkHash},
	"States.JsonMerge": {params: p(typeObject, typeObject, typeBool),
		result: typeObject, extra: checkMerge},
	"States.MathRandom": {params: p(typeInt, typeInt, typeInt), optional: 1,
		result: typeInt},
	"States.MathAdd":     {params: p(typeNumber, typeNumber), result: typeInt},
	"States.StringSplit": {params: p(typeString, typeString), result: typeArray},
	"States.UUID":        {result: typeString},
}

func p(types ...argType) []argType { return types }

// check checks the arity of a call and the types of its literal and
// nested call arguments; start is the offset of the call's name.
func (sig signature) check(c *Call, start int) error {
	if msg := sig.arity(c); msg != "" {
		return &SyntaxError{Offset: start, Msg: msg}
	}
	for i := range c.Args {
		if err := sig.checkArg(c, i); err != nil {
			return err
		}
	}
	if sig.extra != nil {
		if err := sig.extra(c); err != nil {
			return err
		}
	}
	return nil
}

// arity returns what is wrong with the number of arguments, or "".
func (sig signature) arity(c *Call) string {
	lo, hi, got := len(sig.params)-sig.optional, len(sig.params), len(c.Args)
	switch {
	case sig.variadic && got >= lo, !sig.variadic && lo <= got && got <= hi:
		return ""
	case sig.variadic:
		return fmt.Sprintf("%s takes at least %s, got %d", c.Name, plural(lo, "argument"), got)
	case hi == 0:
		return fmt.Sprintf("%s takes no arguments, got %d", c.Name, got)
	case lo == hi:
		return fmt.Sprintf("%s takes %s, got %d", c.Name, plural(hi, "argument"), got)
	}
	return fmt.Sprintf("%s takes %d or %d arguments, got %d", c.Name, lo, hi, got)
}

// checkArg checks the type of argument i when it is known before run time.
func (sig signature) checkArg(c *Call, i int) error {
	want := sig.params[min(i, len(sig.params)-1)]
	a := &c.Args[i]
	got, what := argTypeOf(a)
	if want.accepts(got) {
		return nil
	}
	return &SyntaxError{Offset: a.offset,
		Msg: fmt.Sprintf("argument %d of %s must be %s, got %s", i+1, c.Name, want, what)}
}

// argTypeOf returns the type of an argument, typeAny when only run time
// tells, and how to name it in a message.
func argTypeOf(a *Arg) (argType, string) {
	switch a.Kind {
	case ArgCall:
		t := intrinsics[a.Call.Name].result
		return t, fmt.Sprintf("%s, which returns %s", a.Call.Name, t)
	case ArgPath:
		return typeAny, "a path"
	}
	switch v := a.Literal.(type) {
	case string:
		return typeString, typeString.String()
	case bool:
		return typeBool, typeBool.String()
	case json.Number:
		if isInteger(v) {
			return typeInt, string(v)
		}
		return typeNumber, string(v)
	}
	return typeNull, typeNull.String()
}

// isInteger reports whether a number literal is written as an integer.
func isInteger(n json.Number) bool {
	return !strings.ContainsAny(string(n), ".eE")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
