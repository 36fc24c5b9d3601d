package expr

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// TemplateError is a problem in one value of a payload template.
type TemplateError struct {
	// Pointer leads from the template's root to the value: object keys as
	// written (with any ".$") and array indexes in decimal.
	Pointer []string
	// Err says what is wrong; a *SyntaxError when the text of an
	// expression is, with the offset into that text.
	Err error
}

func (e *TemplateError) Error() string {
	return "/" + strings.Join(e.Pointer, "/") + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *TemplateError) Unwrap() error { return e.Err }

// ParseTemplate parses a payload template from its JSON text, keeping the
// order of object fields. In JSONPath mode a field whose name ends in ".$"
// takes a path or an intrinsic function call; in JSONata mode every
// string written "{% ... %}" is an expression, and a string that only
// starts with "{%" or ends with "%}" is an error. It returns every
// problem found.
func ParseTemplate(text []byte, jsonata bool) (*Template, []*TemplateError) {
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	tp := &templateParser{dec: dec, jsonata: jsonata}
	t, err := tp.value()
	if err != nil {
		return nil, []*TemplateError{{Err: fmt.Errorf("malformed template: %w", err)}}
	}
	return t, tp.errs
}

type templateParser struct {
	dec     *json.Decoder
	jsonata bool
	pointer []string
	errs    []*TemplateError
}

func (tp *templateParser) fail(err error) {
	ptr := append([]string(nil), tp.pointer...)
	tp.errs = append(tp.errs, &TemplateError{Pointer: ptr, Err: err})
}

// value reads the next JSON value as a template.
func (tp *templateParser) value() (*Template, error) {
	tok, err := tp.dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		return tp.object()
	case json.Delim('['):
		return tp.array()
	}
	if s, ok := tok.(string); ok && tp.jsonata && looksLikeJSONata(s) {
		j, err := ParseJSONataString(s)
		if err != nil {
			tp.fail(err)
		}
		return &Template{Kind: TemplateJSONata, JSONata: j}, nil
	}
	return &Template{Kind: TemplateLiteral, Literal: tok}, nil
}

// looksLikeJSONata reports whether s opens or closes like an expression,
// so that a malformed one is reported rather than taken as a string. As
// in AWS, a string with blanks before "{%" and after "%}" is a string.
func looksLikeJSONata(s string) bool {
	return strings.HasPrefix(s, "{%") || strings.HasSuffix(s, "%}")
}

func (tp *templateParser) object() (*Template, error) {
	t := &Template{Kind: TemplateObject}
	seen := map[string]string{}
	for tp.dec.More() {
		tok, err := tp.dec.Token()
		if err != nil {
			return nil, err
		}
		key := tok.(string)
		tp.pointer = append(tp.pointer, key)
		f, err := tp.field(key)
		if err != nil {
			return nil, err
		}
		if first, dup := seen[f.Name]; dup {
			tp.fail(fmt.Errorf("field %q clashes with field %q: both set %q", key, first, f.Name))
		}
		seen[f.Name] = key
		t.Fields = append(t.Fields, f)
		tp.pointer = tp.pointer[:len(tp.pointer)-1]
	}
	_, err := tp.dec.Token() // }
	return t, err
}

// field reads the value of the object field key.
func (tp *templateParser) field(key string) (TemplateField, error) {
	name, dynamic := strings.CutSuffix(key, ".$")
	if !dynamic || tp.jsonata {
		v, err := tp.value()
		return TemplateField{Name: key, Value: v}, err
	}
	v, err := tp.value()
	if err != nil {
		return TemplateField{}, err
	}
	s, ok := v.Literal.(string)
	if v.Kind != TemplateLiteral || !ok {
		tp.fail(fmt.Errorf("must be a path or an intrinsic function call, not %s",
			describeTemplate(v)))
		return TemplateField{Name: name, Value: v}, nil
	}
	return TemplateField{Name: name, Value: tp.dynamic(s)}, nil
}

// dynamic parses the string value of a "key.$" field.
func (tp *templateParser) dynamic(s string) *Template {
	if strings.HasPrefix(s, "States.") {
		call, err := ParseIntrinsic(s)
		if err != nil {
			tp.fail(err)
		}
		return &Template{Kind: TemplateIntrinsic, Call: call}
	}
	if !strings.HasPrefix(s, "$") {
		tp.fail(fmt.Errorf("must be a path or an intrinsic function call, not %q", s))
		return &Template{Kind: TemplatePath}
	}
	p, err := ParsePath(s)
	if err != nil {
		tp.fail(err)
	}
	return &Template{Kind: TemplatePath, Path: p}
}

func (tp *templateParser) array() (*Template, error) {
	t := &Template{Kind: TemplateArray}
	for i := 0; tp.dec.More(); i++ {
		tp.pointer = append(tp.pointer, strconv.Itoa(i))
		v, err := tp.value()
		if err != nil {
			return nil, err
		}
		t.Items = append(t.Items, v)
		tp.pointer = tp.pointer[:len(tp.pointer)-1]
	}
	_, err := tp.dec.Token() // ]
	return t, err
}

// describeTemplate names the JSON type of a parsed value for a message.
func describeTemplate(t *Template) string {
	switch t.Kind {
	case TemplateObject:
		return "object"
	case TemplateArray:
		return "array"
	}
	switch t.Literal.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	}
	return "string"
}
