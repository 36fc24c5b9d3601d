package main

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden packages")

// TestGolden regenerates the package of every valid testdata/asl case and
// compares it with the committed one under golden/; -update rewrites them.
// Then it builds and vets every golden package.
func TestGolden(t *testing.T) {
	root := filepath.Join("..", "..")
	cases, _ := filepath.Glob(filepath.Join(root, "testdata", "asl", "*", "ir.txt"))
	if len(cases) == 0 {
		t.Fatal("no valid testdata/asl cases")
	}
	for _, c := range cases {
		name := filepath.Base(filepath.Dir(c))
		t.Run(name, func(t *testing.T) { checkGolden(t, root, name) })
	}
	if t.Failed() || testing.Short() {
		return
	}
	// Build the workflow packages, and vet everything: vet type-checks the
	// lambda/ and fc/ entrypoints too, without linking a hundred binaries
	// of both clouds' SDKs (shim/cloud's end-to-end test links one pair).
	build := []string{"build"}
	for _, c := range cases {
		build = append(build, "./golden/"+filepath.Base(filepath.Dir(c)))
	}
	for _, args := range [][]string{build, {"vet", "./golden/..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	if !t.Failed() {
		t.Logf("golden: %d packages regenerated, built and vetted", len(cases))
	}
}

func checkGolden(t *testing.T, root, name string) {
	defs, _ := filepath.Glob(filepath.Join(root, "testdata", "asl", name, "definition.*"))
	if len(defs) != 1 {
		t.Fatalf("want one definition in %s", name)
	}
	cf := &convertFlags{
		file:       defs[0],
		source:     "testdata/asl/" + name + "/" + filepath.Base(defs[0]),
		out:        filepath.Join(root, "golden", name),
		pkg:        packageName(name),
		importPath: "github.com/jointlambda/jlgen/golden/" + name,
	}
	// A case may place its states with a jlgen.yaml of its own.
	if cfg := filepath.Join(root, "testdata", "asl", name, "jlgen.yaml"); fileExists(cfg) {
		cf.config = cfg
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
		t.Errorf("golden/%s is stale (go test ./cmd/jlgen -run TestGolden -update):\n%s",
			name, d)
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
