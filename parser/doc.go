// Package parser reads a workflow definition in any dialect jlgen knows and
// returns its IR: it decodes the file, recognises the dialect, and hands
// the document to parser/asl or parser/fdl.
package parser
