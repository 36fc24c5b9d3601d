package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/jointlambda/jlgen/internal/shared"
)

// knownFailures is the list of recorded cases jlgen does not agree with
// yet, one per line: the case name, a tab, and the reason.
const knownFailures = "testdata/conformance-known-failures.txt"

// TestConformance runs the executions recorded against AWS through the
// same pipeline as jlgen test: every case must pass except those listed in
// knownFailures, and a listed case that passes must leave the list. It
// reports the counts per area.
func TestConformance(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs every recorded case")
	}
	dirs := []string{shared.Dir(t, "conformance"), shared.Dir(t, "conformance-tasks")}
	cases, err := collectCases(dirs)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := runCases(cases, "", io.Discard); err != nil {
		t.Fatal(err)
	}
	if *updateKnown {
		writeKnownFailures(t, cases)
		return
	}
	known := readKnownFailures(t)
	type count struct{ passed, total int }
	areas := map[string]*count{}
	for _, c := range cases {
		area := strings.Join(strings.SplitN(c.name, "/", 3)[:2], "/")
		if areas[area] == nil {
			areas[area] = &count{}
		}
		areas[area].total++
		_, listed := known[c.name]
		switch {
		case c.verdict == "":
			areas[area].passed++
			if listed {
				t.Errorf("%s passes now: remove it from %s", c.name, knownFailures)
			}
		case !listed:
			t.Errorf("%s fails:\n%s", c.name, indent(c.verdict))
		}
	}
	names := make([]string, 0, len(areas))
	passed := 0
	for a, n := range areas {
		names = append(names, a)
		passed += n.passed
	}
	sort.Strings(names)
	for _, a := range names {
		n := areas[a]
		t.Logf("%-40s %3d of %3d passed (%.1f%%)", a, n.passed, n.total,
			100*float64(n.passed)/float64(n.total))
	}
	t.Logf("conformance: %d of %d recorded executions passed; %d known failures",
		passed, len(cases), len(known))
}

var updateKnown = flag.Bool("update-known", false,
	"rewrite the known conformance failures with the cases failing now")

// writeKnownFailures lists the failing cases, each with the first line of
// why it fails.
func writeKnownFailures(t *testing.T, cases []*testCase) {
	var b strings.Builder
	b.WriteString(knownHeader)
	for _, c := range cases {
		if c.verdict != "" {
			why, _, _ := strings.Cut(c.verdict, "\n")
			fmt.Fprintf(&b, "%s\t%s\n", c.name, why)
		}
	}
	if err := os.WriteFile(filepath.FromSlash(knownFailures), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

const knownHeader = `# Recorded AWS executions that jlgen does not agree with yet: the case
# name, a tab, and why. TestConformance fails when a case not listed here
# fails, and when a listed case passes; -update-known rewrites the list.
`

func readKnownFailures(t *testing.T) map[string]string {
	f, err := os.Open(filepath.FromSlash(knownFailures))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	known := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, reason, _ := strings.Cut(line, "\t")
		known[name] = reason
	}
	return known
}

// TestConformanceChaos runs the recorded executions again under chaos:
// crashes at every protocol step, duplicate deliveries, store errors and
// an outage of aws for the first simulated hour. Every case that passes
// without faults must pass with them, with the same outcome.
func TestConformanceChaos(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs every recorded case")
	}
	dirs := []string{shared.Dir(t, "conformance"), shared.Dir(t, "conformance-tasks")}
	cases, err := collectCases(dirs)
	if err != nil {
		t.Fatal(err)
	}
	known := readKnownFailures(t)
	const chaos = "seed=7,crash=0.2,dup=0.2,store=0.02,outage=aws:0-3600"
	faults, err := runCases(cases, chaos, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	passed := 0
	for _, c := range cases {
		if _, listed := known[c.name]; listed {
			continue
		}
		if c.verdict != "" {
			t.Errorf("%s fails under chaos:\n%s", c.name, indent(c.verdict))
			continue
		}
		passed++
	}
	t.Logf("chaos %s: %d recorded executions passed; %d faults injected (%d crashes, "+
		"%d duplicates, %d refusals, %d store errors)", chaos, passed, faults.Total(),
		faults.Crashes, faults.Duplicates, faults.Refusals, faults.StoreErrors)
}
