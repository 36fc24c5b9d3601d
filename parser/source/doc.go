// Package source decodes a definition file, JSON or YAML, into a tree of
// nodes that remember the line and column each value came from, so that
// every later diagnostic can point at the exact place in the file.
package source
