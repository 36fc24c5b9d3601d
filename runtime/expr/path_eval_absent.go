package expr

import (
	"fmt"
	"strings"
)

// Absence words why a path that selects nothing in root found nothing, as
// AWS ends its "Invalid path" causes: "Missing property in path $['a']"
// when a member before the last step is missing, "No results for path:
// $['a']['b']" otherwise.
func (p *Path) Absence(root any) string {
	node := root
	for i := range p.steps {
		st := &p.steps[i]
		if !st.definite() || st.kind != stepField {
			break
		}
		m, ok := node.(map[string]any)
		if !ok {
			break
		}
		next, ok := m[st.names[0]]
		if !ok && i < len(p.steps)-1 {
			return "Missing property in path " + normalSteps(p.steps[:i+1])
		}
		if !ok {
			break
		}
		node = next
	}
	return "No results for path: " + normalSteps(p.steps)
}

// normalSteps writes steps in the normalized notation of AWS's messages:
// $['a'][0]['b'].
func normalSteps(steps []step) string {
	var b strings.Builder
	b.WriteString("$")
	for i := range steps {
		st := &steps[i]
		switch {
		case st.kind == stepField && len(st.names) == 1:
			fmt.Fprintf(&b, "['%s']", st.names[0])
		case st.kind == stepIndex && len(st.indexes) == 1:
			fmt.Fprintf(&b, "[%d]", st.indexes[0])
		case st.kind == stepWildcard:
			b.WriteString("[*]")
		default:
			return b.String()
		}
	}
	return b.String()
}
