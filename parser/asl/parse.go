package asl

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/source"
)

// MaxStateNameLength is the longest state name AWS accepts.
const MaxStateNameLength = 80

// Parse reads an ASL definition from data; file names it in diagnostics.
// The workflow is nil only when the document could not be decoded at all.
// Diagnostics holds every problem found, both the parser's and ir.Check's.
func Parse(file string, data []byte) (*ir.Workflow, ir.Diagnostics) {
	root, dups, err := source.Decode(data)
	if err != nil {
		return nil, ir.Diagnostics{decodeDiagnostic(file, err)}
	}
	return ParseNode(file, root, dups)
}

// ParseNode builds a workflow from an already decoded document. It
// consumes the tree: the nodes of each state are released once the state
// is parsed, so that a large definition is not held twice.
func ParseNode(file string, root *source.Node, dups []source.Duplicate) (*ir.Workflow,
	ir.Diagnostics) {
	p := &parser{file: file, names: map[string]ir.Pos{}, dupKeys: map[ir.Pos]bool{}}
	for _, d := range dups {
		p.errorf(d.Pos, "duplicate field %q (first at %s)", d.Key, d.First)
		p.dupKeys[d.Pos] = true
	}
	wf := &ir.Workflow{File: file, Dialect: ir.DialectASL}
	if root.Kind != source.Object {
		p.errorf(root.Pos, "a state machine must be an object, not %s", root.Kind)
		return wf, p.diags
	}
	wf.Graph = p.graph(root, graphTop, ir.JSONPath)
	if m := root.Get("Version"); m != nil {
		wf.Version, _ = p.str(m.Value, "Version")
	}
	if m := root.Get("TimeoutSeconds"); m != nil {
		if v, ok := p.intIn(m.Value, "TimeoutSeconds", 1, 99999999); ok {
			wf.TimeoutSeconds = v
		}
	}
	p.diags = append(p.diags, ir.Check(wf)...)
	p.diags.Sort()
	return wf, p.diags
}

func decodeDiagnostic(file string, err error) ir.Diagnostic {
	var se *source.SyntaxError
	if errors.As(err, &se) {
		return ir.Diagnostic{File: file, Pos: se.Pos, Msg: "syntax error: " + se.Msg}
	}
	return ir.Diagnostic{File: file, Msg: err.Error()}
}

// parser collects the diagnostics of one definition.
type parser struct {
	file  string
	diags ir.Diagnostics
	// names maps every state name in the definition to its position:
	// names are unique across all branches and processors.
	names map[string]ir.Pos
	// where prefixes messages with the state being parsed.
	where string
	// machineQL is the query language of the state machine being parsed
	// (a distributed Map's processor counts as one): when it is JSONata,
	// its states cannot switch back to JSONPath.
	machineQL ir.QueryLanguage
	// dupKeys holds the positions of keys already reported as duplicates,
	// so that a state named twice in one object is reported once.
	dupKeys map[ir.Pos]bool
}

func (p *parser) errorf(pos ir.Pos, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if p.where != "" {
		msg = p.where + ": " + msg
	}
	p.diags = append(p.diags, ir.Diagnostic{File: p.file, Pos: pos, Msg: msg})
}

// str returns the string value of n, reporting a type error otherwise.
func (p *parser) str(n *source.Node, field string) (string, bool) {
	if n.Kind != source.String {
		p.errorf(n.Pos, "%s must be a string, not %s", field, n.Kind)
		return "", false
	}
	return n.Text, true
}

// nonEmpty is str for fields that must not be empty.
func (p *parser) nonEmpty(n *source.Node, field string) (string, bool) {
	s, ok := p.str(n, field)
	if ok && s == "" {
		p.errorf(n.Pos, "%s must not be empty", field)
		return "", false
	}
	return s, ok
}

func (p *parser) boolean(n *source.Node, field string) (bool, bool) {
	if n.Kind != source.Bool {
		p.errorf(n.Pos, "%s must be a boolean, not %s", field, n.Kind)
		return false, false
	}
	return n.Bool, true
}

// intIn returns an integer field's value, checking it is within [lo, hi].
func (p *parser) intIn(n *source.Node, field string, lo, hi int64) (int64, bool) {
	v, ok := n.Int()
	if !ok {
		p.errorf(n.Pos, "%s must be an integer, not %s", field, describe(n))
		return 0, false
	}
	if v < lo || v > hi {
		p.errorf(n.Pos, "%s must be between %d and %d, not %d", field, lo, hi, v)
		return 0, false
	}
	return v, true
}

func (p *parser) object(n *source.Node, field string) bool {
	if n.Kind != source.Object {
		p.errorf(n.Pos, "%s must be an object, not %s", field, n.Kind)
		return false
	}
	return true
}

func (p *parser) array(n *source.Node, field string) bool {
	if n.Kind != source.Array {
		p.errorf(n.Pos, "%s must be an array, not %s", field, n.Kind)
		return false
	}
	return true
}

// describe names a value for a type error: its kind, or the number.
func describe(n *source.Node) string {
	if n.Kind == source.Number {
		return n.Text
	}
	return n.Kind.String()
}

// queryLanguage reads a QueryLanguage field, defaulting to inherit.
func (p *parser) queryLanguage(n *source.Node, inherit ir.QueryLanguage) ir.QueryLanguage {
	m := n.Get("QueryLanguage")
	if m == nil {
		return inherit
	}
	s, ok := p.str(m.Value, "QueryLanguage")
	if !ok {
		return inherit
	}
	switch ir.QueryLanguage(s) {
	case ir.JSONPath, ir.JSONata:
		if p.machineQL == ir.JSONata && s == string(ir.JSONPath) {
			p.errorf(m.Value.Pos, "QueryLanguage JSONPath is not allowed in a state machine "+
				"whose QueryLanguage is JSONata (only a distributed Map's processor may switch)")
		}
		return ir.QueryLanguage(s)
	}
	p.errorf(m.Value.Pos, "QueryLanguage must be %q or %q, not %q", ir.JSONPath, ir.JSONata, s)
	return inherit
}

// quoteList formats names for a message: "A", "B" and "C".
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
