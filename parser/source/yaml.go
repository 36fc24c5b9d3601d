package source

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/jointlambda/jlgen/ir"
)

// DecodeYAML decodes the first document of a YAML stream. Custom tags such
// as "!Ref Name" or "!Sub ..." are kept as opaque strings that include the
// tag; anchors, aliases and merge keys are resolved.
func DecodeYAML(data []byte) (*Node, []Duplicate, error) {
	f, err := parseYAML(data)
	if err != nil {
		return nil, nil, err
	}
	c := &yamlConverter{anchors: map[string]*Node{}}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return &Node{Kind: Null, Pos: ir.Pos{Line: 1, Col: 1}}, nil, nil
	}
	n, err := c.convert(f.Docs[0].Body)
	if err != nil {
		return nil, nil, err
	}
	return n, c.dups, nil
}

// parseYAML runs the YAML parser, turning its panics on hostile input
// into errors and its errors into positioned ones.
func parseYAML(data []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &SyntaxError{Pos: ir.Pos{Line: 1, Col: 1}, Msg: fmt.Sprintf("malformed YAML: %v", r)}
		}
	}()
	f, err = parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		return nil, yamlError(err)
	}
	return f, nil
}

func yamlError(err error) error {
	var se *yaml.SyntaxError
	if errors.As(err, &se) && se.Token != nil {
		return &SyntaxError{Pos: tokenPos(se.Token), Msg: strings.TrimSpace(se.Message)}
	}
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		return &SyntaxError{Pos: tokenPos(ye.GetToken()), Msg: ye.GetMessage()}
	}
	return &SyntaxError{Pos: ir.Pos{Line: 1, Col: 1}, Msg: err.Error()}
}

func tokenPos(t *token.Token) ir.Pos {
	if t == nil || t.Position == nil {
		return ir.Pos{}
	}
	return ir.Pos{Line: int32(t.Position.Line), Col: int32(t.Position.Column)}
}

type yamlConverter struct {
	anchors map[string]*Node
	dups    []Duplicate
	depth   int
}

func (c *yamlConverter) convert(n ast.Node) (*Node, error) {
	c.depth++
	defer func() { c.depth-- }()
	if c.depth > maxDepth {
		return nil, &SyntaxError{Pos: tokenPos(n.GetToken()),
			Msg: fmt.Sprintf("values nested more than %d deep", maxDepth)}
	}
	pos := nodePos(n)
	switch n := n.(type) {
	case *ast.NullNode:
		return &Node{Kind: Null, Pos: pos}, nil
	case *ast.BoolNode:
		return &Node{Kind: Bool, Pos: pos, Bool: n.Value}, nil
	case *ast.IntegerNode:
		return &Node{Kind: Number, Pos: pos, Text: fmt.Sprint(n.Value)}, nil
	case *ast.FloatNode:
		return &Node{Kind: Number, Pos: pos, Text: floatText(n)}, nil
	case *ast.InfinityNode, *ast.NanNode:
		return &Node{Kind: String, Pos: pos, Text: n.GetToken().Value}, nil
	case *ast.StringNode:
		t := n.GetToken().Type
		quoted := t == token.DoubleQuoteType || t == token.SingleQuoteType
		return &Node{Kind: String, Pos: pos, Text: n.Value, Quoted: quoted}, nil
	case *ast.LiteralNode:
		return &Node{Kind: String, Pos: tokenPos(n.Value.GetToken()), Text: n.Value.Value}, nil
	case *ast.MappingNode:
		return c.mapping(pos, n.Values)
	case *ast.MappingValueNode:
		return c.mapping(pos, []*ast.MappingValueNode{n})
	case *ast.SequenceNode:
		return c.sequence(pos, n)
	case *ast.AnchorNode:
		return c.anchor(n)
	case *ast.AliasNode:
		if a, ok := c.anchors[n.Value.String()]; ok {
			return a, nil
		}
		return nil, &SyntaxError{Pos: pos, Msg: fmt.Sprintf("unknown alias %q", n.Value.String())}
	case *ast.TagNode:
		return c.tag(pos, n)
	}
	return nil, &SyntaxError{Pos: pos, Msg: fmt.Sprintf("unsupported YAML node %s", n.Type())}
}

func floatText(n *ast.FloatNode) string {
	if math.IsInf(n.Value, 0) || math.IsNaN(n.Value) {
		return n.GetToken().Value
	}
	text := n.GetToken().Value
	if _, err := strconv.ParseFloat(text, 64); err == nil && !strings.ContainsAny(text, "_+") {
		return text
	}
	return strconv.FormatFloat(n.Value, 'g', -1, 64)
}

func (c *yamlConverter) mapping(pos ir.Pos, values []*ast.MappingValueNode) (*Node, error) {
	out := &Node{Kind: Object, Pos: pos}
	for _, mv := range values {
		if _, ok := mv.Key.(*ast.MergeKeyNode); ok {
			if err := c.merge(out, mv.Value); err != nil {
				return nil, err
			}
			continue
		}
		key, err := c.convert(mv.Key)
		if err != nil {
			return nil, err
		}
		if key.Kind == Array || key.Kind == Object {
			return nil, &SyntaxError{Pos: key.Pos, Msg: "a mapping key must be a scalar"}
		}
		v, err := c.convert(mv.Value)
		if err != nil {
			return nil, err
		}
		name := key.Text
		if key.Kind == Bool {
			name = strconv.FormatBool(key.Bool)
		} else if key.Kind == Null {
			name = "null"
		}
		if prev := out.Get(name); prev != nil {
			c.dups = append(c.dups, Duplicate{Key: name, Pos: key.Pos, First: prev.KeyPos})
		}
		out.Members = append(out.Members, Member{Key: name, KeyPos: key.Pos, Value: v})
	}
	return out, nil
}

// merge applies a "<<" merge key: fields not already present are copied.
func (c *yamlConverter) merge(out *Node, v ast.Node) error {
	src, err := c.convert(v)
	if err != nil {
		return err
	}
	srcs := []*Node{src}
	if src.Kind == Array {
		srcs = src.Items
	}
	for _, s := range srcs {
		if s.Kind != Object {
			return &SyntaxError{Pos: s.Pos, Msg: "a merge key needs a mapping"}
		}
		for _, m := range s.Members {
			if out.Get(m.Key) == nil {
				out.Members = append(out.Members, m)
			}
		}
	}
	return nil
}

func (c *yamlConverter) sequence(pos ir.Pos, n *ast.SequenceNode) (*Node, error) {
	out := &Node{Kind: Array, Pos: pos}
	for _, v := range n.Values {
		item, err := c.convert(v)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, item)
	}
	return out, nil
}

func (c *yamlConverter) anchor(n *ast.AnchorNode) (*Node, error) {
	v, err := c.convert(n.Value)
	if err != nil {
		return nil, err
	}
	c.anchors[n.Name.String()] = v
	return v, nil
}

// tag keeps standard tags' values and turns custom tags into strings.
func (c *yamlConverter) tag(pos ir.Pos, n *ast.TagNode) (*Node, error) {
	name := n.Start.Value
	switch name {
	case "!!str", "!!int", "!!float", "!!bool", "!!null", "!!map", "!!seq", "!!binary":
		return c.convert(n.Value)
	}
	if n.Value == nil {
		return &Node{Kind: String, Pos: pos, Text: name}, nil
	}
	v, err := c.convert(n.Value)
	if err != nil {
		return nil, err
	}
	if v.Kind == Array || v.Kind == Object {
		// A tag on a collection, such as !Sub [text, {vars}], is a
		// deployment-time function: keep the collection, but remember the
		// tag as a one-member object, as the long form would write it.
		return &Node{Kind: Object, Pos: pos, Members: []Member{{Key: name, KeyPos: pos, Value: v}}}, nil
	}
	text := v.Text
	if v.Kind == Bool {
		text = strconv.FormatBool(v.Bool)
	}
	return &Node{Kind: String, Pos: pos, Text: name + " " + text}, nil
}

// nodePos returns where a node starts: a block mapping's token is the
// colon after its first key, so it starts at that key instead.
func nodePos(n ast.Node) ir.Pos {
	switch m := n.(type) {
	case *ast.MappingNode:
		if !m.IsFlowStyle && len(m.Values) > 0 {
			return tokenPos(m.Values[0].Key.GetToken())
		}
	case *ast.MappingValueNode:
		return tokenPos(m.Key.GetToken())
	}
	return tokenPos(n.GetToken())
}
