package expr

import "strings"

// AlibabaTemplateKind tells what an AlibabaTemplate node is.
type AlibabaTemplateKind int

// The kinds of Alibaba template nodes.
const (
	AlibabaTemplateLiteral AlibabaTemplateKind = iota // a JSON value used as is
	AlibabaTemplateObject                             // fields that are templates
	AlibabaTemplateArray                              // items that are templates
	AlibabaTemplateExpr                               // an expression evaluated at run time
)

// AlibabaTemplate is a value built at run time: a flow-format mapping
// source or serviceParams value, or a CloudFlow InputConstructor,
// OutputConstructor, ItemConstructor or Parameters value.
type AlibabaTemplate struct {
	Kind AlibabaTemplateKind
	// Literal is the value of a literal node: map[string]any, []any,
	// string, json.Number, bool or nil.
	Literal any
	// Fields of an object node in source order. A CloudFlow field written
	// "key.$" has Name "key" and an expression value.
	Fields []AlibabaField
	Items  []*AlibabaTemplate
	Expr   *AlibabaExpr
}

// AlibabaField is one field of an object template.
type AlibabaField struct {
	Name  string
	Value *AlibabaTemplate
}

// IsAlibabaMappingPath reports whether a flow-format mapping source is a
// path. The FDL reference treats a source as a path only when it starts
// with $input, $local or $context; any other value, including "$.x" and
// strings such as "http://...", is a constant.
func IsAlibabaMappingPath(s string) bool {
	for _, root := range []string{"$input", "$local", "$context"} {
		if rest, ok := strings.CutPrefix(s, root); ok {
			return rest == "" || rest[0] == '.' || rest[0] == '['
		}
	}
	return false
}

// ParseAlibabaMappingSource parses a flow-format mapping source string. It
// returns nil and no error when the string is a constant.
func ParseAlibabaMappingSource(s string) (*AlibabaExpr, error) {
	if !IsAlibabaMappingPath(s) {
		return nil, nil
	}
	p, err := ParseAlibabaPath(s)
	if err != nil {
		return nil, err
	}
	return &AlibabaExpr{Kind: AlibabaPathRef, Path: p}, nil
}

// String formats the template compactly and deterministically, for
// summaries and tests.
func (t *AlibabaTemplate) String() string {
	var b strings.Builder
	t.format(&b)
	return b.String()
}

func (t *AlibabaTemplate) format(b *strings.Builder) {
	switch t.Kind {
	case AlibabaTemplateLiteral:
		b.WriteString(aliLiteralString(t.Literal))
	case AlibabaTemplateExpr:
		b.WriteString("<" + t.Expr.String() + ">")
	case AlibabaTemplateArray:
		b.WriteString("[")
		for i, it := range t.Items {
			if i > 0 {
				b.WriteString(", ")
			}
			it.format(b)
		}
		b.WriteString("]")
	case AlibabaTemplateObject:
		b.WriteString("{")
		for i, f := range t.Fields {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(aliLiteralString(f.Name) + ": ")
			f.Value.format(b)
		}
		b.WriteString("}")
	}
}
