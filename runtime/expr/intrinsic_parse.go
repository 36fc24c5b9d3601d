package expr

import (
	"encoding/json"
	"strings"
)

// maxCallDepth is how deep AWS lets intrinsic calls nest.
const maxCallDepth = 10

// intrinsicParser parses intrinsic calls; paths inside them are parsed by
// the embedded path parser, which stops at "," and ")".
type intrinsicParser struct {
	pathParser
}

// call parses "States.Name(args)" at depth levels of nesting, and checks
// it against the function's signature.
func (ip *intrinsicParser) call(depth int) (*Call, error) {
	start := ip.pos
	if depth >= maxCallDepth {
		return nil, ip.errorf(start, "intrinsic functions nest more than %d deep", maxCallDepth)
	}
	if !strings.HasPrefix(ip.s[ip.pos:], "States.") {
		return nil, ip.errorf(start, "expected an intrinsic function such as States.Format")
	}
	ip.pos += len("States.")
	for isWordByte(ip.peek()) {
		ip.pos++
	}
	call := &Call{Name: ip.s[start:ip.pos]}
	fn, ok := intrinsics[call.Name]
	if !ok {
		return nil, ip.errorf(start, "unknown intrinsic function %q", call.Name)
	}
	ip.skipSpace()
	if err := ip.expect('('); err != nil {
		return nil, err
	}
	if err := ip.args(call, depth); err != nil {
		return nil, err
	}
	call.src = ip.s[start:ip.pos]
	return call, fn.check(call, start)
}

// args parses the arguments and the closing parenthesis of a call.
func (ip *intrinsicParser) args(call *Call, depth int) error {
	ip.skipSpace()
	if ip.peek() == ')' {
		ip.pos++
		return nil
	}
	for {
		ip.skipSpace()
		arg, err := ip.arg(depth)
		if err != nil {
			return err
		}
		call.Args = append(call.Args, arg)
		ip.skipSpace()
		if ip.peek() == ')' {
			ip.pos++
			return nil
		}
		if ip.peek() != ',' {
			if ip.eof() {
				return ip.errorf(ip.pos, "missing ')' after the arguments of %s", call.Name)
			}
			return ip.unexpected()
		}
		ip.pos++
	}
}

// arg parses one argument: a literal, a path or a nested call.
func (ip *intrinsicParser) arg(depth int) (Arg, error) {
	arg := Arg{offset: ip.pos}
	var err error
	switch c := ip.peek(); {
	case c == '\'':
		err = ip.stringLiteral(&arg)
	case c == '$':
		arg.Kind = ArgPath
		arg.Path, err = ip.path()
	case strings.HasPrefix(ip.s[ip.pos:], "States."):
		arg.Kind = ArgCall
		arg.Call, err = ip.call(depth + 1)
	case c == ',' || c == ')':
		err = ip.errorf(ip.pos, "missing argument")
	case c == 0 && ip.eof():
		err = ip.errorf(ip.pos, "unexpected end of intrinsic call")
	default:
		arg.Literal, err = ip.literal()
	}
	return arg, err
}

// literal parses a number, true, false or null.
func (ip *intrinsicParser) literal() (any, error) {
	start := ip.pos
	if ip.peek() == '"' {
		return nil, ip.errorf(start, "string literals take single quotes")
	}
	for isWordByte(ip.peek()) || strings.IndexByte("+-.", ip.peek()) >= 0 {
		ip.pos++
	}
	word := ip.s[start:ip.pos]
	switch {
	case word == "true":
		return true, nil
	case word == "false":
		return false, nil
	case word == "null":
		return nil, nil
	case isJSONNumber(word):
		return json.Number(word), nil
	case word == "":
		return nil, ip.unexpected()
	}
	return nil, ip.errorf(start, "invalid argument %q", word)
}

// stringLiteral parses a single-quoted string into arg. The reserved
// characters ', {, } and \ are escaped with a backslash. Besides the
// decoded string it keeps the same split at unescaped "{}" placeholders,
// and where the first unescaped brace outside a placeholder is.
func (ip *intrinsicParser) stringLiteral(arg *Arg) error {
	start := ip.pos
	ip.pos++
	var all, piece []byte
	arg.loneBrace = -1
	for !ip.eof() {
		c := ip.s[ip.pos]
		switch {
		case c == '\'':
			ip.pos++
			arg.Literal = string(all)
			arg.pieces = append(arg.pieces, string(piece))
			return nil
		case c == '\\':
			e, err := ip.stringEscape()
			if err != nil {
				return err
			}
			all, piece = append(all, e), append(piece, e)
			continue
		case c == '{' && ip.peekAt(1) == '}':
			arg.pieces = append(arg.pieces, string(piece))
			piece = piece[:0]
			all = append(all, "{}"...)
			ip.pos += 2
			continue
		case (c == '{' || c == '}') && arg.loneBrace < 0:
			arg.loneBrace = ip.pos
		}
		all, piece = append(all, c), append(piece, c)
		ip.pos++
	}
	return ip.errorf(start, "unterminated string literal")
}

// stringEscape decodes the escape at ip.pos.
func (ip *intrinsicParser) stringEscape() (byte, error) {
	at := ip.pos
	c := ip.peekAt(1)
	switch c {
	case '\'', '{', '}', '\\':
		ip.pos += 2
		return c, nil
	case 0:
		if at+1 >= len(ip.s) {
			return 0, ip.errorf(at, "unterminated string literal")
		}
	}
	return 0, ip.errorf(at, `invalid escape in string literal: only \', \{, \} and \\ are allowed`)
}
