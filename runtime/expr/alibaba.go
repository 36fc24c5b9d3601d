package expr

import (
	"encoding/json"
	"strings"
)

// AlibabaRoot tells what an Alibaba path starts from.
type AlibabaRoot int

// The roots of Alibaba paths. The flow format writes $input, $local and
// $context in mappings and $ (or $.key) in conditions and service
// parameters; CloudFlow writes $Input, $Output, $Context, $Global and $Item.
const (
	AlibabaCurrent AlibabaRoot = iota // "$": the value being evaluated (a step's input)
	AlibabaInput                      // "$input" or "$Input"
	AlibabaLocal                      // "$local"
	AlibabaContext                    // "$context" or "$Context"
	AlibabaOutput                     // "$Output" (CloudFlow output constructors)
	AlibabaGlobal                     // "$Global" (CloudFlow global variables)
	AlibabaItem                       // "$Item" (a CloudFlow Map's current element)
)

var alibabaRoots = map[string]AlibabaRoot{
	"": AlibabaCurrent, "input": AlibabaInput, "Input": AlibabaInput,
	"local": AlibabaLocal, "context": AlibabaContext, "Context": AlibabaContext,
	"Output": AlibabaOutput, "Global": AlibabaGlobal, "Item": AlibabaItem,
}

var alibabaRootNames = [...]string{"$", "$input", "$local", "$context", "$output", "$global",
	"$item"}

// String returns the canonical lower-case name of the root.
func (r AlibabaRoot) String() string {
	if int(r) < len(alibabaRootNames) {
		return alibabaRootNames[r]
	}
	return "$?"
}

// AlibabaSelector is one step of an Alibaba path after its root.
type AlibabaSelector struct {
	// Key selects a member of an object; it is used when Index is nil
	// and Wildcard is false.
	Key string
	// Index selects an element of an array.
	Index *int
	// Wildcard selects every element of an array (or every member value
	// of an object); the rest of the path then applies to each of them and
	// the path yields a flattened list, as JSONPath does.
	Wildcard bool
}

// AlibabaPath is a parsed path of an Alibaba dialect, such as
// $local.Data.FrontResult.Name, $local[*].parts[*] or $Input.items[0].
type AlibabaPath struct {
	Src       string
	Root      AlibabaRoot
	Selectors []AlibabaSelector
}

// String returns the path as it was written.
func (p *AlibabaPath) String() string { return p.Src }

// IsDefinite reports whether the path selects at most one value.
func (p *AlibabaPath) IsDefinite() bool {
	for _, s := range p.Selectors {
		if s.Wildcard {
			return false
		}
	}
	return true
}

// AlibabaExprKind tells what an AlibabaExpr node is.
type AlibabaExprKind int

// The kinds of Alibaba expression nodes.
const (
	AlibabaLiteral AlibabaExprKind = iota // Value: string, json.Number, bool or nil
	AlibabaPathRef                        // Path
	AlibabaNot                            // !Args[0]
	AlibabaAnd                            // Args[0] && Args[1]
	AlibabaOr                             // Args[0] || Args[1]
	AlibabaCompare                        // Args[0] Op Args[1]
	AlibabaCall                           // Func(Args...)
)

// AlibabaExpr is a parsed expression of an Alibaba dialect: a choice
// condition, a CloudFlow constructor value or an items path.
type AlibabaExpr struct {
	Kind AlibabaExprKind
	// Offset is the byte offset of the node in the expression text.
	Offset int
	Value  any
	Path   *AlibabaPath
	// Op is the comparison operator: ==, !=, <, <=, > or >=.
	Op string
	// Func is the dotted name of a called function, as written.
	Func string
	Args []*AlibabaExpr
}

// String formats the expression in a canonical, fully parenthesized form
// for summaries and tests.
func (e *AlibabaExpr) String() string {
	var b strings.Builder
	e.format(&b)
	return b.String()
}

func (e *AlibabaExpr) format(b *strings.Builder) {
	switch e.Kind {
	case AlibabaLiteral:
		out, _ := json.Marshal(e.Value)
		b.Write(out)
	case AlibabaPathRef:
		b.WriteString(e.Path.Src)
	case AlibabaNot:
		b.WriteString("!")
		e.Args[0].format(b)
	case AlibabaAnd, AlibabaOr, AlibabaCompare:
		op := map[AlibabaExprKind]string{AlibabaAnd: "&&", AlibabaOr: "||"}[e.Kind]
		if e.Kind == AlibabaCompare {
			op = e.Op
		}
		b.WriteString("(")
		e.Args[0].format(b)
		b.WriteString(" " + op + " ")
		e.Args[1].format(b)
		b.WriteString(")")
	case AlibabaCall:
		b.WriteString(e.Func + "(")
		for i, a := range e.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			a.format(b)
		}
		b.WriteString(")")
	}
}

// ParseAlibabaExpr parses an expression of Alibaba's flow format or
// CloudFlow:
//
//	expr    = or
//	or      = and { "||" and }
//	and     = unary { "&&" unary }
//	unary   = "!" unary | compare
//	compare = primary [ ( "==" | "!=" | "<" | "<=" | ">" | ">=" ) primary ]
//	primary = "(" expr ")" | path | call | literal
//	path    = "$" [ root ] { "." key | "[" ( integer | "*" | string ) "]" | ".*" }
//	call    = name { "." name } "(" [ expr { "," expr } ] ")"
//	literal = number | '"' chars '"' | "'" chars "'" | "true" | "false" | "null"
//
// A root is input, local, context, Input, Output, Context, Global or Item; "$"
// alone (as in $.key) is the value the expression is evaluated on.
func ParseAlibabaExpr(s string) (*AlibabaExpr, error) {
	p := &aliParser{lex: aliLexer{src: s}}
	if err := p.next(); err != nil {
		return nil, err
	}
	if p.tok.kind == aliEOF {
		return nil, &SyntaxError{Offset: 0, Msg: "empty expression"}
	}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != aliEOF {
		return nil, p.unexpected("end of expression")
	}
	return e, nil
}

// ParseAlibabaPath parses a path alone, such as $.keys or $Input.items.
func ParseAlibabaPath(s string) (*AlibabaPath, error) {
	e, err := ParseAlibabaExpr(s)
	if err != nil {
		return nil, err
	}
	if e.Kind != AlibabaPathRef {
		return nil, &SyntaxError{Offset: 0, Msg: "expected a path starting with $"}
	}
	return e.Path, nil
}
