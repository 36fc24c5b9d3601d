package parser

import (
	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/asl"
)

// Parse reads the definition in data; file names it in diagnostics. The
// workflow is nil when the file could not be read as a definition at all.
func Parse(file string, data []byte) (*ir.Workflow, ir.Diagnostics) {
	return asl.Parse(file, data)
}
