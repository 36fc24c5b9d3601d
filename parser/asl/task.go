package asl

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/source"
)

// maxSeconds is the largest TimeoutSeconds and HeartbeatSeconds AWS takes.
const maxSeconds = 99999999

func (p *parser) task(s *ir.State, n *source.Node) {
	t := &ir.Task{}
	s.Task = t
	if m := n.Get("Resource"); m == nil {
		p.errorf(s.Pos, "a Task state needs Resource")
	} else if m.Value.Kind == source.Object {
		// A deployment template's function, such as {"Fn::GetAtt": [...]}:
		// the resource is only known once the template is deployed.
		t.Resource, t.ResourcePos = deploymentText(m.Value), m.Value.Pos
		t.Kind = ir.ResourceOpaque
	} else if r, ok := p.nonEmpty(m.Value, "Resource"); ok {
		t.Resource, t.ResourcePos = r, m.Value.Pos
		t.Kind = p.resourceKind(m.Value)
	}
	t.TimeoutSeconds = p.seconds(s, n, "TimeoutSeconds", 1, maxSeconds)
	t.HeartbeatSeconds = p.seconds(s, n, "HeartbeatSeconds", 1, maxSeconds)
	if to, hb := t.TimeoutSeconds, t.HeartbeatSeconds; to != nil && hb != nil &&
		to.Path == nil && to.JSONata == nil && hb.Path == nil && hb.JSONata == nil &&
		hb.Value >= to.Value {
		p.errorf(hb.Pos, "HeartbeatSeconds (%d) must be smaller than TimeoutSeconds (%d)",
			hb.Value, to.Value)
	}
	if m := n.Get("Credentials"); m != nil {
		if p.object(m.Value, "Credentials") {
			t.Credentials = p.template(m.Value, "Credentials", s.QueryLanguage)
		}
	}
}

// placeholder matches a deployment-time substitution: ${Name}, ${AWS::Region}.
var placeholder = regexp.MustCompile(`\$\{[^{}]*\}`)

// resourceKind classifies a Task resource. Deployment placeholders are
// opaque: the resource is only known once the template is deployed.
func (p *parser) resourceKind(n *source.Node) ir.ResourceKind {
	r := n.Text
	rest := placeholder.ReplaceAllString(r, "")
	if strings.Contains(rest, "${") {
		p.errorf(n.Pos, "Resource %q has an unterminated ${...} placeholder", r)
	}
	switch {
	case strings.HasPrefix(r, "arn:") && strings.Contains(r, ":states:::lambda:invoke"):
		return ir.ResourceLambdaInvoke
	case strings.HasPrefix(r, "arn:") && strings.Contains(r, ":states:::states:startExecution"):
		return ir.ResourceStepFunctions
	case strings.HasPrefix(r, "arn:") && strings.Contains(r, ":lambda:") &&
		strings.Contains(r, ":function:"):
		return ir.ResourceLambda
	case strings.HasPrefix(r, "arn:") && strings.Contains(r, ":activity:"):
		return ir.ResourceActivity
	case strings.HasPrefix(r, "acs:fc:"):
		return ir.ResourceFC
	case rest == "" || strings.HasPrefix(r, "${"):
		return ir.ResourceOpaque
	}
	return ir.ResourceService
}

// seconds reads a number of seconds given as FIELD (an integer, or a
// JSONata expression in JSONata mode) or as FIELDPath (a path).
func (p *parser) seconds(s *ir.State, n *source.Node, field string, lo, hi int64) *ir.IntOrExpr {
	if m := n.Get(field); m != nil {
		v := &ir.IntOrExpr{Pos: m.Value.Pos}
		if s.QueryLanguage == ir.JSONata && isJSONata(m.Value) {
			v.JSONata = p.jsonata(m.Value, field)
			return v
		}
		if isPlaceholder(m.Value) {
			v.Placeholder = m.Value.Text
			return v
		}
		var ok bool
		if v.Value, ok = p.intIn(m.Value, field, lo, hi); !ok {
			return nil
		}
		return v
	}
	if m := n.Get(field + "Path"); m != nil && s.QueryLanguage == ir.JSONPath {
		v := &ir.IntOrExpr{Pos: m.Value.Pos, Path: p.path(m.Value, field+"Path")}
		if v.Path == nil {
			return nil
		}
		return v
	}
	return nil
}

// isPlaceholder reports whether n is a string made only of deployment
// placeholders, such as "${ReminderTimeout}", standing for a value that
// is filled in when the template is deployed.
func isPlaceholder(n *source.Node) bool {
	return n.Kind == source.String && n.Text != "" &&
		placeholder.ReplaceAllString(n.Text, "") == ""
}

// deploymentText renders a deployment template's function as JSON text.
func deploymentText(n *source.Node) string {
	b, err := json.Marshal(n.Value())
	if err != nil {
		return n.Kind.String()
	}
	return string(b)
}
