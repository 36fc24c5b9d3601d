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
	problems, bad := 0, 0
	for _, file := range fs.Args() {
		diags := checkFile(file)
		for _, d := range diags {
			fmt.Fprintln(stdout, d)
		}
		problems += len(diags)
		if len(diags) > 0 {
			bad++
		}
	}
	if problems == 0 {
		return 0
	}
	fmt.Fprintf(stdout, "%d %s in %d %s\n", problems, plural(problems, "problem"),
		bad, plural(bad, "file"))
	return 1
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
