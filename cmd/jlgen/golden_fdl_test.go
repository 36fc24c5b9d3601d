package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jointlambda/jlgen/parser"
)

// TestGoldenFDL regenerates the package of every testdata/fdl case that
// parses without diagnostics into one workflow and compares it with the
// committed one under golden/fdl-<case>/; -update rewrites them. Then it
// builds and vets those packages.
func TestGoldenFDL(t *testing.T) {
	root := filepath.Join("..", "..")
	defs, _ := filepath.Glob(filepath.Join(root, "testdata", "fdl", "*", "definition.yaml"))
	var pkgs []string
	for _, def := range defs {
		name := filepath.Base(filepath.Dir(def))
		data, err := os.ReadFile(def)
		if err != nil {
			t.Fatal(err)
		}
		if wf, diags := parser.Parse(def, data); wf == nil || len(diags) > 0 {
			continue
		}
		pkgs = append(pkgs, "./golden/fdl-"+name)
		t.Run(name, func(t *testing.T) { checkGoldenFDL(t, root, name, def) })
	}
	if len(pkgs) == 0 {
		t.Fatal("no valid testdata/fdl cases")
	}
	checkNoStaleFDL(t, root, pkgs)
	if t.Failed() || testing.Short() {
		return
	}
	for _, verb := range []string{"build", "vet"} {
		cmd := exec.Command("go", append([]string{verb}, pkgs...)...)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("go %s %s: %v\n%s", verb, strings.Join(pkgs, " "), err, out)
		}
	}
}

func checkGoldenFDL(t *testing.T, root, name, def string) {
	cf := &convertFlags{
		file:       def,
		source:     "testdata/fdl/" + name + "/definition.yaml",
		out:        filepath.Join(root, "golden", "fdl-"+name),
		pkg:        packageName("fdl-" + name),
		importPath: "github.com/jointlambda/jlgen/golden/fdl-" + name,
	}
	_, files, err := cf.generate()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		os.RemoveAll(cf.out)
		if err := writeFiles(cf.out, files); err != nil {
			t.Fatal(err)
		}
		return
	}
	d, err := diffFiles(cf.out, files)
	if err != nil {
		t.Fatal(err)
	}
	if len(d) > 0 {
		t.Errorf("golden/fdl-%s is stale (go test ./cmd/jlgen -run TestGoldenFDL -update):\n%s",
			name, d)
	}
}

// checkNoStaleFDL reports golden/fdl-* packages whose case is gone or no
// longer valid; -update removes them.
func checkNoStaleFDL(t *testing.T, root string, pkgs []string) {
	dirs, _ := filepath.Glob(filepath.Join(root, "golden", "fdl-*"))
	for _, dir := range dirs {
		if slices.Contains(pkgs, "./golden/"+filepath.Base(dir)) {
			continue
		}
		if *update {
			os.RemoveAll(dir)
			continue
		}
		t.Errorf("golden/%s has no valid testdata/fdl case; -update removes it",
			filepath.Base(dir))
	}
}
