package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jointlambda/jlgen/codegen"
	"github.com/jointlambda/jlgen/internal/shared"
	"github.com/jointlambda/jlgen/parser"
)

// TestConvertCorpus converts every definition of the shared corpus that
// jlgen check accepts, twice to show the output is byte-identical, and
// type-checks and vets all the generated packages.
func TestConvertCorpus(t *testing.T) {
	corpus := shared.Dir(t, "corpus")
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join("testdata", "corpusgen")
	os.RemoveAll(out)
	t.Cleanup(func() { os.RemoveAll(out) })
	converted, rejected := 0, 0
	err = filepath.WalkDir(corpus, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !isDefinitionFile(path) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		wfs, diags := parser.ParseAll(path, data)
		if len(diags) > 0 || len(wfs) == 0 {
			rejected++
			return nil
		}
		for i, wf := range wfs {
			pkg := fmt.Sprintf("w%d", converted)
			opts := codegen.Options{Package: pkg, Source: fmt.Sprintf("%s#%d", path, i),
				ImportPath: "github.com/jointlambda/jlgen/cmd/jlgen/testdata/corpusgen/" + pkg}
			first, err := codegen.Generate(wf, opts)
			if err != nil {
				t.Errorf("%s: %v", path, err)
				continue
			}
			again, _ := codegen.Generate(wf, opts)
			if !sameFiles(first, again) {
				t.Errorf("%s: two conversions differ", path)
			}
			if err := writeFiles(filepath.Join(out, pkg), first); err != nil {
				t.Fatal(err)
			}
			converted++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// go vet type-checks every package as the compiler does, and vets it;
	// it is much faster than go build, which would link two binaries each.
	cmd := exec.Command("go", "vet", "./cmd/jlgen/testdata/corpusgen/...")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet: %v\n%s", err, b)
	}
	t.Logf("corpus: %d definitions converted twice identically, type-checked and vetted; "+
		"%d files that check rejects skipped", converted, rejected)
}

// isDefinitionFile reports whether path may hold a definition.
func isDefinitionFile(path string) bool {
	switch filepath.Ext(path) {
	case ".json", ".yaml", ".yml":
		return !strings.HasSuffix(path, "expected.tsv")
	}
	return false
}

func sameFiles(a, b []codegen.File) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Path != b[i].Path || !bytes.Equal(a[i].Data, b[i].Data) {
			return false
		}
	}
	return true
}
