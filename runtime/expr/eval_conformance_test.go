package expr_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/jointlambda/jlgen/internal/match"
	"github.com/jointlambda/jlgen/internal/shared"
)

// The areas whose cases must all pass when applicable; the other areas
// are run too and only counted.
var requiredAreas = map[string]bool{"intrinsic_functions": true, "choiceoperators": true}

// TestConformance runs the recorded AWS executions that need no more than
// one Pass state, or one Choice state and the simple state it picks, and
// compares the outcome with what AWS produced.
func TestConformance(t *testing.T) {
	root := shared.Dir(t, "conformance")
	areas, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range areas {
		if a.IsDir() {
			runArea(t, root, a.Name())
		}
	}
}

// tally counts the outcomes of an area's cases.
type tally struct{ passed, failed, notApplicable int }

func runArea(t *testing.T, root, area string) {
	var cases []string
	walk := func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Name() == "definition.asl.json" {
			cases = append(cases, filepath.Dir(p))
		}
		return err
	}
	err := filepath.WalkDir(filepath.Join(root, area), walk)
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(cases)
	var n tally
	var skipped []string
	for _, dir := range cases {
		name, _ := filepath.Rel(root, dir)
		problem, err := runCase(dir)
		switch {
		case err != nil:
			n.notApplicable++
			skipped = append(skipped, name+": "+err.Error())
		case problem != "":
			n.failed++
			report := t.Logf
			if requiredAreas[area] {
				report = t.Errorf
			}
			report("%s: %s", name, problem)
		default:
			n.passed++
		}
	}
	t.Logf("%s: %d passed, %d failed, %d not applicable here",
		area, n.passed, n.failed, n.notApplicable)
	if testing.Verbose() {
		for _, s := range skipped {
			t.Logf("  not applicable: %s", s)
		}
	}
}

// runCase runs one case and returns how its outcome differs from AWS's,
// or an error when the case is not applicable here.
func runCase(dir string) (string, error) {
	c, err := loadCase(dir)
	if err != nil {
		return "", err
	}
	got, err := c.run()
	if err != nil {
		return "", err
	}
	return c.compare(got)
}

// conformanceCase is one recorded execution.
type conformanceCase struct {
	def      map[string]any
	input    any
	expected map[string]any
	tokens   []string // placeholder tokens of the expected outcome
}

func loadCase(dir string) (*conformanceCase, error) {
	c := &conformanceCase{}
	var def, exp any
	for _, f := range []struct {
		name string
		into *any
	}{{"definition.asl.json", &def}, {"input.json", &c.input}, {"expected.json", &exp}} {
		b, err := os.ReadFile(filepath.Join(dir, f.name))
		if err != nil {
			return nil, err
		}
		if *f.into, err = decode(b); err != nil {
			return nil, fmt.Errorf("%s: %v", f.name, err)
		}
	}
	c.def, _ = def.(map[string]any)
	c.expected, _ = exp.(map[string]any)
	if c.expected["output_is_raw_text"] == true {
		return nil, notApplicable("the output is raw text")
	}
	c.tokens = placeholders(dir)
	return c, nil
}

// placeholders returns the placeholder tokens listed in meta.json.
func placeholders(dir string) []string {
	b, err := os.ReadFile(filepath.Join(dir, "meta.json"))
	if err != nil {
		return nil
	}
	meta, _ := decode(b)
	m, _ := meta.(map[string]any)
	list, _ := m["placeholders"].([]any)
	var out []string
	for _, it := range list {
		if s, ok := it.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// compare returns how got differs from the expected outcome, or "".
func (c *conformanceCase) compare(got outcome) (string, error) {
	status, _ := c.expected["status"].(string)
	if got.status != status {
		return fmt.Sprintf("status %s (%v), want %s", got.status, got.err, status), nil
	}
	if status == "SUCCEEDED" {
		if !match.JSON(c.expected["output"], got.output, c.tokens) {
			return fmt.Sprintf("output %s, want %s",
				text(got.output), text(c.expected["output"])), nil
		}
		return "", nil
	}
	if status != "FAILED" {
		return "", notApplicable("status " + status)
	}
	name, _ := c.expected["error"].(string)
	if got.err.Name != name {
		return fmt.Sprintf("error %q, want %q", got.err.Name, name), nil
	}
	return c.compareCause(got.err.Cause), nil
}

func (c *conformanceCase) compareCause(cause string) string {
	want, ok := c.expected["cause"]
	if !ok {
		want = ""
	}
	if _, isText := want.(string); !isText {
		v, err := decode([]byte(cause))
		if err == nil && match.JSON(want, v, c.tokens) {
			return ""
		}
	} else if match.JSON(want, cause, c.tokens) {
		return ""
	}
	return fmt.Sprintf("cause %q, want %q", cause, text(want))
}

// notApplicable marks a case that needs more than this test runs.
type notApplicable string

func (n notApplicable) Error() string { return string(n) }

// text renders a JSON value for a message.
func text(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
