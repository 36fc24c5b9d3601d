package expr

// Root tells what a Path starts from.
type Root int

// The roots of a path.
const (
	RootInput    Root = iota // "$": the state's input (or the current value in a filter)
	RootContext              // "$$": the context object
	RootVariable             // "$name": a workflow variable (JSONPath mode)
)

// Path is a parsed Amazon States Language path.
type Path struct {
	src  string
	root Root
	// Variable is the variable name when the root is RootVariable.
	variable string
	steps    []step
}

// step is one parsed step of a path; defined by the path parser.
type step struct{}

// String returns the path as it was written.
func (p *Path) String() string { return p.src }

// Root returns what the path starts from.
func (p *Path) Root() Root { return p.root }

// Variable returns the variable name of a RootVariable path.
func (p *Path) Variable() string { return p.variable }

// IsDefinite reports whether the path selects at most one node: no
// wildcards, slices, filters, unions or recursive descent.
func (p *Path) IsDefinite() bool {
	panic("expr: Path.IsDefinite not implemented")
}

// ParsePath parses an ASL path: "$...", "$$..." or "$var...".
func ParsePath(s string) (*Path, error) {
	panic("expr: ParsePath not implemented")
}

// ParseReferencePath parses a reference path, as ResultPath takes it: a
// definite path rooted at "$".
func ParseReferencePath(s string) (*Path, error) {
	panic("expr: ParseReferencePath not implemented")
}
