package source

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/jointlambda/jlgen/ir"
)

// Kind tells what JSON value a Node holds.
type Kind uint8

// The kinds of nodes.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

var kindNames = [...]string{"null", "boolean", "number", "string", "array", "object"}

// String returns the JSON name of the kind, as used in diagnostics.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Node is one decoded value with its position.
type Node struct {
	Kind Kind
	// Bool is the value of a Bool node.
	Bool bool
	// Quoted is true for a String written between quotes, whose text
	// starts one column after Pos.
	Quoted bool
	Pos    ir.Pos
	// Text is the value of a String node, or the literal text of a Number.
	// A YAML value with a custom tag, such as "!Ref Fn", is a String whose
	// Text keeps the tag: "!Ref Fn".
	Text string
	// Items are the elements of an Array node.
	Items []*Node
	// Members are the fields of an Object node, in source order.
	Members []Member
}

// Member is one field of an object.
type Member struct {
	Key    string
	KeyPos ir.Pos
	Value  *Node
}

// Get returns the member named key, or nil.
func (n *Node) Get(key string) *Member {
	if n == nil || n.Kind != Object {
		return nil
	}
	for i := range n.Members {
		if n.Members[i].Key == key {
			return &n.Members[i]
		}
	}
	return nil
}

// Float returns the value of a Number node as a float64.
func (n *Node) Float() (float64, bool) {
	if n.Kind != Number {
		return 0, false
	}
	f, err := strconv.ParseFloat(n.Text, 64)
	return f, err == nil
}

// Int returns the value of a Number node that holds an integer.
func (n *Node) Int() (int64, bool) {
	f, ok := n.Float()
	if !ok || f != float64(int64(f)) {
		return 0, false
	}
	return int64(f), true
}

// Value converts the node into a plain JSON value: map[string]any, []any,
// string, json.Number, bool or nil.
func (n *Node) Value() any {
	switch n.Kind {
	case Bool:
		return n.Bool
	case Number:
		return json.Number(n.Text)
	case String:
		return n.Text
	case Array:
		out := make([]any, len(n.Items))
		for i, it := range n.Items {
			out[i] = it.Value()
		}
		return out
	case Object:
		out := make(map[string]any, len(n.Members))
		for _, m := range n.Members {
			out[m.Key] = m.Value.Value()
		}
		return out
	}
	return nil
}

// Shift moves every position in the tree by lines and cols, for a
// document that was embedded in an indented block string of another file.
func (n *Node) Shift(lines, cols int32) {
	n.Pos = shift(n.Pos, lines, cols)
	for _, it := range n.Items {
		it.Shift(lines, cols)
	}
	for i := range n.Members {
		m := &n.Members[i]
		m.KeyPos = shift(m.KeyPos, lines, cols)
		m.Value.Shift(lines, cols)
	}
}

func shift(p ir.Pos, lines, cols int32) ir.Pos {
	if !p.IsValid() {
		return p
	}
	return ir.Pos{Line: p.Line + lines, Col: p.Col + cols}
}
