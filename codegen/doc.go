// Package codegen turns a checked workflow into the Go package that users
// commit: a Tasks interface with one method per Task state, one function
// per function unit with its continuation written out as straight-line Go,
// the compiled states, default task adapters that call the existing
// resources, and an entrypoint per cloud.
//
// Generate is a pure function from the IR to a list of files sorted by
// path; only the jlgen command writes them. Its output is byte-for-byte
// deterministic and gofmt'ed, so that users review regenerations as
// golden diffs.
package codegen
