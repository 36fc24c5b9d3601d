package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/jointlambda/jlgen/internal/match"

	"github.com/jointlambda/jlgen/shim/local/driver"
)

// summarize compares each case's outcome with its expected one, prints
// the failures, then the closing line, and returns the exit code.
func summarize(cases []*testCase, w io.Writer) int {
	passed, failed := 0, 0
	for _, c := range cases {
		if c.verdict == "" {
			passed++
			continue
		}
		failed++
		fmt.Fprintf(w, "--- FAIL: %s\n%s\n", c.name, indent(c.verdict))
	}
	fmt.Fprintf(w, "%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return 1
	}
	return 0
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

// compare returns why the outcome differs from the expected one, or "".
func (c *testCase) compare(o *driver.Outcome) string {
	e := &c.expected
	if o.Failure != "" {
		return "the execution did not finish: " + o.Failure
	}
	status := e.Status
	if status == "TIMED_OUT" {
		status = "FAILED"
	}
	if o.Status != status {
		return fmt.Sprintf("status: want %s, got %s%s", e.Status, o.Status, gotDetail(o))
	}
	if status == "SUCCEEDED" {
		return c.compareOutput(o.Output)
	}
	if e.Error != nil && *e.Error != o.Error {
		return fmt.Sprintf("error: want %q, got %q (cause %q)", *e.Error, o.Error, o.Cause)
	}
	if len(e.Cause) > 0 && !c.causeMatches(o.Cause) {
		return fmt.Sprintf("cause:\n  want %s\n  got  %q", e.Cause, o.Cause)
	}
	return ""
}

func gotDetail(o *driver.Outcome) string {
	if o.Status == "FAILED" {
		return fmt.Sprintf(" (%s: %s)", o.Error, truncate(o.Cause))
	}
	return " " + truncate(string(o.Output))
}

func truncate(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}

func (c *testCase) compareOutput(got json.RawMessage) string {
	e := &c.expected
	if e.RawText {
		var want string
		json.Unmarshal(e.Output, &want)
		if match.String(want, strings.TrimSpace(string(got)), c.tokens) {
			return ""
		}
		return fmt.Sprintf("output:\n  want %s\n  got  %s", truncate(want), truncate(string(got)))
	}
	wv, err1 := decodeValue(e.Output)
	gv, err2 := decodeValue(got)
	if err1 == nil && err2 == nil && match.JSON(wv, gv, c.tokens) {
		return ""
	}
	return fmt.Sprintf("output:\n  want %s\n  got  %s", truncate(string(e.Output)),
		truncate(string(got)))
}

// causeMatches compares a cause: a JSON object is compared as a value,
// anything else as text.
func (c *testCase) causeMatches(got string) bool {
	var want any
	if v, err := decodeValue(c.expected.Cause); err == nil {
		want = v
	}
	if s, ok := want.(string); ok {
		return match.String(s, got, c.tokens)
	}
	gv, err := decodeValue([]byte(got))
	return err == nil && match.JSON(want, gv, c.tokens)
}

func decodeValue(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}
