package expr

import (
	"errors"
	"strings"
)

// JSONata is a parsed JSONata expression, the text between "{%" and "%}".
type JSONata struct {
	src  string
	prog jsonataProgram
}

// String returns the expression text.
func (j *JSONata) String() string { return j.src }

// IsJSONataString reports whether s is a JSONata expression string: it
// starts with "{%" and ends with "%}".
func IsJSONataString(s string) bool {
	return len(s) >= 4 && strings.HasPrefix(s, "{%") && strings.HasSuffix(s, "%}")
}

// ParseJSONataString parses a "{% ... %}" string. The offsets in its
// errors count from the start of s. Functions that Step Functions adds to
// JSONata ($partition, $range, $hash, $random, $uuid, $parse) are known to
// the compiled expression.
func ParseJSONataString(s string) (*JSONata, error) {
	if !IsJSONataString(s) {
		return nil, &SyntaxError{Offset: 0,
			Msg: "a JSONata expression must start with {% and end with %}"}
	}
	body := s[2 : len(s)-2]
	if strings.TrimSpace(body) == "" {
		return nil, &SyntaxError{Offset: 2, Msg: "empty JSONata expression"}
	}
	if off := tooDeep(body); off >= 0 {
		return nil, &SyntaxError{Offset: 2 + off, Msg: "JSONata expression nested too deeply"}
	}
	prog, err := defaultJSONataEngine.compile(body)
	if err != nil {
		if se, ok := err.(*SyntaxError); ok {
			se.Offset += 2
		}
		return nil, err
	}
	return &JSONata{src: strings.TrimSpace(body), prog: prog}, nil
}

// Eval evaluates the expression against input, with vars as the values
// of its variables; "$states" is the variable "states". Numbers come in
// and go out as json.Number.
func (j *JSONata) Eval(input any, vars map[string]any) (any, error) {
	v, err := j.prog.eval(input, vars)
	if errors.Is(err, errJSONataUndefined) {
		return nil, nil
	}
	return v, err
}

// maxJSONataNesting bounds the nesting of brackets handed to the JSONata
// library, whose recursive parser could otherwise exhaust the stack.
const maxJSONataNesting = 1000

// tooDeep returns the offset of the bracket that nests deeper than
// maxJSONataNesting, or -1. It ignores brackets inside string literals.
func tooDeep(src string) int {
	depth, quote := 0, byte(0)
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case quote != 0 && c == '\\':
			i++
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'' || c == '`':
			quote = c
		case c == '(' || c == '[' || c == '{':
			if depth++; depth > maxJSONataNesting {
				return i
			}
		case c == ')' || c == ']' || c == '}':
			depth--
		}
	}
	return -1
}
