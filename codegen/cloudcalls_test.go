package codegen

import (
	"testing"

	"github.com/jointlambda/jlgen/ir"
)

func TestCloudCalls(t *testing.T) {
	for _, c := range []struct {
		kind     ir.ResourceKind
		resource string
		want     bool
	}{
		{ir.ResourceLambda, "arn:aws:lambda:us-east-1:123456789012:function:f", true},
		{ir.ResourceLambda, "arn:aws:lambda:us-east-1:123456789012:function:f:live", true},
		{ir.ResourceLambdaInvoke, "arn:aws:states:::lambda:invoke", true},
		{ir.ResourceLambdaInvoke, "arn:aws-cn:states:::lambda:invoke", true},
		{ir.ResourceLambdaInvoke, "arn:aws:states:::lambda:invoke.waitForTaskToken", false},
		{ir.ResourceFC, "acs:fc:cn-hangzhou:123:functions/f", true},
		{ir.ResourceFC, "acs:fc:${Region}:123:functions/f", false},
		{ir.ResourceLambda, "arn:aws:lambda:${AWS::Region}:123456789012:function:f", false},
		{ir.ResourceOpaque, "${OrderFunctionArn}", false},
		{ir.ResourceStepFunctions, "arn:aws:states:::states:startExecution.sync:2", false},
		{ir.ResourceActivity, "arn:aws:states:us-east-1:123456789012:activity:a", false},
		{ir.ResourceService, "arn:aws:states:::sns:publish", false},
	} {
		ok, why := CloudCalls(&ir.Task{Kind: c.kind, Resource: c.resource})
		if ok != c.want || (why == "") != ok {
			t.Errorf("CloudCalls(%s %s) = %v %q, want %v and a reason exactly when not",
				c.kind, c.resource, ok, why, c.want)
		}
	}
}
