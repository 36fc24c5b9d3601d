package fdl

import "github.com/jointlambda/jlgen/parser/source"

// Format is the kind of document an Alibaba definition file holds.
type Format int

// The formats Detect recognises.
const (
	FormatUnknown   Format = iota
	FormatFlow             // the flow format: type flow, steps
	FormatCloudFlow        // CloudFlow: Type StateMachine, States
	FormatTemplate         // a deployment template that may embed definitions
)

var formatNames = [...]string{"unknown", "flow", "cloudflow", "template"}

// String names the format.
func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return "unknown"
}

// Detect tells what kind of document n is. A flow has a steps list and
// type flow or a version; a CloudFlow definition has Type StateMachine or
// a States list; a template has ROSTemplateFormatVersion, Resources or
// services (Serverless Devs).
func Detect(n *source.Node) (Format, bool) {
	if n == nil || n.Kind != source.Object {
		return FormatUnknown, false
	}
	if isFlow(n) {
		return FormatFlow, true
	}
	if isCloudFlow(n) {
		return FormatCloudFlow, true
	}
	for _, k := range []string{"ROSTemplateFormatVersion", "Resources", "services"} {
		if n.Get(k) != nil {
			return FormatTemplate, true
		}
	}
	return FormatUnknown, false
}

func isFlow(n *source.Node) bool {
	steps := n.Get("steps")
	if steps == nil {
		return false
	}
	if t := n.Get("type"); t != nil {
		return t.Value.Kind == source.String && t.Value.Text == "flow"
	}
	return n.Get("version") != nil
}

func isCloudFlow(n *source.Node) bool {
	if t := n.Get("Type"); t != nil && t.Value.Kind == source.String &&
		t.Value.Text == "StateMachine" {
		return true
	}
	states := n.Get("States")
	return states != nil && states.Value.Kind == source.Array && n.Get("StartAt") != nil
}
