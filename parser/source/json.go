package source

import (
	"fmt"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/jointlambda/jlgen/ir"
)

// SyntaxError is a malformed document: the position of the first byte that
// could not be read, and what was expected there.
type SyntaxError struct {
	Pos ir.Pos
	Msg string
}

func (e *SyntaxError) Error() string { return e.Pos.String() + ": " + e.Msg }

// maxDepth bounds nesting so that hostile input cannot exhaust the stack.
const maxDepth = 1000

// jsonDecoder reads one JSON document, tracking line and column.
type jsonDecoder struct {
	data      []byte
	off       int
	line      int32
	lineStart int
	depth     int
	// dups collects keys that appear twice in one object.
	dups []Duplicate
	// interned holds one copy of each short string seen, because
	// definitions repeat their keys and state names many times.
	interned map[string]string
}

// maxInterned is the length up to which strings are interned.
const maxInterned = 64

// text returns the string of raw, sharing one copy among equal short
// strings.
func (d *jsonDecoder) text(raw []byte) string {
	if len(raw) > maxInterned {
		return string(raw)
	}
	if s, ok := d.interned[string(raw)]; ok {
		return s
	}
	s := string(raw)
	d.interned[s] = s
	return s
}

// Duplicate is a key that appears more than once in one object.
type Duplicate struct {
	Key   string
	Pos   ir.Pos // the later occurrence
	First ir.Pos
}

// DecodeJSON decodes a JSON document. Duplicate keys are not an error
// here; they are returned for the caller to report.
func DecodeJSON(data []byte) (*Node, []Duplicate, error) {
	d := &jsonDecoder{data: data, line: 1, interned: map[string]string{}}
	d.skipBOM()
	d.skipSpace()
	n, err := d.value()
	if err != nil {
		return nil, nil, err
	}
	d.skipSpace()
	if d.off < len(d.data) {
		return nil, nil, d.errorf("unexpected %s after the top-level value", d.describe())
	}
	return n, d.dups, nil
}

func (d *jsonDecoder) skipBOM() {
	if len(d.data) >= 3 && d.data[0] == 0xEF && d.data[1] == 0xBB && d.data[2] == 0xBF {
		d.off = 3
		d.lineStart = 3
	}
}

func (d *jsonDecoder) pos() ir.Pos {
	return ir.Pos{Line: d.line, Col: int32(d.off-d.lineStart) + 1}
}

func (d *jsonDecoder) errorf(format string, args ...any) error {
	return &SyntaxError{Pos: d.pos(), Msg: fmt.Sprintf(format, args...)}
}

// describe names the byte at the current offset for an error message.
func (d *jsonDecoder) describe() string {
	if d.off >= len(d.data) {
		return "end of input"
	}
	c := d.data[d.off]
	if c < 0x20 || c >= 0x7f {
		r, _ := utf8.DecodeRune(d.data[d.off:])
		return fmt.Sprintf("character %U", r)
	}
	return fmt.Sprintf("character %q", c)
}

func (d *jsonDecoder) skipSpace() {
	for d.off < len(d.data) {
		switch d.data[d.off] {
		case ' ', '\t', '\r':
			d.off++
		case '\n':
			d.off++
			d.line++
			d.lineStart = d.off
		default:
			return
		}
	}
}

func (d *jsonDecoder) value() (*Node, error) {
	if d.off >= len(d.data) {
		return nil, d.errorf("unexpected end of input, expected a value")
	}
	switch c := d.data[d.off]; {
	case c == '{':
		return d.object()
	case c == '[':
		return d.array()
	case c == '"':
		pos := d.pos()
		s, err := d.str()
		if err != nil {
			return nil, err
		}
		return &Node{Kind: String, Pos: pos, Text: s, Quoted: true}, nil
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	case c == 't':
		return d.literal("true", &Node{Kind: Bool, Bool: true})
	case c == 'f':
		return d.literal("false", &Node{Kind: Bool})
	case c == 'n':
		return d.literal("null", &Node{Kind: Null})
	}
	return nil, d.errorf("unexpected %s, expected a value", d.describe())
}

func (d *jsonDecoder) literal(word string, n *Node) (*Node, error) {
	n.Pos = d.pos()
	end := d.off + len(word)
	if end > len(d.data) || string(d.data[d.off:end]) != word {
		return nil, d.errorf("unexpected %s, expected a value", d.describe())
	}
	d.off = end
	return n, nil
}

func (d *jsonDecoder) enter() error {
	d.depth++
	if d.depth > maxDepth {
		return d.errorf("values nested more than %d deep", maxDepth)
	}
	return nil
}

func (d *jsonDecoder) object() (*Node, error) {
	n := &Node{Kind: Object, Pos: d.pos()}
	var keys map[string]int // built once an object is too large to scan
	if err := d.enter(); err != nil {
		return nil, err
	}
	d.off++ // {
	d.skipSpace()
	if d.off < len(d.data) && d.data[d.off] == '}' {
		d.off++
		d.depth--
		return n, nil
	}
	for {
		if d.off >= len(d.data) || d.data[d.off] != '"' {
			return nil, d.errorf("unexpected %s, expected a string key", d.describe())
		}
		keyPos := d.pos()
		key, err := d.str()
		if err != nil {
			return nil, err
		}
		d.skipSpace()
		if d.off >= len(d.data) || d.data[d.off] != ':' {
			return nil, d.errorf("unexpected %s, expected ':' after key %q", d.describe(), key)
		}
		d.off++
		d.skipSpace()
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		n.Members = append(n.Members, Member{Key: key, KeyPos: keyPos, Value: v})
		d.checkDuplicate(n, &keys)
		d.skipSpace()
		if d.off >= len(d.data) {
			return nil, d.errorf("unexpected end of input, expected ',' or '}'")
		}
		switch d.data[d.off] {
		case ',':
			d.off++
			d.skipSpace()
		case '}':
			d.off++
			d.depth--
			return n, nil
		default:
			return nil, d.errorf("unexpected %s, expected ',' or '}'", d.describe())
		}
	}
}

func (d *jsonDecoder) array() (*Node, error) {
	n := &Node{Kind: Array, Pos: d.pos()}
	if err := d.enter(); err != nil {
		return nil, err
	}
	d.off++ // [
	d.skipSpace()
	if d.off < len(d.data) && d.data[d.off] == ']' {
		d.off++
		d.depth--
		return n, nil
	}
	for {
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		n.Items = append(n.Items, v)
		d.skipSpace()
		if d.off >= len(d.data) {
			return nil, d.errorf("unexpected end of input, expected ',' or ']'")
		}
		switch d.data[d.off] {
		case ',':
			d.off++
			d.skipSpace()
		case ']':
			d.off++
			d.depth--
			return n, nil
		default:
			return nil, d.errorf("unexpected %s, expected ',' or ']'", d.describe())
		}
	}
}

func (d *jsonDecoder) number() (*Node, error) {
	n := &Node{Kind: Number, Pos: d.pos()}
	start := d.off
	if d.peek() == '-' {
		d.off++
	}
	switch c := d.peek(); {
	case c == '0':
		d.off++
	case c >= '1' && c <= '9':
		d.digits()
	default:
		return nil, d.errorf("unexpected %s in number, expected a digit", d.describe())
	}
	if d.peek() == '.' {
		d.off++
		if !isDigit(d.peek()) {
			return nil, d.errorf("unexpected %s in number, expected a digit", d.describe())
		}
		d.digits()
	}
	if c := d.peek(); c == 'e' || c == 'E' {
		d.off++
		if c := d.peek(); c == '+' || c == '-' {
			d.off++
		}
		if !isDigit(d.peek()) {
			return nil, d.errorf("unexpected %s in number, expected a digit", d.describe())
		}
		d.digits()
	}
	n.Text = string(d.data[start:d.off])
	return n, nil
}

func (d *jsonDecoder) peek() byte {
	if d.off < len(d.data) {
		return d.data[d.off]
	}
	return 0
}

func (d *jsonDecoder) digits() {
	for isDigit(d.peek()) {
		d.off++
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// str reads a string literal starting at the opening quote.
func (d *jsonDecoder) str() (string, error) {
	d.off++ // "
	start := d.off
	for d.off < len(d.data) {
		c := d.data[d.off]
		switch {
		case c == '"':
			s := d.text(d.data[start:d.off])
			d.off++
			return s, nil
		case c == '\\':
			return d.escapedStr(start)
		case c < 0x20:
			return "", d.errorf("unexpected %s in string literal", d.describe())
		}
		d.off++
	}
	return "", d.errorf("unexpected end of input in string literal")
}

// escapedStr finishes reading a string that contains escapes.
func (d *jsonDecoder) escapedStr(start int) (string, error) {
	buf := append([]byte(nil), d.data[start:d.off]...)
	for d.off < len(d.data) {
		c := d.data[d.off]
		switch {
		case c == '"':
			d.off++
			return string(buf), nil
		case c < 0x20:
			return "", d.errorf("unexpected %s in string literal", d.describe())
		case c != '\\':
			buf = append(buf, c)
			d.off++
			continue
		}
		d.off++
		var err error
		if buf, err = d.escape(buf); err != nil {
			return "", err
		}
	}
	return "", d.errorf("unexpected end of input in string literal")
}

func (d *jsonDecoder) escape(buf []byte) ([]byte, error) {
	c := d.peek()
	simple := map[byte]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f',
		'n': '\n', 'r': '\r', 't': '\t'}
	if r, ok := simple[c]; ok {
		d.off++
		return append(buf, r), nil
	}
	if c != 'u' {
		return nil, d.errorf("invalid escape %s in string literal", d.describe())
	}
	d.off++
	r, err := d.hex4()
	if err != nil {
		return nil, err
	}
	if utf16.IsSurrogate(r) && d.off+1 < len(d.data) && d.data[d.off] == '\\' &&
		d.data[d.off+1] == 'u' {
		save := d.off
		d.off += 2
		r2, err := d.hex4()
		if err == nil && utf16.DecodeRune(r, r2) != utf8.RuneError {
			r = utf16.DecodeRune(r, r2)
		} else {
			d.off = save
		}
	}
	return utf8.AppendRune(buf, r), nil
}

func (d *jsonDecoder) hex4() (rune, error) {
	var r rune
	for i := 0; i < 4; i++ {
		c := d.peek()
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return 0, d.errorf("invalid %s in \\u escape", d.describe())
		}
		r = r<<4 | rune(v)
		d.off++
	}
	return r, nil
}

// smallObject is the number of members below which a duplicate key is
// found by scanning; larger objects index their keys.
const smallObject = 16

// checkDuplicate records the last member of n if an earlier member has the
// same key.
func (d *jsonDecoder) checkDuplicate(n *Node, keys *map[string]int) {
	last := len(n.Members) - 1
	m := n.Members[last]
	first := -1
	if last < smallObject {
		for i := 0; i < last; i++ {
			if n.Members[i].Key == m.Key {
				first = i
				break
			}
		}
	} else {
		if *keys == nil {
			*keys = make(map[string]int, 2*smallObject)
			for i := last - 1; i >= 0; i-- {
				(*keys)[n.Members[i].Key] = i
			}
		}
		if i, ok := (*keys)[m.Key]; ok {
			first = i
		} else {
			(*keys)[m.Key] = last
		}
	}
	if first >= 0 {
		d.dups = append(d.dups, Duplicate{Key: m.Key, Pos: m.KeyPos, First: n.Members[first].KeyPos})
	}
}
