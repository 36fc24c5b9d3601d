// Command jlgen converts serverless workflow definitions (AWS Step
// Functions state machines and Alibaba Serverless Workflow flows) into Go
// code in which every function orchestrates itself, and runs them.
//
// Usage:
//
//	jlgen check FILE...
//	jlgen convert FILE [-o DIR] [--package NAME] [--import-path PATH] [--config jlgen.yaml]
//	jlgen diff FILE [-o DIR] [--package NAME] [--import-path PATH] [--config jlgen.yaml]
//	jlgen run FILE [--input JSON | --input-file F] [--task NAME=CMD]... [--replay F]
//	          [--trace] [--stats] [--chaos SPEC] [--real-time] [--config jlgen.yaml]
//	jlgen test [--chaos SPEC] DIR...
//	jlgen schema
//
// Check parses each definition (Amazon States Language in JSON or YAML,
// JSONPath or JSONata; Alibaba's flow format or CloudFlow, also embedded in
// deployment templates) and reports every problem it finds as
// FILE:LINE:COL: message, followed by a count.
//
// Convert writes the Go package of a definition into DIR (by default named
// after the file): a Tasks interface with one method per Task state, one
// function per function unit with its continuation, the compiled states,
// DefaultTasks, which calls the resources the definition names, and the
// entrypoints lambda/ (AWS Lambda) and fc/ (Function Compute custom
// runtime), which embed the config and start shim/cloud, and deploy/: an
// AWS SAM template, a Serverless Devs s.yaml and a build script. The
// import path comes from the go.mod above DIR. The config file places
// states on clouds, sets the failover order and configures each cloud's
// store, blobs and invoker; without it every state runs on the cloud
// "aws". Deployed, DefaultTasks calls Lambda functions (by ARN or through
// lambda:invoke, request-response) and Function Compute functions; convert
// notes on stderr, as FILE:LINE:COL: note: ..., each Task state whose
// resource it does not call yet (a nested state machine, an activity,
// another service, a callback, a deployment placeholder), whose method the
// user implements in Tasks of their own. Diff regenerates in memory and
// prints a unified diff against DIR, deploy/ included.
//
// Run generates, builds and runs the workflow on the embedded jointcloud,
// and prints the output. Task states run a shell command given with
// --task (the state input as JSON on stdin, the output as JSON on stdout,
// a non-zero exit fails the task; NAME * binds every state) or replay the
// recorded results of --replay. --trace prints the execution history as
// JSON lines on stderr; --stats prints, as the last line on stderr, what
// the execution cost: store reads and writes, invocations in all and per
// cloud, failovers, bytes moved and the makespan in virtual milliseconds.
// Wait states and retry backoffs take virtual time unless --real-time.
//
// --chaos injects faults, reproducibly from a seed:
// "seed=N,crash=P,dup=P,store=P,outage=CLOUD:FROM-TO" crashes functions at
// each step of the protocol with probability P, delivers invocations twice,
// fails store operations, and makes CLOUD refuse invocations between FROM
// and TO virtual seconds, so that they fail over to the next cloud. The
// outcome must be the one a fault-free run gives; jlgen test --chaos also
// prints how many faults it injected.
//
// Test runs every case folder below each DIR (definition.asl.json,
// input.json, expected.json, and optionally replay.json and meta.json, as
// in ../shared/conformance), builds them all at once, prints each failing
// case with what differs, then "N passed, M failed".
//
// Schema prints the JSON Schema of the config file.
//
// Exit codes: 0 success; 1 the definitions have problems, the directory is
// stale, the execution failed or a case failed; 2 usage error or, for run,
// a bad definition.
package main
