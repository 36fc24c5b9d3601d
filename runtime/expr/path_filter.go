package expr

import (
	"encoding/json"
	"regexp"
	"strings"
)

// filterKind tells what a filterNode is.
type filterKind int

const (
	filterOr      filterKind = iota // a || b
	filterAnd                       // a && b
	filterNot                       // !a
	filterExists                    // @.x alone: true when the operand has a value
	filterCompare                   // left op right
)

// filterNode is one node of a parsed filter expression [?(...)].
type filterNode struct {
	kind        filterKind
	a, b        *filterNode
	op          string
	left, right operand
}

// operand is a side of a comparison: a path or a literal.
type operand struct {
	path    *Path
	literal any // string, json.Number, bool, nil or []any
	re      *regexp.Regexp
}

// filterOps are the comparison operators of filters, longest first where
// one is a prefix of another.
var filterOps = []string{"==", "!=", "<=", ">=", "=~", "<", ">"}

// wordOps are the comparison operators written as words.
var wordOps = []string{"in", "nin", "subsetof", "anyof", "noneof", "size", "empty",
	"contains"}

// filterStep parses "?(...)" inside brackets.
func (pp *pathParser) filterStep(st *step) error {
	pp.pos++ // '?'
	pp.skipSpace()
	if err := pp.expect('('); err != nil {
		return err
	}
	saved := pp.inFilter
	pp.inFilter = true
	defer func() { pp.inFilter = saved }()
	node, err := pp.orExpr()
	if err != nil {
		return err
	}
	pp.skipSpace()
	if err := pp.expect(')'); err != nil {
		return err
	}
	st.kind = stepFilter
	st.more().filter = node
	return nil
}

func (pp *pathParser) orExpr() (*filterNode, error) {
	return pp.binary("||", filterOr, pp.andExpr)
}

func (pp *pathParser) andExpr() (*filterNode, error) {
	return pp.binary("&&", filterAnd, pp.unary)
}

// binary parses operands joined by a left-associative operator.
func (pp *pathParser) binary(op string, kind filterKind,
	next func() (*filterNode, error)) (*filterNode, error) {
	left, err := next()
	if err != nil {
		return nil, err
	}
	for {
		pp.skipSpace()
		if !strings.HasPrefix(pp.s[pp.pos:], op) {
			return left, nil
		}
		pp.pos += len(op)
		right, err := next()
		if err != nil {
			return nil, err
		}
		left = &filterNode{kind: kind, a: left, b: right}
	}
}

// unary parses "!x", "(x)" or a comparison.
func (pp *pathParser) unary() (*filterNode, error) {
	if err := pp.enter(); err != nil {
		return nil, err
	}
	defer pp.leave()
	pp.skipSpace()
	switch pp.peek() {
	case '!':
		pp.pos++
		a, err := pp.unary()
		if err != nil {
			return nil, err
		}
		return &filterNode{kind: filterNot, a: a}, nil
	case '(':
		pp.pos++
		node, err := pp.orExpr()
		if err != nil {
			return nil, err
		}
		pp.skipSpace()
		return node, pp.expect(')')
	}
	return pp.comparison()
}

// comparison parses "operand", or "operand op operand".
func (pp *pathParser) comparison() (*filterNode, error) {
	left, err := pp.operand()
	if err != nil {
		return nil, err
	}
	pp.skipSpace()
	op := pp.comparisonOp()
	if op == "" {
		if left.path == nil {
			return nil, pp.errorf(pp.pos, "expected a comparison operator")
		}
		return &filterNode{kind: filterExists, left: left}, nil
	}
	pp.skipSpace()
	var right operand
	if op == "=~" {
		right, err = pp.regex()
	} else {
		right, err = pp.operand()
	}
	if err != nil {
		return nil, err
	}
	return &filterNode{kind: filterCompare, op: op, left: left, right: right}, nil
}

// comparisonOp consumes a comparison operator, or returns "".
func (pp *pathParser) comparisonOp() string {
	rest := pp.s[pp.pos:]
	for _, op := range filterOps {
		if strings.HasPrefix(rest, op) {
			pp.pos += len(op)
			return op
		}
	}
	for _, op := range wordOps {
		if strings.HasPrefix(rest, op) && !isWordByte(pp.peekAt(len(op))) {
			pp.pos += len(op)
			return op
		}
	}
	return ""
}

// operand parses a path, a quoted string, a number, true, false, null or
// an array of those.
func (pp *pathParser) operand() (operand, error) {
	switch c := pp.peek(); {
	case c == '@' || c == '$':
		p, err := pp.path()
		return operand{path: p}, err
	case c == '\'' || c == '"':
		s, err := pp.quoted()
		return operand{literal: s}, err
	case c == '[':
		v, err := pp.arrayLiteral()
		return operand{literal: v}, err
	}
	v, err := pp.scalar()
	return operand{literal: v}, err
}

// scalar parses a number, true, false or null.
func (pp *pathParser) scalar() (any, error) {
	start := pp.pos
	for isWordByte(pp.peek()) || strings.IndexByte("+-.", pp.peek()) >= 0 {
		pp.pos++
	}
	word := pp.s[start:pp.pos]
	switch word {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	case "":
		pp.pos = start
		return nil, pp.unexpected()
	}
	if isJSONNumber(word) {
		return json.Number(word), nil
	}
	if isBareWord(word) {
		// AWS accepts a bare word, @.key == Name, and compares it as the
		// string "Name".
		return word, nil
	}
	return nil, pp.errorf(start, "invalid value %q in filter", word)
}

// arrayLiteral parses "[v, ...]" of literals.
func (pp *pathParser) arrayLiteral() ([]any, error) {
	if err := pp.enter(); err != nil {
		return nil, err
	}
	defer pp.leave()
	pp.pos++ // '['
	items := []any{}
	pp.skipSpace()
	if pp.peek() == ']' {
		pp.pos++
		return items, nil
	}
	for {
		pp.skipSpace()
		if c := pp.peek(); c == '@' || c == '$' {
			return nil, pp.errorf(pp.pos, "an array in a filter can hold only literals")
		}
		v, err := pp.operand()
		if err != nil {
			return nil, err
		}
		items = append(items, v.literal)
		pp.skipSpace()
		if pp.peek() != ',' {
			return items, pp.expect(']')
		}
		pp.pos++
	}
}

// regex parses "/pattern/flags" after "=~".
func (pp *pathParser) regex() (operand, error) {
	start := pp.pos
	if err := pp.expect('/'); err != nil {
		return operand{}, err
	}
	end := pp.pos
	for end < len(pp.s) && pp.s[end] != '/' {
		if pp.s[end] == '\\' {
			end++
		}
		end++
	}
	if end >= len(pp.s) {
		return operand{}, pp.errorf(start, "unterminated regular expression")
	}
	pattern := pp.s[pp.pos:end]
	pp.pos = end + 1
	flags := ""
	for c := pp.peek(); c == 'i' || c == 'm' || c == 's'; c = pp.peek() {
		flags += string(c)
		pp.pos++
	}
	if flags != "" {
		pattern = "(?" + flags + ")" + pattern
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return operand{}, pp.errorf(start, "invalid regular expression: %v", err)
	}
	return operand{re: re}, nil
}

func isWordByte(c byte) bool {
	return c == '_' || isDigit(c) || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// isJSONNumber reports whether s is a number as JSON writes it.
func isJSONNumber(s string) bool {
	if s == "" || !json.Valid([]byte(s)) {
		return false
	}
	c := s[0]
	return c == '-' || isDigit(c)
}

// isBareWord reports whether word is a name: a letter or underscore, then
// letters, digits and underscores.
func isBareWord(word string) bool {
	for i := 0; i < len(word); i++ {
		c := word[i]
		letter := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || !isDigit(c)) {
			return false
		}
	}
	return word != ""
}
