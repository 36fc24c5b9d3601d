package expr

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// AlibabaTemplateMode tells which of the Alibaba dialects' rules turn JSON
// text into an AlibabaTemplate; each place of a definition that holds a
// template has its own.
type AlibabaTemplateMode int

// The template modes, one per place of a definition.
const (
	// AlibabaSourceMode reads a flow-format mapping source: a string for
	// which IsAlibabaMappingPath holds is an expression, and any other
	// value, objects and arrays included, is one constant.
	AlibabaSourceMode AlibabaTemplateMode = iota
	// AlibabaParamsMode reads a flow-format serviceParams value: objects
	// and arrays are templates, and a string that starts with "$" is an
	// expression.
	AlibabaParamsMode
	// AlibabaConstructorMode reads a CloudFlow InputConstructor,
	// OutputConstructor, ItemConstructor or Parameters value: objects and
	// arrays are templates, and the value of a key ending in ".$" is an
	// expression named by the key without that suffix.
	AlibabaConstructorMode
)

// String returns the mode's name.
func (m AlibabaTemplateMode) String() string {
	switch m {
	case AlibabaSourceMode:
		return "source"
	case AlibabaParamsMode:
		return "params"
	case AlibabaConstructorMode:
		return "constructor"
	}
	return fmt.Sprintf("AlibabaTemplateMode(%d)", int(m))
}

// ParseAlibabaTemplate builds a template from JSON text by the rules of
// mode, as the FDL parser builds it from the same value in a definition.
// Object members keep their order; numbers keep their text.
func ParseAlibabaTemplate(text []byte, mode AlibabaTemplateMode) (*AlibabaTemplate, error) {
	d := &aliTemplateDecoder{dec: json.NewDecoder(bytes.NewReader(text)), mode: mode}
	d.dec.UseNumber()
	t, err := d.value()
	if err != nil {
		return nil, fmt.Errorf("%s template: %w", mode, err)
	}
	if _, err := d.dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%s template: text after the value", mode)
	}
	return t, nil
}

type aliTemplateDecoder struct {
	dec  *json.Decoder
	mode AlibabaTemplateMode
}

func (d *aliTemplateDecoder) value() (*AlibabaTemplate, error) {
	if d.mode == AlibabaSourceMode {
		var v any
		if err := d.dec.Decode(&v); err != nil {
			return nil, err
		}
		if s, ok := v.(string); ok && IsAlibabaMappingPath(s) {
			return aliExprTemplate(s)
		}
		return &AlibabaTemplate{Kind: AlibabaTemplateLiteral, Literal: v}, nil
	}
	tok, err := d.dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok := tok.(type) {
	case json.Delim:
		if tok == '{' {
			return d.object()
		}
		return d.array()
	case string:
		if d.mode == AlibabaParamsMode && strings.HasPrefix(tok, "$") {
			return aliExprTemplate(tok)
		}
	}
	return &AlibabaTemplate{Kind: AlibabaTemplateLiteral, Literal: tok}, nil
}

func (d *aliTemplateDecoder) object() (*AlibabaTemplate, error) {
	t := &AlibabaTemplate{Kind: AlibabaTemplateObject}
	for d.dec.More() {
		tok, err := d.dec.Token()
		if err != nil {
			return nil, err
		}
		key := tok.(string) // the decoder gives object keys as strings
		f, err := d.field(key)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", key, err)
		}
		t.Fields = append(t.Fields, f)
	}
	_, err := d.dec.Token() // }
	return t, err
}

func (d *aliTemplateDecoder) field(key string) (AlibabaField, error) {
	name, isExpr := strings.CutSuffix(key, ".$")
	if d.mode != AlibabaConstructorMode || !isExpr {
		v, err := d.value()
		return AlibabaField{Name: key, Value: v}, err
	}
	tok, err := d.dec.Token()
	if err != nil {
		return AlibabaField{}, err
	}
	s, ok := tok.(string)
	if !ok {
		return AlibabaField{}, errors.New(`a key ending in ".$" needs an expression string`)
	}
	v, err := aliExprTemplate(s)
	return AlibabaField{Name: name, Value: v}, err
}

func (d *aliTemplateDecoder) array() (*AlibabaTemplate, error) {
	t := &AlibabaTemplate{Kind: AlibabaTemplateArray}
	for d.dec.More() {
		it, err := d.value()
		if err != nil {
			return nil, err
		}
		t.Items = append(t.Items, it)
	}
	_, err := d.dec.Token() // ]
	return t, err
}

func aliExprTemplate(s string) (*AlibabaTemplate, error) {
	e, err := ParseAlibabaExpr(s)
	if err != nil {
		return nil, fmt.Errorf("expression %q: %w", s, err)
	}
	return &AlibabaTemplate{Kind: AlibabaTemplateExpr, Expr: e}, nil
}

// AppendJSON appends the template as JSON text that ParseAlibabaTemplate,
// given the same mode, turns back into an identical template. The mode
// must be the one the template was built with: serviceParams and
// constructors mark the expressions of object members differently.
//
// Templates that no JSON text of their mode gives, which only a
// definition with errors yields (a constant mapping source that looks like
// a path, for example), are written as the closest text.
func (t *AlibabaTemplate) AppendJSON(b []byte, mode AlibabaTemplateMode) []byte {
	switch t.Kind {
	case AlibabaTemplateObject:
		b = append(b, '{')
		for i, f := range t.Fields {
			if i > 0 {
				b = append(b, ',')
			}
			name := f.Name
			if mode == AlibabaConstructorMode && f.Value.Kind == AlibabaTemplateExpr {
				name += ".$"
			}
			b = appendAliJSON(b, name)
			b = append(b, ':')
			b = f.Value.AppendJSON(b, mode)
		}
		return append(b, '}')
	case AlibabaTemplateArray:
		b = append(b, '[')
		for i, it := range t.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = it.AppendJSON(b, mode)
		}
		return append(b, ']')
	case AlibabaTemplateExpr:
		return appendAliJSON(b, t.Expr.Source())
	}
	return appendAliJSON(b, t.Literal)
}

// appendAliJSON appends v as compact JSON; object keys come sorted, and
// <, > and & stay as they are, which keeps generated code readable.
func appendAliJSON(b []byte, v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return append(b, "null"...) // the parsers give no value that fails to encode
	}
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

// Source returns text that ParseAlibabaExpr parses into a tree identical
// to e, offsets included. For a tree that ParseAlibabaExpr built, each
// token goes back to its offset; what is lost, the original spacing,
// quotes and redundant parentheses, becomes spaces, so the text is the
// expression as written up to those. A tree built otherwise gets
// canonical spacing and its offsets are not kept.
func (e *AlibabaExpr) Source() string {
	w := &aliSourceWriter{}
	w.expr(e)
	return string(w.b)
}

// aliSourceWriter writes the tokens of an expression at their offsets.
// Opening parentheses wait for the token they precede; closing ones and
// commas follow the token before them.
type aliSourceWriter struct {
	b     []byte
	opens int
}

// The binding strength of each kind of node: an operand that binds less
// than its place needs must be parenthesized.
func aliPrec(e *AlibabaExpr) int {
	switch e.Kind {
	case AlibabaOr:
		return 1
	case AlibabaAnd:
		return 2
	case AlibabaNot:
		return 3
	case AlibabaCompare:
		return 4
	}
	return 5
}

func (w *aliSourceWriter) token(off int, text string) {
	gap := off - len(w.b) - w.opens
	if gap < 0 && len(w.b) > 0 {
		gap = 1
	}
	for ; gap > 0; gap-- {
		w.b = append(w.b, ' ')
	}
	for ; w.opens > 0; w.opens-- {
		w.b = append(w.b, '(')
	}
	w.b = append(w.b, text...)
}

// operand writes e where the grammar needs a node that binds at least as
// strongly as prec.
func (w *aliSourceWriter) operand(e *AlibabaExpr, prec int) {
	if aliPrec(e) >= prec {
		w.expr(e)
		return
	}
	w.opens++
	w.expr(e)
	w.b = append(w.b, ')')
}

func (w *aliSourceWriter) expr(e *AlibabaExpr) {
	switch e.Kind {
	case AlibabaLiteral:
		w.token(e.Offset, aliLiteralSource(e.Value))
	case AlibabaPathRef:
		w.token(e.Offset, e.Path.Src)
	case AlibabaNot:
		w.token(e.Offset, "!")
		w.operand(e.Args[0], 3)
	case AlibabaOr, AlibabaAnd, AlibabaCompare:
		// Or and And associate to the left; comparisons take primaries.
		left, right := aliPrec(e), aliPrec(e)+1
		op := map[AlibabaExprKind]string{AlibabaOr: "||", AlibabaAnd: "&&"}[e.Kind]
		if e.Kind == AlibabaCompare {
			op, left, right = e.Op, 5, 5
		}
		w.operand(e.Args[0], left)
		w.token(e.Offset, op)
		w.operand(e.Args[1], right)
	case AlibabaCall:
		w.token(e.Offset, e.Func)
		w.b = append(w.b, '(')
		for i, a := range e.Args {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.expr(a)
		}
		w.b = append(w.b, ')')
	}
}

// aliLiteralSource writes a literal operand. A string takes the quote
// that needs fewer escapes, so it is never longer than it was written.
func aliLiteralSource(v any) string {
	switch v := v.(type) {
	case string:
		quote := byte('"')
		if strings.Count(v, `"`) > strings.Count(v, "'") {
			quote = '\''
		}
		b := []byte{quote}
		for i := 0; i < len(v); i++ {
			if v[i] == quote || v[i] == '\\' {
				b = append(b, '\\')
			}
			b = append(b, v[i])
		}
		return string(append(b, quote))
	case json.Number:
		return string(v)
	}
	return string(appendAliJSON(nil, v))
}
