package expr

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

type aliTokKind int

const (
	aliEOF aliTokKind = iota
	aliPath
	aliName
	aliNumber
	aliString
	aliOp // punctuation and operators
)

type aliToken struct {
	kind aliTokKind
	off  int
	text string // operator text, name, number text or decoded string
	path *AlibabaPath
}

type aliLexer struct {
	src string
	off int
}

// maxAlibabaDepth bounds nesting so that hostile input cannot exhaust the
// stack.
const maxAlibabaDepth = 200

func (l *aliLexer) errorf(off int, format string, args ...any) error {
	return &SyntaxError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

func (l *aliLexer) skipSpace() {
	for l.off < len(l.src) && strings.IndexByte(" \t\r\n", l.src[l.off]) >= 0 {
		l.off++
	}
}

func (l *aliLexer) next() (aliToken, error) {
	l.skipSpace()
	start := l.off
	if l.off >= len(l.src) {
		return aliToken{kind: aliEOF, off: start}, nil
	}
	c := l.src[l.off]
	switch {
	case c == '$':
		return l.path()
	case c == '"' || c == '\'':
		return l.str(c)
	case c == '-' || isDigitByte(c):
		return l.number()
	case isNameStart(c):
		for l.off < len(l.src) && isNameByte(l.src[l.off]) {
			l.off++
		}
		return aliToken{kind: aliName, off: start, text: l.src[start:l.off]}, nil
	}
	for _, op := range []string{"==", "!=", "<=", ">=", "&&", "||"} {
		if strings.HasPrefix(l.src[l.off:], op) {
			l.off += 2
			return aliToken{kind: aliOp, off: start, text: op}, nil
		}
	}
	if strings.IndexByte("<>!(),.", c) >= 0 {
		l.off++
		return aliToken{kind: aliOp, off: start, text: string(c)}, nil
	}
	return aliToken{}, l.errorf(start, "unexpected character %q", rune(c))
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

func isNameStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isNameByte(c byte) bool { return isNameStart(c) || isDigitByte(c) }

// isKeyByte reports whether c may appear in an unquoted path key; keys
// also allow '-', as member names in FC results often do.
func isKeyByte(c byte) bool { return isNameByte(c) || c == '-' || c >= 0x80 }

func (l *aliLexer) number() (aliToken, error) {
	start := l.off
	if l.src[l.off] == '-' {
		l.off++
	}
	for l.off < len(l.src) && (isDigitByte(l.src[l.off]) || strings.IndexByte(".eE+-",
		l.src[l.off]) >= 0) {
		if (l.src[l.off] == '+' || l.src[l.off] == '-') && !strings.ContainsAny(
			l.src[l.off-1:l.off], "eE") {
			break
		}
		l.off++
	}
	text := l.src[start:l.off]
	if _, err := strconv.ParseFloat(text, 64); err != nil || !aliIsJSONNumber(text) {
		return aliToken{}, l.errorf(start, "malformed number %q", text)
	}
	return aliToken{kind: aliNumber, off: start, text: text}, nil
}

func aliIsJSONNumber(s string) bool {
	var n json.Number
	return json.Unmarshal([]byte(s), &n) == nil
}

func (l *aliLexer) str(quote byte) (aliToken, error) {
	start := l.off
	l.off++
	var b strings.Builder
	for l.off < len(l.src) {
		c := l.src[l.off]
		switch {
		case c == quote:
			l.off++
			return aliToken{kind: aliString, off: start, text: b.String()}, nil
		case c == '\\' && l.off+1 < len(l.src):
			r, ok := map[byte]byte{'n': '\n', 't': '\t', 'r': '\r', '\\': '\\', '"': '"',
				'\'': '\'', '/': '/'}[l.src[l.off+1]]
			if !ok {
				return aliToken{}, l.errorf(l.off, "invalid escape \\%c", l.src[l.off+1])
			}
			b.WriteByte(r)
			l.off += 2
			continue
		}
		b.WriteByte(c)
		l.off++
	}
	return aliToken{}, l.errorf(start, "unterminated string literal")
}

// path reads a path token: the root and every selector.
func (l *aliLexer) path() (aliToken, error) {
	start := l.off
	l.off++ // $
	rootStart := l.off
	for l.off < len(l.src) && isNameByte(l.src[l.off]) {
		l.off++
	}
	name := l.src[rootStart:l.off]
	root, ok := alibabaRoots[name]
	if !ok {
		return aliToken{}, l.errorf(start, "unknown path root $%s", name)
	}
	p := &AlibabaPath{Root: root}
	for l.off < len(l.src) && (l.src[l.off] == '.' || l.src[l.off] == '[') {
		sel, err := l.selector()
		if err != nil {
			return aliToken{}, err
		}
		p.Selectors = append(p.Selectors, sel)
	}
	p.Src = l.src[start:l.off]
	return aliToken{kind: aliPath, off: start, path: p}, nil
}

func (l *aliLexer) selector() (AlibabaSelector, error) {
	if l.src[l.off] == '[' {
		return l.bracket()
	}
	l.off++ // .
	if l.off < len(l.src) && l.src[l.off] == '*' {
		l.off++
		return AlibabaSelector{Wildcard: true}, nil
	}
	start := l.off
	for l.off < len(l.src) && isKeyByte(l.src[l.off]) {
		l.off++
	}
	if start == l.off {
		return AlibabaSelector{}, l.errorf(start, "expected a key after '.'")
	}
	return AlibabaSelector{Key: l.src[start:l.off]}, nil
}

func (l *aliLexer) bracket() (AlibabaSelector, error) {
	open := l.off
	l.off++ // [
	l.skipSpace()
	var sel AlibabaSelector
	switch {
	case l.off < len(l.src) && l.src[l.off] == '*':
		l.off++
		sel.Wildcard = true
	case l.off < len(l.src) && (l.src[l.off] == '\'' || l.src[l.off] == '"'):
		t, err := l.str(l.src[l.off])
		if err != nil {
			return sel, err
		}
		sel.Key = t.text
	default:
		start := l.off
		for l.off < len(l.src) && isDigitByte(l.src[l.off]) {
			l.off++
		}
		n, err := strconv.Atoi(l.src[start:l.off])
		if err != nil {
			return sel, l.errorf(start, "expected an index, '*' or a quoted key in '[ ]'")
		}
		sel.Index = &n
	}
	l.skipSpace()
	if l.off >= len(l.src) || l.src[l.off] != ']' {
		return sel, l.errorf(open, "unclosed '['")
	}
	l.off++
	return sel, nil
}

type aliParser struct {
	lex   aliLexer
	tok   aliToken
	depth int
}

func (p *aliParser) next() error {
	t, err := p.lex.next()
	p.tok = t
	return err
}

func (p *aliParser) unexpected(want string) error {
	what := "end of expression"
	if p.tok.kind != aliEOF {
		what = fmt.Sprintf("%q", p.lex.src[p.tok.off:p.lex.off])
	}
	return &SyntaxError{Offset: p.tok.off, Msg: fmt.Sprintf("unexpected %s, expected %s",
		what, want)}
}

func (p *aliParser) isOp(op string) bool { return p.tok.kind == aliOp && p.tok.text == op }

func (p *aliParser) binary(kind AlibabaExprKind, op string,
	operand func() (*AlibabaExpr, error)) (*AlibabaExpr, error) {
	left, err := operand()
	if err != nil {
		return nil, err
	}
	for p.isOp(op) {
		off := p.tok.off
		if err := p.next(); err != nil {
			return nil, err
		}
		right, err := operand()
		if err != nil {
			return nil, err
		}
		left = &AlibabaExpr{Kind: kind, Offset: off, Args: []*AlibabaExpr{left, right}}
	}
	return left, nil
}

func (p *aliParser) or() (*AlibabaExpr, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxAlibabaDepth {
		return nil, &SyntaxError{Offset: p.tok.off, Msg: "expression nested too deep"}
	}
	return p.binary(AlibabaOr, "||", p.and)
}

func (p *aliParser) and() (*AlibabaExpr, error) {
	return p.binary(AlibabaAnd, "&&", p.unary)
}

func (p *aliParser) unary() (*AlibabaExpr, error) {
	if !p.isOp("!") {
		return p.compare()
	}
	off := p.tok.off
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxAlibabaDepth {
		return nil, &SyntaxError{Offset: off, Msg: "expression nested too deep"}
	}
	if err := p.next(); err != nil {
		return nil, err
	}
	arg, err := p.unary()
	if err != nil {
		return nil, err
	}
	return &AlibabaExpr{Kind: AlibabaNot, Offset: off, Args: []*AlibabaExpr{arg}}, nil
}

var alibabaCompareOps = map[string]bool{"==": true, "!=": true, "<": true, "<=": true,
	">": true, ">=": true}

func (p *aliParser) compare() (*AlibabaExpr, error) {
	left, err := p.primary()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != aliOp || !alibabaCompareOps[p.tok.text] {
		return left, nil
	}
	op, off := p.tok.text, p.tok.off
	if err := p.next(); err != nil {
		return nil, err
	}
	right, err := p.primary()
	if err != nil {
		return nil, err
	}
	return &AlibabaExpr{Kind: AlibabaCompare, Offset: off, Op: op,
		Args: []*AlibabaExpr{left, right}}, nil
}

func (p *aliParser) primary() (*AlibabaExpr, error) {
	t := p.tok
	var e *AlibabaExpr
	switch t.kind {
	case aliPath:
		e = &AlibabaExpr{Kind: AlibabaPathRef, Offset: t.off, Path: t.path}
	case aliNumber:
		e = &AlibabaExpr{Kind: AlibabaLiteral, Offset: t.off, Value: json.Number(t.text)}
	case aliString:
		e = &AlibabaExpr{Kind: AlibabaLiteral, Offset: t.off, Value: t.text}
	case aliName:
		return p.name()
	case aliOp:
		if t.text == "(" {
			return p.paren()
		}
		return nil, p.unexpected("an operand")
	default:
		return nil, p.unexpected("an operand")
	}
	return e, p.next()
}

func (p *aliParser) paren() (*AlibabaExpr, error) {
	if err := p.next(); err != nil {
		return nil, err
	}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if !p.isOp(")") {
		return nil, p.unexpected("')'")
	}
	return e, p.next()
}

// name parses a keyword literal or a function call.
func (p *aliParser) name() (*AlibabaExpr, error) {
	t := p.tok
	if v, ok := map[string]any{"true": true, "false": false, "null": nil}[t.text]; ok {
		return &AlibabaExpr{Kind: AlibabaLiteral, Offset: t.off, Value: v}, p.next()
	}
	fn := t.text
	if err := p.next(); err != nil {
		return nil, err
	}
	for p.isOp(".") {
		if err := p.next(); err != nil {
			return nil, err
		}
		if p.tok.kind != aliName {
			return nil, p.unexpected("a function name")
		}
		fn += "." + p.tok.text
		if err := p.next(); err != nil {
			return nil, err
		}
	}
	if !p.isOp("(") {
		return nil, &SyntaxError{Offset: t.off, Msg: fmt.Sprintf(
			"unknown name %q; paths start with $ and strings are quoted", fn)}
	}
	args, err := p.args()
	if err != nil {
		return nil, err
	}
	return &AlibabaExpr{Kind: AlibabaCall, Offset: t.off, Func: fn, Args: args}, nil
}

func (p *aliParser) args() ([]*AlibabaExpr, error) {
	if err := p.next(); err != nil { // (
		return nil, err
	}
	var args []*AlibabaExpr
	if p.isOp(")") {
		return args, p.next()
	}
	for {
		a, err := p.or()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
		if p.isOp(")") {
			return args, p.next()
		}
		if !p.isOp(",") {
			return nil, p.unexpected("',' or ')'")
		}
		if err := p.next(); err != nil {
			return nil, err
		}
	}
}
