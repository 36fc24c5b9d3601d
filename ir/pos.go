package ir

import (
	"fmt"
	"sort"
	"strings"
)

// Pos is a position in a definition file. Line and Col count from 1; Col
// counts bytes, as the Go compiler's diagnostics do. The zero Pos means
// the position is unknown.
type Pos struct {
	Line int32
	Col  int32
}

// IsValid reports whether the position is known.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String formats the position as LINE:COL.
func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// Diagnostic is one problem found in a definition.
type Diagnostic struct {
	File string
	Pos  Pos
	Msg  string
}

// String formats the diagnostic as FILE:LINE:COL: message.
func (d Diagnostic) String() string {
	if !d.Pos.IsValid() {
		return d.File + ": " + d.Msg
	}
	return fmt.Sprintf("%s:%d:%d: %s", d.File, d.Pos.Line, d.Pos.Col, d.Msg)
}

// Diagnostics is a list of problems; as an error it prints one per line.
type Diagnostics []Diagnostic

// Error returns every diagnostic, one per line.
func (ds Diagnostics) Error() string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

// Sort orders the diagnostics by file and position, keeping the order of
// diagnostics at the same position.
func (ds Diagnostics) Sort() {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		return a.Pos.Col < b.Pos.Col
	})
}

// Errorf returns a diagnostic at pos.
func Errorf(file string, pos Pos, format string, args ...any) Diagnostic {
	return Diagnostic{File: file, Pos: pos, Msg: fmt.Sprintf(format, args...)}
}
