package main

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/jointlambda/jlgen/config"
	"github.com/jointlambda/jlgen/internal/shared"
	"github.com/jointlambda/jlgen/parser"
	"github.com/jointlambda/jlgen/shim/local/driver"
)

// TestRunCases runs the execution cases of testdata/run, which show the
// data flow of the Alibaba dialects as Alibaba documents it: every one
// must pass.
func TestRunCases(t *testing.T) {
	cases, err := collectCases([]string{filepath.Join("..", "..", "testdata", "run")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := runCases(cases, "", io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if c.verdict != "" {
			t.Errorf("%s:\n%s", c.name, indent(c.verdict))
		}
	}
	t.Logf("testdata/run: %d cases", len(cases))
}

// TestRunFnFCorpus runs every flow of the fnf-flow corpus with its Task
// states stubbed by a command that answers {"ok": true}: each execution
// must end, succeeded or failed with an error the flow raised, never stuck
// or broken in the runtime.
func TestRunFnFCorpus(t *testing.T) {
	root := shared.Dir(t, "corpus", "fnf-flow")
	cfg := config.Local()
	placement := func(state string) []string {
		_, clouds := cfg.Placement(state)
		return clouds
	}
	var hcases []harnessCase
	var jobs []driver.Job
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !isDefinitionFile(path) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		wfs, diags := parser.ParseAll(path, data)
		if len(diags) > 0 {
			t.Errorf("%s: %v", path, diags)
			return nil
		}
		for _, wf := range wfs {
			id := "f" + itoa(len(hcases))
			hcases = append(hcases, harnessCase{id: id, wf: wf, source: path,
				placement: placement})
			jobs = append(jobs, driver.Job{Case: id, Input: json.RawMessage(`{}`),
				Commands: map[string]string{"*": `echo '{"ok": true}'`}})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := buildHarness(hcases)
	if err != nil {
		t.Fatal(err)
	}
	defer h.close()
	var stderr bytes.Buffer
	outcomes, err := h.run(jobs, &stderr)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	counts := map[string]int{}
	for i, o := range outcomes {
		if o.Failure != "" {
			t.Errorf("%s: %s", hcases[i].source, o.Failure)
			continue
		}
		counts[o.Status]++
		if o.Status == "FAILED" {
			t.Logf("%s failed: %s: %s", hcases[i].source, o.Error, o.Cause)
		}
	}
	t.Logf("fnf-flow corpus: %d flows ran to the end (%d succeeded, %d failed)",
		len(outcomes), counts["SUCCEEDED"], counts["FAILED"])
}

func itoa(n int) string {
	return string(rune('0'+n/100%10)) + string(rune('0'+n/10%10)) +
		string(rune('0'+n%10))
}
