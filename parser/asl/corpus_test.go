package asl_test

import (
	"bufio"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jointlambda/jlgen/internal/shared"
	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/asl"
)

// validatorOnly lists the asl-validator "invalid" definitions that AWS
// accepts, with the reason jlgen accepts them too.
var validatorOnly = map[string]string{
	// The validator's optional ARN check: a Resource is opaque to jlgen
	// until deployment.
	"invalid-task-alias-function.json": "Lambda alias syntax in the Resource ARN",
	// The validator matches "{% ... %}" with a pattern that stops at a
	// line break; AWS takes multi-line JSONata expressions (the CDK
	// relaxed its own check to match, aws-cdk issue 35912).
	"invalid-json-surround-syntax-extra-spaces.json": "a line break inside {% %}",
	// The validator wants a space inside the delimiters; AWS does not:
	// deployed workflows of the workflows-collection corpus write
	// "{%expr %}" and "{% expr%}".
	"invalid-jsonata-surround-syntax-no-spaces.json": "no space inside {% %}",
}

func parseFile(t *testing.T, path string) ir.Diagnostics {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, diags := asl.Parse(filepath.Base(path), data)
	return diags
}

// positioned reports whether every diagnostic has a line and column.
func positioned(diags ir.Diagnostics) bool {
	for _, d := range diags {
		if !d.Pos.IsValid() {
			return false
		}
	}
	return len(diags) > 0
}

func TestASLValidatorCorpus(t *testing.T) {
	dir := shared.Dir(t, "corpus", "asl-validator")
	valid, _ := filepath.Glob(filepath.Join(dir, "valid", "*.json"))
	invalid, _ := filepath.Glob(filepath.Join(dir, "invalid", "*.json"))
	if len(valid) == 0 || len(invalid) == 0 {
		t.Fatalf("no definitions under %s", dir)
	}
	passed := 0
	for _, f := range valid {
		if diags := parseFile(t, f); len(diags) > 0 {
			t.Errorf("%s: valid definition rejected:\n%s", f, diags)
			continue
		}
		passed++
	}
	skipped := 0
	for _, f := range invalid {
		diags := parseFile(t, f)
		if why, ok := validatorOnly[filepath.Base(f)]; ok {
			skipped++
			t.Logf("%s: accepted on purpose (%s)", filepath.Base(f), why)
			continue
		}
		if !positioned(diags) {
			t.Errorf("%s: invalid definition not rejected with a position: %v", f, diags)
			continue
		}
		passed++
	}
	t.Logf("asl-validator: %d of %d passed (%d valid, %d invalid; %d validator-only cases exempt)",
		passed, len(valid)+len(invalid)-skipped, len(valid), len(invalid), skipped)
}

func TestStatelintCorpus(t *testing.T) {
	dir := shared.Dir(t, "corpus", "statelint")
	f, err := os.Open(filepath.Join(dir, "expected.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	passed, total := 0, 0
	for sc.Scan() {
		name, expected, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		total++
		diags := parseFile(t, filepath.Join(dir, name))
		wantValid := expected == "0"
		switch {
		case wantValid && len(diags) > 0:
			t.Errorf("%s: valid definition rejected:\n%s", name, diags)
		case !wantValid && !positioned(diags):
			t.Errorf("%s: expected %s, got no positioned problem", name, expected)
		default:
			passed++
		}
	}
	if total == 0 {
		t.Fatal("expected.tsv lists no definitions")
	}
	t.Logf("statelint: %d of %d passed", passed, total)
}

// TestWorkflowsCollection parses every *.asl.json and *.asl.yaml file of
// the collection, and every other JSON file that is not valid JSON (the
// standard library's decoder is the oracle): valid definitions must be
// accepted, malformed files rejected with the position of the error.
func TestWorkflowsCollection(t *testing.T) {
	dir := shared.Dir(t, "corpus", "workflows-collection")
	accepted, rejected := 0, 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		isASL := strings.Contains(filepath.Base(path), ".asl.")
		malformed := strings.HasSuffix(path, ".json") && !json.Valid(data)
		if !isASL && !malformed {
			return nil
		}
		_, diags := asl.Parse(filepath.Base(path), data)
		switch {
		case malformed && (len(diags) != 1 || !diags[0].Pos.IsValid() ||
			!strings.Contains(diags[0].Msg, "syntax error")):
			t.Errorf("%s: malformed JSON not rejected with a position: %v", path, diags)
		case malformed:
			rejected++
			t.Logf("rejected as malformed: %s", diags[0])
		case len(diags) > 0:
			t.Errorf("%s: rejected:\n%s", path, diags)
		default:
			accepted++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("workflows-collection: %d definitions accepted, %d malformed files rejected "+
		"with a position", accepted, rejected)
}

// TestConformanceDefinitions parses the definition of every execution
// recorded against AWS: AWS ran them all, so all must be accepted.
func TestConformanceDefinitions(t *testing.T) {
	total, passed := 0, 0
	for _, set := range []string{"conformance", "conformance-tasks"} {
		dir := shared.Dir(t, set)
		defs, _ := filepath.Glob(filepath.Join(dir, "*", "*", "definition.asl.json"))
		more, _ := filepath.Glob(filepath.Join(dir, "*", "*", "*", "definition.asl.json"))
		for _, f := range append(defs, more...) {
			total++
			if diags := parseFile(t, f); len(diags) > 0 {
				t.Errorf("%s: rejected:\n%s", f, diags)
				continue
			}
			passed++
		}
	}
	if total == 0 {
		t.Fatal("no conformance definitions found")
	}
	t.Logf("conformance definitions: %d of %d accepted", passed, total)
}
