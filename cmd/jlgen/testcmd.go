package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/jointlambda/jlgen/config"
	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser"
	"github.com/jointlambda/jlgen/shim/local"
	"github.com/jointlambda/jlgen/shim/local/driver"
)

// testCase is one case folder: a definition, an input and the outcome
// expected.
type testCase struct {
	dir      string
	name     string
	expected expected
	tokens   []string
	problem  string // why the case cannot run, when it cannot
	verdict  string // why the case failed, "" when it passed
}

// expected is a case's expected.json.
type expected struct {
	Status  string          `json:"status"`
	Output  json.RawMessage `json:"output"`
	RawText bool            `json:"output_is_raw_text"`
	Error   *string         `json:"error"`
	Cause   json.RawMessage `json:"cause"`
}

// runTest implements "jlgen test DIR...": it runs every case folder below
// the directories, prints each failing case with a short diff, then
// "N passed, M failed".
func runTest(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	chaos := fs.String("chaos", "",
		"inject faults: `seed=N,crash=P,dup=P,store=P,outage=CLOUD:FROM-TO`")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: jlgen test [--chaos SPEC] DIR...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	if *chaos != "" {
		if _, err := local.ParseChaos(*chaos); err != nil {
			fmt.Fprintf(stderr, "jlgen: %v\n", err)
			return 2
		}
	}
	cases, err := collectCases(fs.Args())
	if err != nil {
		fmt.Fprintf(stderr, "jlgen: %v\n", err)
		return 2
	}
	faults, err := runCases(cases, *chaos, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "jlgen: %v\n", err)
		return 1
	}
	if *chaos != "" {
		fmt.Fprintf(stdout, "chaos: %d faults injected (%d crashes, %d duplicate deliveries, "+
			"%d refused invocations, %d store errors)\n", faults.Total(), faults.Crashes,
			faults.Duplicates, faults.Refusals, faults.StoreErrors)
	}
	return summarize(cases, stdout)
}

// collectCases finds the case folders below the directories.
func collectCases(dirs []string) ([]*testCase, error) {
	var cases []*testCase
	for _, dir := range dirs {
		found, err := findCases(dir)
		if err != nil {
			return nil, err
		}
		cases = append(cases, found...)
	}
	if len(cases) == 0 {
		return nil, fmt.Errorf("no case folders (definition.asl.json, input.json, "+
			"expected.json) below %s", strings.Join(dirs, " "))
	}
	return cases, nil
}

// runCases builds every case that can run, runs them all (under chaos,
// when given), and sets each case's verdict: why it failed, or "" when it
// passed. It returns the faults injected in all.
func runCases(cases []*testCase, chaos string, stderr io.Writer) (local.Faults, error) {
	var faults local.Faults
	jobs, hcases := prepare(cases)
	var outcomes []driver.Outcome
	if len(hcases) > 0 {
		for i := range jobs {
			jobs[i].Chaos = chaos
		}
		h, err := buildHarness(hcases)
		if err != nil {
			return faults, err
		}
		defer h.close()
		if outcomes, err = h.run(jobs, stderr); err != nil {
			return faults, err
		}
	}
	next := 0
	for _, c := range cases {
		c.verdict = c.problem
		if c.problem == "" {
			o := &outcomes[next]
			c.verdict = c.compare(o)
			faults.Crashes += o.Faults.Crashes
			faults.Duplicates += o.Faults.Duplicates
			faults.Refusals += o.Faults.Refusals
			faults.StoreErrors += o.Faults.StoreErrors
			next++
		}
	}
	return faults, nil
}

// findCases returns the case folders below dir, in path order.
func findCases(dir string) ([]*testCase, error) {
	var cases []*testCase
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !isCaseDefinition(d.Name()) {
			return err
		}
		cdir := filepath.Dir(path)
		rel, _ := filepath.Rel(dir, cdir)
		cases = append(cases, &testCase{dir: cdir, name: filepath.ToSlash(
			filepath.Join(filepath.Base(dir), rel))})
		return nil
	})
	sort.Slice(cases, func(i, j int) bool { return cases[i].name < cases[j].name })
	return cases, err
}

// isCaseDefinition reports whether name is the definition of a case
// folder: definition.asl.json as in the recorded sets, or a definition in
// any dialect named definition.json, .yaml or .yml.
func isCaseDefinition(name string) bool {
	switch name {
	case "definition.asl.json", "definition.json", "definition.yaml", "definition.yml",
		"definition.asl.yaml":
		return true
	}
	return false
}

// prepare reads each case and returns the jobs and workflows of those
// that can run; the others get their problem set.
func prepare(cases []*testCase) ([]driver.Job, []harnessCase) {
	var jobs []driver.Job
	var hcases []harnessCase
	cfg := config.Local()
	placement := func(state string) []string {
		_, clouds := cfg.Placement(state)
		return clouds
	}
	for _, c := range cases {
		job, wf, err := c.read()
		if err != nil {
			c.problem = err.Error()
			continue
		}
		job.Case = fmt.Sprintf("c%d", len(hcases))
		hcases = append(hcases, harnessCase{id: job.Case, wf: wf, source: c.name,
			placement: placement})
		jobs = append(jobs, *job)
	}
	return jobs, hcases
}

// read loads the case's files.
func (c *testCase) read() (*driver.Job, *ir.Workflow, error) {
	defs, _ := filepath.Glob(filepath.Join(c.dir, "definition.*"))
	if len(defs) != 1 {
		return nil, nil, fmt.Errorf("want one definition in %s, found %d", c.dir, len(defs))
	}
	file := defs[0]
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	wf, diags := parser.Parse(file, data)
	if len(diags) > 0 {
		return nil, nil, fmt.Errorf("bad definition:\n%s", diags)
	}
	job := &driver.Job{}
	if job.Input, err = os.ReadFile(filepath.Join(c.dir, "input.json")); err != nil {
		return nil, nil, err
	}
	b, err := os.ReadFile(filepath.Join(c.dir, "expected.json"))
	if err != nil {
		return nil, nil, err
	}
	if err := json.Unmarshal(b, &c.expected); err != nil {
		return nil, nil, fmt.Errorf("expected.json: %w", err)
	}
	if b, err := os.ReadFile(filepath.Join(c.dir, "replay.json")); err == nil {
		if err := json.Unmarshal(b, &job.Replay); err != nil {
			return nil, nil, fmt.Errorf("replay.json: %w", err)
		}
	}
	var meta struct {
		Placeholders []string `json:"placeholders"`
	}
	if b, err := os.ReadFile(filepath.Join(c.dir, "meta.json")); err == nil {
		json.Unmarshal(b, &meta)
	}
	c.tokens = meta.Placeholders
	return job, wf, nil
}
