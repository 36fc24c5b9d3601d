package expr

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNesting bounds the nesting of brackets, filters and parentheses, so
// that hostile input cannot exhaust the stack.
const maxNesting = 64

// pathParser is a recursive-descent parser of ASL paths. It is also used
// by the filter parser and by the intrinsic parser, which stop it where
// their own syntax takes over.
type pathParser struct {
	s        string
	pos      int
	inFilter bool // "@" is a root and comparison operators end names
	depth    int
}

func (pp *pathParser) eof() bool { return pp.pos >= len(pp.s) }

func (pp *pathParser) peek() byte {
	if pp.eof() {
		return 0
	}
	return pp.s[pp.pos]
}

func (pp *pathParser) peekAt(n int) byte {
	if pp.pos+n >= len(pp.s) {
		return 0
	}
	return pp.s[pp.pos+n]
}

func (pp *pathParser) skipSpace() {
	for !pp.eof() && isSpace(pp.s[pp.pos]) {
		pp.pos++
	}
}

func (pp *pathParser) errorf(off int, format string, args ...any) error {
	return &SyntaxError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// unexpected reports the character at the current position.
func (pp *pathParser) unexpected() error {
	if pp.eof() {
		return pp.errorf(pp.pos, "unexpected end of path")
	}
	r, _ := utf8.DecodeRuneInString(pp.s[pp.pos:])
	return pp.errorf(pp.pos, "unexpected %q", r)
}

// expect consumes c or reports what is there instead.
func (pp *pathParser) expect(c byte) error {
	if pp.peek() != c {
		if pp.eof() {
			return pp.errorf(pp.pos, "missing %q", c)
		}
		r, _ := utf8.DecodeRuneInString(pp.s[pp.pos:])
		return pp.errorf(pp.pos, "expected %q, found %q", c, r)
	}
	pp.pos++
	return nil
}

// enter counts one more level of nesting; leave undoes it.
func (pp *pathParser) enter() error {
	pp.depth++
	if pp.depth > maxNesting {
		return pp.errorf(pp.pos, "path nested too deeply")
	}
	return nil
}

func (pp *pathParser) leave() { pp.depth-- }

// path parses a root and its steps, and stops at the first character
// that cannot continue the path. Its src is the text it consumed.
func (pp *pathParser) path() (*Path, error) {
	start := pp.pos
	path := &Path{}
	if err := pp.root(path); err != nil {
		return nil, err
	}
	for {
		st, ok, err := pp.step()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if n := len(path.steps); n > 0 && path.steps[n-1].kind == stepFunc {
			return nil, pp.errorf(int(st.offset), "a path function must be the last step")
		}
		path.steps = append(path.steps, st)
	}
	path.src = pp.s[start:pp.pos]
	return path, nil
}

// root parses "$$", "$name", "$" or, in a filter, "@".
func (pp *pathParser) root(path *Path) error {
	switch {
	case pp.peek() == '@' && pp.inFilter:
		pp.pos++
		path.root = rootCurrent
	case pp.peek() != '$':
		return pp.errorf(pp.pos, "a path must start with $")
	case pp.peekAt(1) == '$':
		pp.pos += 2
		path.root = RootContext
	default:
		pp.pos++
		path.root = RootInput
		if name := pp.identifier(); name != "" {
			path.root = RootVariable
			path.variable = name
		}
	}
	return nil
}

// identifier consumes a variable name: a letter or "_", then letters,
// digits and "_".
func (pp *pathParser) identifier() string {
	start := pp.pos
	for !pp.eof() {
		r, n := utf8.DecodeRuneInString(pp.s[pp.pos:])
		ok := r == '_' || unicode.IsLetter(r) || (pp.pos > start && unicode.IsDigit(r))
		if !ok {
			break
		}
		pp.pos += n
	}
	return pp.s[start:pp.pos]
}

// step parses one step; ok is false when the path ends here.
func (pp *pathParser) step() (st step, ok bool, err error) {
	st.offset = int32(pp.pos)
	switch {
	case pp.peek() == '.' && pp.peekAt(1) == '.':
		pp.pos += 2
		st.descend = true
		err = pp.afterDot(&st)
	case pp.peek() == '.':
		pp.pos++
		err = pp.afterDot(&st)
	case pp.peek() == '[':
		err = pp.bracket(&st)
	default:
		return st, false, nil
	}
	return st, err == nil, err
}

// afterDot parses what follows "." or "..": "*", a bracket (AWS accepts
// "$.a.['b c']"), or a field name, which may be a function call.
func (pp *pathParser) afterDot(st *step) error {
	switch pp.peek() {
	case '*':
		pp.pos++
		st.kind = stepWildcard
		return nil
	case '[':
		return pp.bracket(st)
	}
	start := pp.pos
	name, err := pp.dotName()
	if err != nil {
		return err
	}
	if name == "" {
		if pp.eof() {
			return pp.errorf(pp.pos, "missing field name after '.'")
		}
		r, _ := utf8.DecodeRuneInString(pp.s[pp.pos:])
		if isSpace(pp.s[pp.pos]) {
			return pp.errorf(pp.pos,
				"missing field name after '.'; use ['...'] for names with blanks")
		}
		return pp.errorf(pp.pos, "missing field name after '.', found %q", r)
	}
	if pp.peek() == '(' {
		return pp.function(st, name, start)
	}
	st.kind = stepField
	st.names = []string{name}
	return nil
}

// function parses the "()" of a path function whose name was just read.
func (pp *pathParser) function(st *step, name string, start int) error {
	if !pathFuncs[name] {
		return pp.errorf(start, "unknown path function %q", name+"()")
	}
	if st.descend {
		return pp.errorf(start, "a path function cannot follow '..'")
	}
	pp.pos++
	pp.skipSpace()
	if pp.peek() != ')' {
		return pp.errorf(pp.pos, "path function %s() takes no arguments", name)
	}
	pp.pos++
	st.kind = stepFunc
	st.more().fn = name
	return nil
}

// dotName consumes a field name written after a dot. A backslash escapes
// the character after it, so "$.a\.b" names the field "a.b".
func (pp *pathParser) dotName() (string, error) {
	var buf []byte
	for !pp.eof() {
		c := pp.s[pp.pos]
		if c == '\\' {
			if pp.pos+1 >= len(pp.s) {
				return "", pp.errorf(pp.pos, "backslash at end of path")
			}
			_, n := utf8.DecodeRuneInString(pp.s[pp.pos+1:])
			buf = append(buf, pp.s[pp.pos+1:pp.pos+1+n]...)
			pp.pos += 1 + n
			continue
		}
		if pp.endsName(c) {
			break
		}
		buf = append(buf, c)
		pp.pos++
	}
	return string(buf), nil
}

// endsName reports whether c ends a field name written after a dot.
func (pp *pathParser) endsName(c byte) bool {
	switch c {
	case '.', '[', ']', '(', ')', ',', '\'', '"':
		return true
	case '=', '!', '<', '>', '&', '|', '~':
		return pp.inFilter
	}
	return isSpace(c) || c < 0x20 || c == 0x7f
}

// bracket parses "[...]": a wildcard, a filter, a slice, or one or more
// indexes or quoted names.
func (pp *pathParser) bracket(st *step) error {
	if err := pp.enter(); err != nil {
		return err
	}
	defer pp.leave()
	pp.pos++ // '['
	pp.skipSpace()
	var err error
	switch c := pp.peek(); {
	case c == '*':
		pp.pos++
		st.kind = stepWildcard
	case c == '?':
		err = pp.filterStep(st)
	case c == '\'' || c == '"':
		err = pp.nameUnion(st)
	case c == '-' || c == ':' || isDigit(c):
		err = pp.indexOrSlice(st)
	case c == '(':
		err = pp.scriptIndex(st)
	case c == ']':
		return pp.errorf(pp.pos, "empty brackets")
	default:
		return pp.unexpected()
	}
	if err != nil {
		return err
	}
	pp.skipSpace()
	return pp.expect(']')
}

// nameUnion parses 'a' or 'a', "b", ... inside brackets.
func (pp *pathParser) nameUnion(st *step) error {
	st.kind = stepField
	for {
		pp.skipSpace()
		if c := pp.peek(); c != '\'' && c != '"' {
			if isDigit(c) || c == '-' {
				return pp.errorf(pp.pos, "cannot mix field names and indexes in brackets")
			}
			return pp.errorf(pp.pos, "expected a quoted field name")
		}
		name, err := pp.quoted()
		if err != nil {
			return err
		}
		st.names = append(st.names, name)
		pp.skipSpace()
		if pp.peek() != ',' {
			return nil
		}
		pp.pos++
	}
}

// indexOrSlice parses 0, 0,1,... or start:end:step inside brackets.
func (pp *pathParser) indexOrSlice(st *step) error {
	first, has, err := pp.optInt()
	if err != nil {
		return err
	}
	pp.skipSpace()
	if pp.peek() == ':' {
		st.kind = stepSlice
		st.more().slice.start, st.rare.slice.hasStart = first, has
		return pp.sliceRest(&st.rare.slice)
	}
	if !has {
		return pp.unexpected()
	}
	st.kind = stepIndex
	st.indexes = []int{first}
	for pp.peek() == ',' {
		pp.pos++
		pp.skipSpace()
		if c := pp.peek(); c == '\'' || c == '"' {
			return pp.errorf(pp.pos, "cannot mix field names and indexes in brackets")
		}
		i, has, err := pp.optInt()
		if err != nil {
			return err
		}
		if !has {
			return pp.errorf(pp.pos, "expected an index")
		}
		st.indexes = append(st.indexes, i)
		pp.skipSpace()
	}
	return nil
}

// sliceRest parses ":end" and ":step" after the start of a slice.
func (pp *pathParser) sliceRest(b *sliceBounds) error {
	var err error
	pp.pos++ // ':'
	pp.skipSpace()
	if b.end, b.hasEnd, err = pp.optInt(); err != nil {
		return err
	}
	pp.skipSpace()
	if pp.peek() != ':' {
		return nil
	}
	pp.pos++
	pp.skipSpace()
	at := pp.pos
	if b.step, b.hasStep, err = pp.optInt(); err != nil {
		return err
	}
	if b.hasStep && b.step == 0 {
		return pp.errorf(at, "slice step cannot be zero")
	}
	return nil
}

// scriptIndex parses the one script expression that ASL paths use,
// "(@.length-N)", the N-th element from the end, as the index -N.
func (pp *pathParser) scriptIndex(st *step) error {
	start := pp.pos
	pp.pos++ // '('
	pp.skipSpace()
	const length = "@.length"
	if !strings.HasPrefix(pp.s[pp.pos:], length) {
		return pp.errorf(start, "unsupported script expression: only (@.length-N) is allowed")
	}
	pp.pos += len(length)
	pp.skipSpace()
	if err := pp.expect('-'); err != nil {
		return err
	}
	pp.skipSpace()
	digits := pp.pos
	for isDigit(pp.peek()) {
		pp.pos++
	}
	n, err := strconv.Atoi(pp.s[digits:pp.pos])
	if err != nil || n < 1 {
		return pp.errorf(digits, "expected a positive count in (@.length-N)")
	}
	pp.skipSpace()
	if err := pp.expect(')'); err != nil {
		return err
	}
	st.kind = stepIndex
	st.indexes = []int{-n}
	return nil
}
