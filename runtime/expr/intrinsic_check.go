package expr

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// maxRangeItems is the most items States.ArrayRange may produce.
const maxRangeItems = 1000

// hashAlgorithms are the algorithms States.Hash supports.
var hashAlgorithms = map[string]bool{
	"MD5": true, "SHA-1": true, "SHA-256": true, "SHA-384": true, "SHA-512": true,
}

// checkFormat checks a literal template of States.Format: its braces
// and that it has one placeholder per value.
func checkFormat(c *Call) *SyntaxError {
	t := &c.Args[0]
	if t.Kind != ArgLiteral {
		return nil
	}
	if t.loneBrace >= 0 {
		return &SyntaxError{Offset: t.loneBrace,
			Msg: `unescaped brace in States.Format template: write \{ or \} for a brace`}
	}
	holes, values := len(t.pieces)-1, len(c.Args)-1
	if holes != values {
		return &SyntaxError{Offset: t.offset, Msg: fmt.Sprintf(
			"States.Format template has %s, got %s",
			plural(holes, "placeholder"), plural(values, "value"))}
	}
	return nil
}

// checkPartition checks that a literal chunk size is positive.
func checkPartition(c *Call) *SyntaxError {
	if n, ok := intLiteral(&c.Args[1]); ok && n <= 0 {
		return &SyntaxError{Offset: c.Args[1].offset,
			Msg: "the chunk size of States.ArrayPartition must be positive"}
	}
	return nil
}

// checkRange checks a literal step, and the size of an all-literal range.
func checkRange(c *Call) *SyntaxError {
	step, ok := intLiteral(&c.Args[2])
	if !ok {
		return nil
	}
	if step == 0 {
		return &SyntaxError{Offset: c.Args[2].offset,
			Msg: "the step of States.ArrayRange cannot be zero"}
	}
	first, ok1 := intLiteral(&c.Args[0])
	last, ok2 := intLiteral(&c.Args[1])
	if !ok1 || !ok2 {
		return nil
	}
	n := (float64(last) - float64(first)) / float64(step)
	if n >= maxRangeItems {
		return &SyntaxError{Offset: c.Args[0].offset, Msg: fmt.Sprintf(
			"States.ArrayRange makes more than %d items", maxRangeItems)}
	}
	return nil
}

// checkHash checks a literal algorithm name.
func checkHash(c *Call) *SyntaxError {
	a := &c.Args[1]
	name, ok := a.Literal.(string)
	if a.Kind != ArgLiteral || !ok || hashAlgorithms[name] {
		return nil
	}
	return &SyntaxError{Offset: a.offset, Msg: fmt.Sprintf(
		"unsupported hash algorithm %q: use MD5, SHA-1, SHA-256, SHA-384 or SHA-512", name)}
}

// checkMerge rejects a deep merge: AWS supports only shallow merging.
func checkMerge(c *Call) *SyntaxError {
	a := &c.Args[2]
	if deep, ok := a.Literal.(bool); ok && a.Kind == ArgLiteral && deep {
		return &SyntaxError{Offset: a.offset,
			Msg: "States.JsonMerge supports only shallow merging: its third argument must be false"}
	}
	return nil
}

// intLiteral returns the value of an integer literal argument.
func intLiteral(a *Arg) (int64, bool) {
	n, ok := a.Literal.(json.Number)
	if a.Kind != ArgLiteral || !ok {
		return 0, false
	}
	i, err := strconv.ParseInt(string(n), 10, 64)
	return i, err == nil
}
