package main

import (
	"fmt"
	"io"
)

// command is one jlgen subcommand.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"check", "check definitions and report every problem", runCheck},
		{"convert", "generate the Go package of a definition", runConvert},
		{"diff", "show how the generated package differs from a directory", runDiff},
		{"run", "run a workflow on the embedded jointcloud", runRun},
		{"test", "run case folders and compare with their expected outcomes", runTest},
		{"schema", "print the JSON Schema of jlgen.yaml", runSchema},
	}
}

// run executes jlgen with args (without the program name) and returns the
// process exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "jlgen: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: jlgen <command> [arguments]")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
}
