package runtime

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

func TestFunctionID(t *testing.T) {
	for unit, want := range map[string]string{
		"start":           "start",
		"task:Charge":     "task-Charge",
		"branch:Enrich:0": "branch-Enrich-0",
		"task:snake_case": "task-snake_case",
	} {
		if got := FunctionID(unit); got != want {
			t.Errorf("FunctionID(%q) = %q, want %q", unit, got, want)
		}
	}
	valid := regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)
	units := []string{"task:Charge", "task:Charge card", "task:Charge_card", "task:Charge-card",
		"task:Chargé", "task:" + strings.Repeat("x", 80), "task:" + strings.Repeat("x", 81),
		"task:" + strings.Repeat("x", 46), "task:" + strings.Repeat("x", 47), "", "9", ":",
		"task:a:b", "task:a-b", "task:a_b", "item:Map:ρ", "item:Map:σ", "task:\n", "task:*/"}
	for i := range 50 {
		units = append(units, fmt.Sprintf("branch:P:%d", i))
	}
	seen := map[string]string{}
	for _, u := range units {
		id := FunctionID(u)
		if !valid.MatchString(id) || len(id) > MaxFunctionID {
			t.Errorf("FunctionID(%q) = %q: not a valid function name part", u, id)
		}
		if other, ok := seen[id]; ok {
			t.Errorf("FunctionID(%q) = FunctionID(%q) = %q", u, other, id)
		}
		seen[id] = u
		if FunctionID(u) != id {
			t.Errorf("FunctionID(%q) is not stable", u)
		}
	}
}
