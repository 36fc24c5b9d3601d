package codegen

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/runtime/expr"
)

// lambdaInvokeSuffix ends the resource of Step Functions' request-response
// Lambda integration, the only form of lambda:invoke shim/aws calls.
const lambdaInvokeSuffix = ":states:::lambda:invoke"

// lambdaName matches what Lambda's Invoke takes as FunctionName and a
// policy can name: a name, an account and name, or a function's ARN,
// each with an optional version or alias.
var lambdaName = regexp.MustCompile(`^(arn:[a-z-]+:lambda:[a-z0-9-]+:[0-9]+:function:|` +
	`[0-9]+:function:)?[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$`)

// taskFunctions returns the ARNs, literal or Fn::Sub forms, of the
// existing Lambda functions that the Task state of u calls through
// shim/aws (its Resources): a function ARN as the resource, or the
// FunctionName of lambda:invoke, which a Qualifier parameter extends to
// the function's versions and aliases (":*"). unnamed reports a Lambda
// function the template cannot name: a FunctionName computed at run time,
// or a deployment placeholder.
func taskFunctions(u *ir.Unit) (arns []any, unnamed bool) {
	if u.Kind != ir.UnitTask || u.State == nil || u.State.Task == nil {
		return nil, false
	}
	t := u.State.Task
	var name string
	qualifier := false
	switch {
	case t.Kind == ir.ResourceLambda:
		name = t.Resource
	case t.Kind == ir.ResourceLambdaInvoke && strings.HasSuffix(t.Resource, lambdaInvokeSuffix):
		params := u.State.Flow.Parameters
		if u.State.QueryLanguage == ir.JSONata {
			params = u.State.Flow.Arguments
		}
		name, _ = templateField(params, "FunctionName")
		_, qualifier = templateField(params, "Qualifier")
	default:
		return nil, false
	}
	if !lambdaName.MatchString(name) || strings.Contains(name, "${") {
		return nil, true
	}
	forms := []string{name}
	if colons := strings.Count(name, ":"); qualifier && colons%2 == 0 {
		forms = append(forms, name+":*") // unqualified: 0, 2 or 6 colons
	}
	for _, f := range forms {
		switch {
		case strings.HasPrefix(f, "arn:"):
			arns = append(arns, f)
		case strings.Contains(f, ":function:"):
			arns = append(arns, sub("arn:${AWS::Partition}:lambda:${AWS::Region}:"+f))
		default:
			arns = append(arns, sub(samFunctionARNPrefix+f))
		}
	}
	return arns, false
}

// templateField returns the string that the object template t gives the field
// name literally ("" when it computes it), and whether t has the field.
func templateField(t *expr.Template, name string) (string, bool) {
	if t == nil || t.Kind != expr.TemplateObject {
		return "", false
	}
	for _, f := range t.Fields {
		if f.Name != name {
			continue
		}
		s := ""
		if f.Value != nil && f.Value.Kind == expr.TemplateLiteral {
			s, _ = f.Value.Literal.(string)
		}
		return s, true
	}
	return "", false
}

// unnamedTaskFunctions returns the names of the states placed on AWS
// whose Task calls a Lambda function the template cannot name.
func unnamedTaskFunctions(units []deployUnit) []string {
	var out []string
	for _, d := range units {
		if _, unnamed := taskFunctions(d.unit); unnamed && d.on(cloudAWS) {
			out = append(out, d.unit.State.Name)
		}
	}
	return out
}

// unnamedHeader tells, in the template's header, which states call a
// Lambda function their roles cannot name, and what to add.
func unnamedHeader(states []string) string {
	quoted := make([]string, len(states))
	for i, s := range states {
		quoted[i] = strconv.Quote(s)
	}
	subject := "The Task state " + quoted[0] + " calls a Lambda function"
	if len(states) > 1 {
		subject = "The Task states " + actionList(quoted) + " call Lambda functions"
	}
	return subject + " known only at run time (a computed FunctionName or a " +
		"placeholder), which no role names: add lambda:InvokeFunction on it to the " +
		"state's role."
}

// callsResource reports whether a unit with a function on cloud runs a
// Task state whose resource is of one of kinds: that function's
// credentials must allow the call.
func callsResource(units []deployUnit, cloud string, kinds ...ir.ResourceKind) bool {
	for _, d := range units {
		u := d.unit
		if d.on(cloud) && u.Kind == ir.UnitTask && u.State.Task != nil &&
			slices.Contains(kinds, u.State.Task.Kind) {
			return true
		}
	}
	return false
}
