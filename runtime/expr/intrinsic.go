package expr

import "strings"

// Call is a parsed intrinsic function call such as
// States.Format('{}', $.name).
type Call struct {
	// Name is the function name, for example "States.Format".
	Name string
	Args []Arg
	src  string
}

// String returns the call as it was written.
func (c *Call) String() string { return c.src }

// ArgKind tells what an intrinsic argument is.
type ArgKind int

// The kinds of intrinsic arguments.
const (
	ArgLiteral ArgKind = iota // a string, number, boolean or null literal
	ArgPath                   // a path, context path or variable
	ArgCall                   // a nested intrinsic call
)

// Arg is one argument of an intrinsic call.
type Arg struct {
	Kind ArgKind
	// Literal holds a string, json.Number, bool or nil.
	Literal any
	Path    *Path
	Call    *Call

	// pieces is a string literal split at its unescaped "{}", escapes
	// removed; nil for other arguments.
	pieces    []string
	loneBrace int // offset of an unescaped brace outside "{}", or -1
	offset    int // byte offset of the argument in the parsed text
}

// FormatPieces returns a string literal argument split at its unescaped
// "{}" placeholders, with escapes removed: a literal with n placeholders
// gives n+1 pieces. States.Format interleaves its values with them. It
// returns nil when the argument is not a string literal.
func (a *Arg) FormatPieces() []string { return a.pieces }

// IsIntrinsic reports whether s has the shape of an intrinsic call
// ("States.Name(" ... ")"), so that callers can choose between ParsePath
// and ParseIntrinsic.
func IsIntrinsic(s string) bool {
	s = strings.TrimSpace(s)
	rest, ok := strings.CutPrefix(s, "States.")
	if !ok {
		return false
	}
	name := strings.TrimLeftFunc(rest, func(r rune) bool { return r < 0x80 && isWordByte(byte(r)) })
	return len(name) < len(rest) && strings.HasPrefix(strings.TrimLeft(name, " \t\r\n"), "(")
}

// ParseIntrinsic parses an intrinsic function call and checks the function
// name, the number of arguments and the types of literal arguments.
// Blanks are allowed around the call and its arguments.
func ParseIntrinsic(s string) (*Call, error) {
	ip := &intrinsicParser{pathParser{s: s}}
	ip.skipSpace()
	call, err := ip.call(0)
	if err != nil {
		return nil, err
	}
	ip.skipSpace()
	if !ip.eof() {
		return nil, ip.unexpected()
	}
	return call, nil
}
