package expr

import (
	"strconv"
	"unicode/utf8"
)

// optInt consumes an optional integer, possibly negative.
func (pp *pathParser) optInt() (int, bool, error) {
	start := pp.pos
	if pp.peek() == '-' {
		pp.pos++
	}
	digits := pp.pos
	for isDigit(pp.peek()) {
		pp.pos++
	}
	if pp.pos == digits {
		if pp.pos > start {
			return 0, false, pp.errorf(start, "expected digits after '-'")
		}
		return 0, false, nil
	}
	n, err := strconv.Atoi(pp.s[start:pp.pos])
	if err != nil {
		return 0, false, pp.errorf(start, "index %s out of range", pp.s[start:pp.pos])
	}
	return n, true, nil
}

// quoted consumes a string in single or double quotes. Backslash escapes
// are those of JSON; any other escaped character stands for itself.
func (pp *pathParser) quoted() (string, error) {
	start := pp.pos
	q := pp.s[pp.pos]
	pp.pos++
	var buf []byte
	for !pp.eof() {
		c := pp.s[pp.pos]
		switch {
		case c == q:
			pp.pos++
			return string(buf), nil
		case c == '\\':
			var err error
			if buf, err = pp.escape(buf); err != nil {
				return "", err
			}
		default:
			buf = append(buf, c)
			pp.pos++
		}
	}
	return "", pp.errorf(start, "unterminated string")
}

// escape decodes the escape sequence at pp.pos and appends it to buf.
func (pp *pathParser) escape(buf []byte) ([]byte, error) {
	at := pp.pos
	pp.pos++
	if pp.eof() {
		return nil, pp.errorf(at, "unterminated string")
	}
	c := pp.s[pp.pos]
	pp.pos++
	switch c {
	case 'b':
		return append(buf, '\b'), nil
	case 'f':
		return append(buf, '\f'), nil
	case 'n':
		return append(buf, '\n'), nil
	case 'r':
		return append(buf, '\r'), nil
	case 't':
		return append(buf, '\t'), nil
	case 'u':
		return pp.unicodeEscape(buf, at)
	}
	_, n := utf8.DecodeRuneInString(pp.s[pp.pos-1:])
	buf = append(buf, pp.s[pp.pos-1:pp.pos-1+n]...)
	pp.pos += n - 1
	return buf, nil
}

// unicodeEscape decodes the four hex digits of "\uXXXX".
func (pp *pathParser) unicodeEscape(buf []byte, at int) ([]byte, error) {
	if pp.pos+4 > len(pp.s) {
		return nil, pp.errorf(at, "invalid \\u escape")
	}
	v, err := strconv.ParseUint(pp.s[pp.pos:pp.pos+4], 16, 32)
	if err != nil {
		return nil, pp.errorf(at, "invalid \\u escape")
	}
	pp.pos += 4
	return utf8.AppendRune(buf, rune(v)), nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}
