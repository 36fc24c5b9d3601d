package fdl

import (
	"bytes"
	"errors"
	"strings"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/source"
)

// Embedded is a flow or CloudFlow definition found inside a deployment
// template, decoded and with positions that point into the template.
type Embedded struct {
	// Name is the dotted path of keys to the definition's owner, such as
	// "Resources.UnzipFlow" or "services.flow.props".
	Name   string
	Pos    ir.Pos
	Format Format
	Root   *source.Node
}

// FindEmbedded returns every definition embedded in a decoded template:
// the value of each Definition or definition key that is a definition
// object, a string holding one, or such a string under Fn::Sub, Fn::Replace
// or a !Sub tag. data is the template's text, which maps the positions of
// a string's document back to the template. Definitions that fail to
// decode are reported, at their position in the template.
func FindEmbedded(file string, data []byte, root *source.Node) ([]*Embedded, ir.Diagnostics) {
	f := &finder{p: &parser{file: file}, lines: bytes.Split(data, []byte("\n"))}
	f.walk(root, nil, 0)
	return f.found, f.p.diags
}

type finder struct {
	p     *parser
	lines [][]byte
	found []*Embedded
}

func (f *finder) walk(n *source.Node, path []string, depth int) {
	if n == nil || depth > 64 {
		return
	}
	for i := range n.Members {
		m := &n.Members[i]
		if m.Key == "Definition" || m.Key == "definition" {
			if f.definition(m.Value, strings.Join(path, ".")) {
				continue
			}
		}
		f.walk(m.Value, append(path, m.Key), depth+1)
	}
	for _, it := range n.Items {
		f.walk(it, path, depth+1)
	}
}

// definition records the definition held by v, if it holds one.
func (f *finder) definition(v *source.Node, name string) bool {
	if format, ok := Detect(v); ok && format != FormatTemplate {
		f.found = append(f.found, &Embedded{Name: name, Pos: v.Pos, Format: format, Root: v})
		return true
	}
	text := definitionText(v)
	if text == nil || !looksLikeDefinition(text.Text) {
		return false
	}
	lines, cols := f.offset(text)
	doc, _, err := source.Decode([]byte(text.Text))
	if err != nil {
		var se *source.SyntaxError
		pos := text.Pos
		msg := err.Error()
		if errors.As(err, &se) {
			pos = ir.Pos{Line: se.Pos.Line + lines, Col: se.Pos.Col + cols}
			msg = se.Msg
		}
		f.p.errorf(pos, "definition %s: %s", name, msg)
		return true
	}
	format, ok := Detect(doc)
	if !ok || format == FormatTemplate {
		return false
	}
	doc.Shift(lines, cols)
	f.found = append(f.found, &Embedded{Name: name, Pos: text.Pos, Format: format, Root: doc})
	return true
}

// looksLikeDefinition reports whether a string may hold a definition, so
// that other strings under a Definition key are not decoded.
func looksLikeDefinition(s string) bool {
	return strings.Contains(s, "steps") || strings.Contains(s, "States")
}

// definitionText unwraps the string that holds a definition.
func definitionText(v *source.Node) *source.Node {
	switch v.Kind {
	case source.String:
		if rest, ok := strings.CutPrefix(v.Text, "!Sub "); ok {
			return &source.Node{Kind: source.String, Pos: v.Pos, Text: rest}
		}
		return v
	case source.Object:
		if len(v.Members) != 1 {
			return nil
		}
		m := v.Members[0]
		switch m.Key {
		case "Fn::Sub", "!Sub":
			if m.Value.Kind == source.Array && len(m.Value.Items) > 0 {
				return stringNode(m.Value.Items[0])
			}
			return stringNode(m.Value)
		case "Fn::Replace":
			if m.Value.Kind == source.Array && len(m.Value.Items) == 2 {
				return stringNode(m.Value.Items[1])
			}
		}
	}
	return nil
}

func stringNode(n *source.Node) *source.Node {
	if n.Kind == source.String {
		return n
	}
	return nil
}

// offset finds where the text of a block string starts in the template:
// the line before its first line and the indentation of its lines. Of
// the places where the text's first lines appear, it takes the one
// nearest to the string's own position. For a string that is not a block
// (quoted, or JSON), it falls back to that position.
func (f *finder) offset(text *source.Node) (lines, cols int32) {
	want := strings.Split(text.Text, "\n")
	skipped := 0
	for skipped < len(want) && strings.TrimSpace(want[skipped]) == "" {
		skipped++
	}
	if skipped == len(want) {
		return text.Pos.Line - 1, text.Pos.Col - 1
	}
	want = want[skipped:min(len(want), skipped+5)]
	best, bestIndent := -1, 0
	for i := range f.lines {
		indent, ok := f.matchAt(i, want)
		if ok && (best < 0 || distance(i, int(text.Pos.Line)) < distance(best,
			int(text.Pos.Line))) {
			best, bestIndent = i, indent
		}
	}
	if best < 0 {
		return text.Pos.Line - 1, text.Pos.Col - 1
	}
	return int32(best - skipped), int32(bestIndent)
}

// matchAt reports whether the lines of the template from line i hold want,
// all indented alike, and returns the indentation.
func (f *finder) matchAt(i int, want []string) (int, bool) {
	first := strings.TrimRight(string(f.lines[i]), "\r")
	trimmed := strings.TrimLeft(first, " ")
	if trimmed == "" || trimmed != strings.TrimRight(want[0], "\r") {
		return 0, false
	}
	indent := len(first) - len(trimmed)
	for j, w := range want[1:] {
		if i+1+j >= len(f.lines) {
			return 0, false
		}
		got := strings.TrimRight(string(f.lines[i+1+j]), "\r")
		w = strings.TrimRight(w, "\r")
		if strings.TrimSpace(w) == "" && strings.TrimSpace(got) == "" {
			continue
		}
		if len(got) < indent || got[indent:] != w {
			return 0, false
		}
	}
	return indent, true
}

func distance(a, b int) int {
	if a > b {
		return a - b
	}
	return b - a
}
