package expr

// stepKind tells what a path step selects.
type stepKind uint8

const (
	stepField    stepKind = iota // .name, ['name'] or ['a','b']
	stepIndex                    // [0], [-1] or [0,1]
	stepWildcard                 // .* or [*]
	stepSlice                    // [start:end:step]
	stepFilter                   // [?(...)]
	stepFunc                     // .length() and the other path functions
)

// step is one parsed step of a path.
type step struct {
	kind    stepKind
	descend bool  // the step was written after ".." (recursive descent)
	offset  int32 // byte offset of the step in the text that was parsed
	names   []string
	indexes []int
	// rare holds what only slices, filters and functions need, so that
	// the common steps stay small: a large definition holds many paths.
	rare *stepRare
}

// stepRare is the part of a step that only some kinds use.
type stepRare struct {
	slice  sliceBounds
	filter *filterNode
	fn     string
}

// more returns the step's rare part, creating it.
func (s *step) more() *stepRare {
	if s.rare == nil {
		s.rare = &stepRare{}
	}
	return s.rare
}

// sliceBounds holds the bounds of [start:end:step]; a missing bound is
// marked by its has flag.
type sliceBounds struct {
	start, end, step int
	hasStart, hasEnd bool
	hasStep          bool
}

// definite reports whether the step selects at most one node per node.
func (s *step) definite() bool {
	if s.descend {
		return false
	}
	switch s.kind {
	case stepField:
		return len(s.names) == 1
	case stepIndex:
		return len(s.indexes) == 1
	case stepFunc:
		return true
	}
	return false
}

// notInReference returns why the step cannot appear in a reference path,
// or "" when it can.
func (s *step) notInReference() string {
	switch {
	case s.descend:
		return "a reference path cannot use recursive descent (..)"
	case s.kind == stepWildcard:
		return "a reference path cannot contain a wildcard"
	case s.kind == stepSlice:
		return "a reference path cannot contain a slice"
	case s.kind == stepFilter:
		return "a reference path cannot contain a filter"
	case s.kind == stepFunc:
		return "a reference path cannot call a function"
	case len(s.names) > 1 || len(s.indexes) > 1:
		return "a reference path cannot contain a union"
	}
	return ""
}

// pathFuncs are the functions a path may end with.
var pathFuncs = map[string]bool{
	"length": true, "size": true, "min": true, "max": true, "avg": true,
	"stddev": true, "sum": true, "keys": true, "first": true, "last": true,
}
