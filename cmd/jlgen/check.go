package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser"
)

// runCheck implements "jlgen check FILE...".
func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, "usage: jlgen check FILE...") }
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	var all ir.Diagnostics
	bad := 0
	for _, file := range fs.Args() {
		diags := checkFile(file)
		all = append(all, diags...)
		if len(diags) > 0 {
			bad++
		}
	}
	if len(all) == 0 {
		return 0
	}
	printDiagnostics(stdout, all, bad)
	return 1
}

// printDiagnostics prints each problem, then how many there are in how
// many files.
func printDiagnostics(w io.Writer, diags ir.Diagnostics, files int) {
	for _, d := range diags {
		fmt.Fprintln(w, d)
	}
	fmt.Fprintf(w, "%d %s in %d %s\n", len(diags), plural(len(diags), "problem"),
		files, plural(files, "file"))
}

func checkFile(file string) ir.Diagnostics {
	data, err := os.ReadFile(file)
	if err != nil {
		return ir.Diagnostics{{File: file, Msg: fmt.Sprintf("read definition: %v", err)}}
	}
	_, diags := parser.ParseAll(file, data)
	return diags
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
