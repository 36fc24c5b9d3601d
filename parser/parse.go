package parser

import (
	"errors"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/asl"
	"github.com/jointlambda/jlgen/parser/fdl"
	"github.com/jointlambda/jlgen/parser/source"
)

// Parse reads a file that holds one definition; file names it in
// diagnostics. The workflow is nil when the file could not be read as a
// definition at all.
func Parse(file string, data []byte) (*ir.Workflow, ir.Diagnostics) {
	wfs, diags := ParseAll(file, data)
	if len(wfs) > 1 {
		diags = append(diags, ir.Errorf(file, ir.Pos{Line: 1, Col: 1},
			"file holds %d definitions, want one", len(wfs)))
		return nil, diags
	}
	if len(wfs) == 0 {
		return nil, diags
	}
	return wfs[0], diags
}

// ParseAll reads every definition of a file: an ASL state machine, an
// Alibaba flow or CloudFlow definition, or each flow embedded in a
// deployment template. The dialect is recognised from the document.
func ParseAll(file string, data []byte) ([]*ir.Workflow, ir.Diagnostics) {
	root, dups, err := source.Decode(data)
	if err != nil {
		var se *source.SyntaxError
		if errors.As(err, &se) {
			return nil, ir.Diagnostics{ir.Errorf(file, se.Pos, "syntax error: %s", se.Msg)}
		}
		return nil, ir.Diagnostics{ir.Errorf(file, ir.Pos{}, "%v", err)}
	}
	if _, ok := fdl.Detect(root); !ok {
		wf, diags := asl.ParseNode(file, root, dups)
		return []*ir.Workflow{wf}, diags
	}
	defs, diags := fdl.ParseAll(file, data)
	var wfs []*ir.Workflow
	for _, d := range defs {
		if d.Workflow == nil {
			continue
		}
		wfs = append(wfs, d.Workflow)
		diags = append(diags, ir.Check(d.Workflow)...)
	}
	diags.Sort()
	return wfs, diags
}
