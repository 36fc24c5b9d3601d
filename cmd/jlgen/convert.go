package main

import (
	"bytes"
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/jointlambda/jlgen/codegen"
	"github.com/jointlambda/jlgen/config"
	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser"
)

// convertFlags are the arguments convert and diff share.
type convertFlags struct {
	file string
	// source names the definition in the generated code; file by default.
	source     string
	out        string
	pkg        string
	importPath string
	config     string
}

func parseConvertFlags(name string, args []string, stderr io.Writer) (*convertFlags, bool) {
	cf := &convertFlags{}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cf.out, "o", "", "output `directory` (default: the definition's name)")
	fs.StringVar(&cf.pkg, "package", "", "Go package `name` (default: from the directory)")
	fs.StringVar(&cf.importPath, "import-path", "",
		"import `path` of the package (default: from the go.mod above the directory)")
	fs.StringVar(&cf.config, "config", "", "placement `file` (jlgen.yaml)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: jlgen %s FILE [-o DIR] [--package NAME] [--config jlgen.yaml]\n",
			name)
		fs.PrintDefaults()
	}
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return nil, false
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return nil, false
	}
	cf.file = fs.Arg(0)
	if cf.out == "" {
		cf.out = defaultOut(cf.file)
	}
	if cf.pkg == "" {
		cf.pkg = packageName(filepath.Base(mustAbs(cf.out)))
	}
	return cf, true
}

// reorder moves the flags of fs before the positional arguments, so
// that "jlgen convert FILE -o DIR" works as users expect.
func reorder(fs *flag.FlagSet, args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "-" {
			rest = append(rest, a)
			continue
		}
		flags = append(flags, a)
		if !strings.Contains(a, "=") && !isBoolFlag(fs, a) && i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	return append(flags, rest...)
}

// isBoolFlag reports whether arg names a boolean flag of fs, which takes
// no value after it.
func isBoolFlag(fs *flag.FlagSet, arg string) bool {
	f := fs.Lookup(strings.TrimLeft(arg, "-"))
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// defaultOut names the output directory after the definition file:
// statemachine.asl.json becomes statemachine.
func defaultOut(file string) string {
	base := filepath.Base(file)
	if i := strings.IndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	return base
}

// packageName makes a Go package name of a directory name.
func packageName(dir string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(dir) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	name := b.String()
	if name == "" || unicode.IsDigit(rune(name[0])) {
		name = "workflow" + name
	}
	return name
}

func mustAbs(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return abs
}

// generate parses and checks the definition, and generates its package.
// It returns the problems of a bad definition as an error that prints
// them all.
func (cf *convertFlags) generate() (*ir.Workflow, []codegen.File, error) {
	data, err := os.ReadFile(cf.file)
	if err != nil {
		return nil, nil, fmt.Errorf("read definition: %w", err)
	}
	wf, diags := parser.Parse(cf.file, data)
	if len(diags) > 0 {
		return nil, nil, diags
	}
	importPath := cf.importPath
	if importPath == "" {
		if importPath, err = moduleImportPath(cf.out); err != nil {
			return nil, nil, err
		}
	}
	placement, err := loadPlacement(cf.config, wf)
	if err != nil {
		return nil, nil, err
	}
	var cfgText []byte
	if cf.config != "" {
		if cfgText, err = os.ReadFile(cf.config); err != nil {
			return nil, nil, fmt.Errorf("read config: %w", err)
		}
	}
	files, err := codegen.Generate(wf, codegen.Options{Package: cf.pkg,
		ImportPath: importPath, Source: filepath.ToSlash(cmp.Or(cf.source, cf.file)),
		Placement: placement, Config: string(cfgText)})
	return wf, files, err
}

// moduleImportPath finds the go.mod above dir and returns dir's import
// path in that module.
func moduleImportPath(dir string) (string, error) {
	abs := mustAbs(dir)
	for d := abs; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil {
			mod := modulePath(data)
			if mod == "" {
				return "", fmt.Errorf("%s has no module line", filepath.Join(d, "go.mod"))
			}
			rel, err := filepath.Rel(d, abs)
			if err != nil {
				return "", err
			}
			if rel == "." {
				return mod, nil
			}
			return mod + "/" + filepath.ToSlash(rel), nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s: run jlgen inside a Go module, "+
				"or pass --import-path", dir)
		}
	}
}

func modulePath(gomod []byte) string {
	for _, line := range bytes.Split(gomod, []byte("\n")) {
		if rest, ok := bytes.CutPrefix(bytes.TrimSpace(line), []byte("module")); ok {
			return strings.Trim(string(bytes.TrimSpace(rest)), `"`)
		}
	}
	return ""
}

// runConvert implements "jlgen convert".
func runConvert(args []string, stdout, stderr io.Writer) int {
	cf, ok := parseConvertFlags("convert", args, stderr)
	if !ok {
		return 2
	}
	wf, files, err := cf.generate()
	if err != nil {
		return reportError(err, stdout, stderr)
	}
	if err := writeFiles(cf.out, files); err != nil {
		fmt.Fprintf(stderr, "jlgen: %v\n", err)
		return 1
	}
	noteUncalled(cf.file, wf, stderr)
	return 0
}

// noteUncalled tells, on stderr, of each Task state whose DefaultTasks
// method the deployed functions do not call (codegen.UncalledTasks): the
// conversion succeeds, and the user implements those methods.
func noteUncalled(file string, wf *ir.Workflow, stderr io.Writer) {
	for _, u := range codegen.UncalledTasks(wf) {
		fmt.Fprintf(stderr, "%s:%s: note: Task state %q: deployed, DefaultTasks does not "+
			"call %s (%s); implement its method in your Tasks\n", file, u.Pos, u.State,
			u.Resource, u.Why)
	}
}

// writeFiles writes the generated files under dir.
func writeFiles(dir string, files []codegen.File) error {
	for _, f := range files {
		path := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// reportError prints a bad definition's problems like check does, on
// stdout with a count, or another error on stderr; both exit 1.
func reportError(err error, stdout, stderr io.Writer) int {
	var diags ir.Diagnostics
	if errors.As(err, &diags) {
		printDiagnostics(stdout, diags, 1)
		return 1
	}
	fmt.Fprintf(stderr, "jlgen: %v\n", err)
	return 1
}

// loadPlacement reads the config file (the default config without one)
// and returns where each state of wf runs.
func loadPlacement(path string, wf *ir.Workflow) (func(string) []string, error) {
	cfg := config.Default()
	if path != "" {
		var err error
		if cfg, err = config.Load(path); err != nil {
			return nil, err
		}
	}
	var names []string
	ir.Walk(wf.Graph, func(_ *ir.Graph, s *ir.State) { names = append(names, s.Name) })
	if err := cfg.Check(names); err != nil {
		return nil, err
	}
	return func(state string) []string {
		_, clouds := cfg.Placement(state)
		return clouds
	}, nil
}
