// Package match compares the outcome of an execution with the outcome
// AWS recorded, where the recorded one may hold placeholder tokens that
// stand for values that change from run to run (see the README of the
// conformance sets).
package match

import (
	"encoding/json"
	"regexp"
	"strings"
)

// JSON reports whether got equals want, where a string of want that
// holds placeholder tokens matches any text in their place.
func JSON(want, got any, tokens []string) bool {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for k, v := range w {
			if gv, ok := g[k]; !ok || !JSON(v, gv, tokens) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !JSON(w[i], g[i], tokens) {
				return false
			}
		}
		return true
	case string:
		return String(w, got, tokens)
	case json.Number:
		g, ok := got.(json.Number)
		return ok && w == g
	}
	return want == got
}

// String matches an expected string that may hold placeholder
// tokens with a value: a string, or another value as its JSON text.
func String(want string, got any, tokens []string) bool {
	g, ok := got.(string)
	if !ok {
		b, _ := json.Marshal(got)
		g = string(b)
	}
	if want == g {
		return true
	}
	pattern := regexp.QuoteMeta(want)
	found := false
	for _, tok := range tokens {
		q := regexp.QuoteMeta(tok)
		if strings.Contains(pattern, q) {
			pattern, found = strings.ReplaceAll(pattern, q, "(?s:.*)"), true
		}
	}
	return found && regexp.MustCompile("^"+pattern+"$").MatchString(g)
}
