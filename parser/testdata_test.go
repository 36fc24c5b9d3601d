package parser_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser"
)

var update = flag.Bool("update", false, "rewrite the expected files of testdata cases")

// TestCases runs every case folder under testdata/asl: the definition
// (definition.asl.json or definition.asl.yaml) must produce the IR summary
// in ir.txt, or the diagnostics in diagnostics.txt.
func TestCases(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("..", "testdata", "asl", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases under testdata/asl: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) { runCase(t, dir) })
	}
}

func runCase(t *testing.T, dir string) {
	defs, _ := filepath.Glob(filepath.Join(dir, "definition.*"))
	if len(defs) != 1 {
		t.Fatalf("want one definition.* file in %s, found %d", dir, len(defs))
	}
	data, err := os.ReadFile(defs[0])
	if err != nil {
		t.Fatal(err)
	}
	wf, diags := parser.Parse(filepath.Base(defs[0]), data)
	name, got := "ir.txt", ""
	if len(diags) > 0 {
		name, got = "diagnostics.txt", diags.Error()+"\n"
	} else {
		got = ir.Summary(wf)
	}
	compareGolden(t, dir, name, got)
}

// compareGolden compares got with the expected file, which must be the
// only expected file of the case; -update rewrites it.
func compareGolden(t *testing.T, dir, name, got string) {
	t.Helper()
	path := filepath.Join(dir, name)
	if *update {
		for _, other := range []string{"ir.txt", "diagnostics.txt"} {
			if other != name {
				os.Remove(filepath.Join(dir, other))
			}
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (got %s:\n%s)", err, name, got)
	}
	if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(got, "\n")); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}
