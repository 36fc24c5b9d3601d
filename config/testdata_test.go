package config

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// The groups of cases under testdata. Every case is a folder holding one
// config file, jlgen.yaml or jlgen.json, and a golden file.
//
//   - valid: accepted by Parse and by the schema; config.golden is the
//     decoded config with its defaults.
//   - invalid: rejected by Parse and by the schema; errors.golden is what
//     Parse reports.
//   - dangling: naming clouds that are not defined, which only Parse can
//     see; the schema accepts them. errors.golden is what Parse reports.
func TestTestdata(t *testing.T) {
	sch := compileSchema(t)
	for _, group := range []string{"valid", "invalid", "dangling"} {
		dirs, err := os.ReadDir(filepath.Join("testdata", group))
		if err != nil {
			t.Fatal(err)
		}
		for _, dir := range dirs {
			name := group + "/" + dir.Name()
			t.Run(name, func(t *testing.T) {
				runCase(t, sch, group, filepath.Join("testdata", name))
			})
		}
	}
}

func runCase(t *testing.T, sch *jsonschema.Schema, group, dir string) {
	file, data := readCase(t, dir)
	cfg, err := Parse(filepath.Base(file), data)
	schemaErr := validateSchema(sch, data)
	switch group {
	case "valid":
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if schemaErr != nil {
			t.Fatalf("schema rejects a config Parse accepts: %v", schemaErr)
		}
		golden(t, filepath.Join(dir, "config.golden"), dump(t, cfg))
		return
	case "invalid":
		if schemaErr == nil {
			t.Errorf("schema accepts a config Parse must reject")
		}
	case "dangling":
		if schemaErr != nil {
			t.Errorf("schema rejects a config it cannot judge: %v", schemaErr)
		}
	}
	if err == nil {
		t.Fatalf("Parse accepts an invalid config")
	}
	golden(t, filepath.Join(dir, "errors.golden"), []byte(err.Error()+"\n"))
}

func readCase(t *testing.T, dir string) (string, []byte) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "jlgen.*"))
	if len(files) != 1 {
		t.Fatalf("want one jlgen.yaml or jlgen.json in %s, found %d", dir, len(files))
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	return files[0], data
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatalf("schema.json: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("schema.json")
	if err != nil {
		t.Fatalf("compile schema.json: %v", err)
	}
	return sch
}

// validateSchema checks a config file against the schema, decoding it
// with the YAML library's own decoder rather than this package's, so the
// two sides share nothing but the file. A document that does not decode
// (bad syntax, duplicate keys) is rejected.
func validateSchema(sch *jsonschema.Schema, data []byte) error {
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		return err
	}
	return sch.Validate(v)
}

func dump(t *testing.T, cfg *Config) []byte {
	t.Helper()
	out, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

// golden compares got with the file at path, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}
