package expr

// Root tells what a Path starts from.
type Root int

// The roots of a path.
const (
	RootInput    Root = iota // "$": the state's input (or the current value in a filter)
	RootContext              // "$$": the context object
	RootVariable             // "$name": a workflow variable (JSONPath mode)
)

// rootCurrent is the root of "@" paths inside filters. It never leaves
// this package: ParsePath rejects "@" outside a filter.
const rootCurrent Root = -1

// StatesVariable is the reserved variable name of "$states".
const StatesVariable = "states"

// Path is a parsed Amazon States Language path.
type Path struct {
	src  string
	root Root
	// Variable is the variable name when the root is RootVariable.
	variable string
	steps    []step
}

// String returns the path as it was written.
func (p *Path) String() string { return p.src }

// Root returns what the path starts from.
func (p *Path) Root() Root { return p.root }

// Variable returns the variable name of a RootVariable path.
func (p *Path) Variable() string { return p.variable }

// IsDefinite reports whether the path selects at most one node: no
// wildcards, slices, filters, unions or recursive descent.
func (p *Path) IsDefinite() bool {
	return p.firstIndefinite() < 0
}

// firstIndefinite returns the index of the first step that may select
// more than one node, or -1.
func (p *Path) firstIndefinite() int {
	for i := range p.steps {
		if !p.steps[i].definite() {
			return i
		}
	}
	return -1
}

// ParsePath parses an ASL path: "$...", "$$..." or "$var...". Blanks
// around the path are allowed.
func ParsePath(s string) (*Path, error) {
	pp := &pathParser{s: s}
	pp.skipSpace()
	path, err := pp.path()
	if err != nil {
		return nil, err
	}
	pp.skipSpace()
	if !pp.eof() {
		return nil, pp.unexpected()
	}
	path.src = s
	return path, nil
}

// ParseReferencePath parses a reference path, as ResultPath takes it: a
// definite path rooted at "$".
func ParseReferencePath(s string) (*Path, error) {
	path, err := ParsePath(s)
	if err != nil {
		return nil, err
	}
	if path.root != RootInput {
		return nil, &SyntaxError{Offset: leadingSpace(s),
			Msg: "a reference path must start with $ followed by . or ["}
	}
	for _, st := range path.steps {
		if msg := st.notInReference(); msg != "" {
			return nil, &SyntaxError{Offset: int(st.offset), Msg: msg}
		}
	}
	return path, nil
}

// leadingSpace returns the number of blank bytes at the start of s.
func leadingSpace(s string) int {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}
