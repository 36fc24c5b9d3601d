package fdl

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jointlambda/jlgen/internal/shared"
	"github.com/jointlambda/jlgen/ir"
)

var update = flag.Bool("update", false, "rewrite the expected files of testdata/fdl")

const casesDir = "../../testdata/fdl"

// render formats every definition of a file and its diagnostics.
func render(file string, data []byte) string {
	defs, diags := ParseAll(file, data)
	var b strings.Builder
	for _, d := range defs {
		if d.Name != "" {
			b.WriteString("definition " + d.Name + "\n")
		}
		b.WriteString(Summary(d.Workflow))
	}
	for _, d := range diags {
		b.WriteString("diagnostic " + d.String() + "\n")
	}
	return b.String()
}

func TestCases(t *testing.T) {
	dirs, err := os.ReadDir(casesDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		t.Run(d.Name(), func(t *testing.T) {
			dir := filepath.Join(casesDir, d.Name())
			data, err := os.ReadFile(filepath.Join(dir, "definition.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			got := render("definition.yaml", data)
			want := filepath.Join(dir, "expected.txt")
			if *update {
				if err := os.WriteFile(want, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			exp, err := os.ReadFile(want)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if diff := cmp.Diff(string(exp), got); diff != "" {
				t.Errorf("summary mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCorpus parses every flow of the shared corpus, standalone or
// embedded in a template, and expects no diagnostics from the parser or
// from the graph checks.
func TestCorpus(t *testing.T) {
	root := shared.Dir(t, "corpus", "fnf-flow")
	files, defs := 0, 0
	err := filepath.WalkDir(root, func(path string,
		e os.DirEntry, err error) error {
		if err != nil || e.IsDir() || !isYAML(path) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		found, diags := ParseAll(path, data)
		for _, d := range found {
			diags = append(diags, ir.Check(d.Workflow)...)
		}
		for _, d := range diags {
			t.Errorf("%s", d)
		}
		if len(found) == 0 {
			t.Errorf("%s: no definition found", path)
		}
		files++
		defs += len(found)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("parsed %d definitions from %d files", defs, files)
}

func isYAML(path string) bool {
	ext := filepath.Ext(path)
	return ext == ".yaml" || ext == ".yml" || ext == ".json"
}

func FuzzParse(f *testing.F) {
	dirs, _ := os.ReadDir(casesDir)
	for _, d := range dirs {
		if data, err := os.ReadFile(filepath.Join(casesDir, d.Name(),
			"definition.yaml")); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defs, _ := ParseAll("fuzz.yaml", data)
		for _, d := range defs {
			_ = Summary(d.Workflow)
		}
	})
}
