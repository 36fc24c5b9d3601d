package fdl

import (
	"errors"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/source"
)

// Definition is one parsed definition of a file: the file itself, or one
// definition embedded in a template.
type Definition struct {
	// Name is "" for a file that is itself a definition, or the Name of
	// the Embedded definition.
	Name     string
	Workflow *ir.Workflow
}

// Parse parses a file that holds exactly one Alibaba definition: a flow,
// a CloudFlow state machine, or a template that embeds one of them. The
// diagnostics are sorted by position; the workflow is nil only when the
// file could not be read as a definition at all.
func Parse(file string, data []byte) (*ir.Workflow, ir.Diagnostics) {
	defs, diags := ParseAll(file, data)
	if len(defs) > 1 {
		diags = append(diags, ir.Errorf(file, ir.Pos{}, "template holds %d definitions; "+
			"name one (ParseAll returns each)", len(defs)))
		return nil, diags
	}
	if len(defs) == 0 {
		return nil, diags
	}
	return defs[0].Workflow, diags
}

// ParseAll parses every definition of a file: the file itself, or every
// definition embedded in a template, in source order.
func ParseAll(file string, data []byte) ([]Definition, ir.Diagnostics) {
	root, dups, err := source.Decode(data)
	if err != nil {
		return nil, ir.Diagnostics{syntaxDiagnostic(file, err)}
	}
	var diags ir.Diagnostics
	format, ok := Detect(root)
	if !ok {
		pos := ir.Pos{Line: 1, Col: 1}
		if root != nil {
			pos = root.Pos
		}
		return nil, ir.Diagnostics{ir.Errorf(file, pos, "not an Alibaba flow, CloudFlow "+
			"or template: want type: flow with steps, or Type: StateMachine with States")}
	}
	for _, d := range dups {
		diags = append(diags, ir.Errorf(file, d.Pos, "duplicate key %q (first at %s)",
			d.Key, d.First))
	}
	if format != FormatTemplate {
		w, ds := ParseNode(file, format, root)
		diags = append(diags, ds...)
		diags.Sort()
		return []Definition{{Workflow: w}}, diags
	}
	defs, ds := parseTemplate(file, data, root)
	diags = append(diags, ds...)
	diags.Sort()
	return defs, diags
}

func parseTemplate(file string, data []byte, root *source.Node) ([]Definition,
	ir.Diagnostics) {
	found, diags := FindEmbedded(file, data, root)
	if len(found) == 0 && len(diags) == 0 {
		diags = append(diags, ir.Errorf(file, root.Pos, "template holds no flow definition"))
	}
	var defs []Definition
	for _, e := range found {
		w, ds := ParseNode(file, e.Format, e.Root)
		diags = append(diags, ds...)
		if w != nil && w.Name == "" {
			w.Name = e.Name
		}
		defs = append(defs, Definition{Name: e.Name, Workflow: w})
	}
	return defs, diags
}

// ParseNode parses a decoded flow or CloudFlow definition.
func ParseNode(file string, format Format, root *source.Node) (*ir.Workflow,
	ir.Diagnostics) {
	p := &parser{file: file}
	var w *ir.Workflow
	switch format {
	case FormatFlow:
		w = p.flow(root)
	case FormatCloudFlow:
		w = p.cloudflow(root)
	default:
		p.errorf(root.Pos, "not a flow or CloudFlow definition")
	}
	p.diags.Sort()
	return w, p.diags
}

func syntaxDiagnostic(file string, err error) ir.Diagnostic {
	var se *source.SyntaxError
	if errors.As(err, &se) {
		return ir.Errorf(file, se.Pos, "malformed definition: %s", se.Msg)
	}
	return ir.Errorf(file, ir.Pos{}, "malformed definition: %v", err)
}
