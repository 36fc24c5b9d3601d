// Package asl parses Amazon States Language definitions, JSON or YAML, in
// both query languages (JSONPath and JSONata), into the IR.
//
// Parse checks every field of every state against the States Language as
// AWS Step Functions runs it today: which fields each state type takes in
// each query language, their types and ranges, and the syntax of every
// path, payload template, intrinsic call, Choice rule and JSONata
// expression, which it parses with runtime/expr. It reports every problem
// it finds, each with its file, line and column, and never stops at the
// first. Graph-level checks (targets, reachability, terminal states) are
// ir.Check's.
package asl
