// Command jlgen converts serverless workflow definitions (AWS Step
// Functions state machines and Alibaba Serverless Workflow flows) into Go
// code in which every function orchestrates itself.
//
// Usage:
//
//	jlgen check FILE...
//
// Check parses each definition (Amazon States Language in JSON or YAML,
// JSONPath or JSONata; Alibaba's flow format or CloudFlow) and reports
// every problem it finds as FILE:LINE:COL: message, followed by a count.
// It prints nothing and exits 0 when every file is valid, exits 1 when
// any file has a problem, and exits 2 on a usage error.
//
// Exit codes: 0 success, 1 the definitions have problems, 2 usage error.
package main
