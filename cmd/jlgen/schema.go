package main

import (
	"fmt"
	"io"

	"github.com/jointlambda/jlgen/config"
)

// runSchema implements "jlgen schema": it prints the JSON Schema of the
// config file, for editors and validators.
func runSchema(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "usage: jlgen schema")
		return 2
	}
	stdout.Write(config.Schema())
	return 0
}
