// Package ir is the one workflow graph that every dialect parses into:
// Amazon States Language in JSONPath or JSONata mode, Alibaba's flow
// format and CloudFlow. Every node keeps the position it came from, every
// expression is already parsed by runtime/expr, and Check finds every
// semantic problem of a workflow in one run.
package ir
