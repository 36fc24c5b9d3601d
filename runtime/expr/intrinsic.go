package expr

// Call is a parsed intrinsic function call such as
// States.Format('{}', $.name).
type Call struct {
	// Name is the function name, for example "States.Format".
	Name string
	Args []Arg
}

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
}

// IsIntrinsic reports whether s has the shape of an intrinsic call
// ("States.Name(" ... ")"), so that callers can choose between ParsePath
// and ParseIntrinsic.
func IsIntrinsic(s string) bool {
	panic("expr: IsIntrinsic not implemented")
}

// ParseIntrinsic parses an intrinsic function call and checks the function
// name, the number of arguments and the types of literal arguments.
func ParseIntrinsic(s string) (*Call, error) {
	panic("expr: ParseIntrinsic not implemented")
}
