// Package expr owns every language that lives inside a workflow definition:
// Amazon States Language paths and reference paths, payload templates with
// the ".$" convention, the intrinsic functions, Choice rules, JSONata
// expressions, and Alibaba's mappings and conditions.
//
// Each language has a parser and an evaluator here and nowhere else. The
// definition parsers call the parsers to check a definition, the IR keeps
// what they returned, and generated code evaluates exactly those trees at
// run time.
package expr
