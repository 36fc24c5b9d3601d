// Package gendef generates large state machines for benchmarks and tests.
package gendef

import (
	"fmt"
	"strings"
)

// Chain generates a state machine of n states that cycles through Task,
// Pass, Choice and Wait states with the usual data-flow fields, Retry and
// Catch, the shape of a large real workflow.
func Chain(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"Comment": "generated", "StartAt": "S0", "States": {`)
	for i := 0; i < n; i++ {
		next := fmt.Sprintf(`"Next": "S%d"`, i+1)
		if i == n-1 {
			next = `"End": true`
		}
		if i > 0 {
			b.WriteString(",\n")
		}
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, `"S%d": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:`+
				`123456789012:function:F%d", "InputPath": "$.in", "Parameters": {"id.$": "$.id",`+
				` "msg.$": "States.Format('item {}', $.id)", "fixed": [1, 2, {"a": null}]},`+
				` "ResultSelector": {"r.$": "$.Payload"}, "ResultPath": "$.out%d",`+
				` "Retry": [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 2,`+
				` "MaxAttempts": 3, "BackoffRate": 1.5}], "Catch": [{"ErrorEquals":`+
				` ["States.ALL"], "Next": "Failed", "ResultPath": "$.error"}], %s}`, i, i, i, next)
		case 1:
			fmt.Fprintf(&b, `"S%d": {"Type": "Pass", "Result": {"step": %d}, `+
				`"ResultPath": "$.pass", %s}`, i, i, next)
		case 2:
			fmt.Fprintf(&b, `"S%d": {"Type": "Choice", "Choices": [{"And": [{"Variable":`+
				` "$.n", "NumericGreaterThan": %d}, {"Variable": "$.s", "StringMatches":`+
				` "a*"}], "Next": "S%d"}], "Default": "S%d"}`, i, i, i+1, i+1)
		default:
			fmt.Fprintf(&b, `"S%d": {"Type": "Wait", "SecondsPath": "$.wait", %s}`, i, next)
		}
	}
	b.WriteString(`, "Failed": {"Type": "Fail", "Error": "Failed", "CausePath": "$.error.Cause"}}}`)
	return []byte(b.String())
}
