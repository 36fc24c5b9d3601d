package codegen

import (
	"fmt"
	"strings"

	"github.com/jointlambda/jlgen/ir"
)

// CloudCalls reports whether the DefaultTasks method of the Task t calls
// its resource when the workflow is deployed: shim/cloud calls Lambda
// functions (by ARN, or through lambda:invoke in its request-response
// form) and Function Compute functions, and refuses every other resource
// with an error that names it. When it does not, why says why, for a
// note to the user.
func CloudCalls(t *ir.Task) (ok bool, why string) {
	if strings.Contains(t.Resource, "${") {
		return false, "it holds a deployment placeholder, which nothing substitutes in the " +
			"generated code"
	}
	switch t.Kind {
	case ir.ResourceLambda, ir.ResourceFC:
		return true, ""
	case ir.ResourceLambdaInvoke:
		if strings.HasSuffix(t.Resource, lambdaInvokeSuffix) {
			return true, ""
		}
		return false, "only the request-response form of lambda:invoke is called"
	case ir.ResourceStepFunctions:
		return false, "nested state machines are not called yet"
	case ir.ResourceActivity:
		return false, "activities are not called yet"
	case ir.ResourceService:
		return false, "service integrations are not called yet"
	}
	return false, fmt.Sprintf("resources of kind %q are not called", t.Kind)
}

// UncalledTask is a Task state whose DefaultTasks method fails when the
// workflow is deployed (see CloudCalls): the user implements it.
type UncalledTask struct {
	State    string
	Resource string
	Pos      ir.Pos
	Why      string
}

// UncalledTasks returns the Task states of wf whose resource the cloud
// shims do not call, in definition order.
func UncalledTasks(wf *ir.Workflow) []UncalledTask {
	var out []UncalledTask
	ir.Walk(wf.Graph, func(_ *ir.Graph, s *ir.State) {
		if s.Type != ir.TypeTask || s.Task == nil {
			return
		}
		if ok, why := CloudCalls(s.Task); !ok {
			out = append(out, UncalledTask{State: s.Name, Resource: s.Task.Resource,
				Pos: s.Task.ResourcePos, Why: why})
		}
	})
	return out
}
