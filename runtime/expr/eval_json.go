package expr

import (
	"bytes"
	"encoding/json"
	"math/big"
	"sort"
	"strconv"
	"strings"
)

// jsonText renders v as compact JSON text without HTML escaping.
func jsonText(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

// decodeJSON decodes one JSON text, numbers as json.Number.
func decodeJSON(text string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, &json.SyntaxError{Offset: dec.InputOffset()}
	}
	return v, nil
}

// asNumber returns v as a json.Number when v is a number. Besides
// json.Number it accepts the Go number types a caller may hand in.
func asNumber(v any) (json.Number, bool) {
	switch n := v.(type) {
	case json.Number:
		return n, true
	case float64:
		return formatNumber(n), true
	case int:
		return json.Number(strconv.Itoa(n)), true
	case int64:
		return json.Number(strconv.FormatInt(n, 10)), true
	}
	return "", false
}

// numberRat returns the exact value of a JSON number.
func numberRat(n json.Number) (*big.Rat, bool) {
	return new(big.Rat).SetString(string(n))
}

// compareNumbers compares two JSON numbers exactly, so that 1 equals 1.0
// and big integers keep every digit.
func compareNumbers(a, b json.Number) (int, bool) {
	x, ok1 := numberRat(a)
	y, ok2 := numberRat(b)
	if !ok1 || !ok2 {
		return 0, false
	}
	return x.Cmp(y), true
}

// valuesEqual reports whether two JSON values are equal: numbers by value,
// objects by their members whatever their order.
func valuesEqual(a, b any) bool {
	if x, ok := asNumber(a); ok {
		y, ok := asNumber(b)
		c, ok2 := compareNumbers(x, y)
		return ok && ok2 && c == 0
	}
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		return ok && objectsEqual(x, y)
	case []any:
		y, ok := b.([]any)
		return ok && arraysEqual(x, y)
	case nil:
		return b == nil
	}
	return a == b
}

func objectsEqual(x, y map[string]any) bool {
	if len(x) != len(y) {
		return false
	}
	for k, v := range x {
		w, ok := y[k]
		if !ok || !valuesEqual(v, w) {
			return false
		}
	}
	return true
}

func arraysEqual(x, y []any) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if !valuesEqual(x[i], y[i]) {
			return false
		}
	}
	return true
}

// jsonTypeName names the JSON type of v as AWS does in its causes.
func jsonTypeName(v any) string {
	if _, ok := asNumber(v); ok {
		return "number"
	}
	switch v.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case nil:
		return "null"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

// plainText renders a value the way States.Format inserts it: a string
// as is, null as "null", and objects and arrays in the Java collection
// notation AWS uses, {a=1, b=[x, y]}, with unquoted strings inside.
func plainText(v any) string {
	var sb strings.Builder
	writePlain(&sb, v)
	return sb.String()
}

func writePlain(sb *strings.Builder, v any) {
	if n, ok := asNumber(v); ok {
		sb.WriteString(string(n))
		return
	}
	switch x := v.(type) {
	case string:
		sb.WriteString(x)
	case bool:
		sb.WriteString(strconv.FormatBool(x))
	case nil:
		sb.WriteString("null")
	case []any:
		sb.WriteByte('[')
		for i, it := range x {
			if i > 0 {
				sb.WriteString(", ")
			}
			writePlain(sb, it)
		}
		sb.WriteByte(']')
	case map[string]any:
		writePlainObject(sb, x)
	}
}

// writePlainObject writes an object's members in sorted key order: a
// decoded map does not keep the document's order.
func writePlainObject(sb *strings.Builder, m map[string]any) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	sb.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(k)
		sb.WriteByte('=')
		writePlain(sb, m[k])
	}
	sb.WriteByte('}')
}

// CompactJSON renders v the way AWS quotes values in its causes: compact
// JSON text, without HTML escaping.
func CompactJSON(v any) string { return compactJSON(v) }

// TypeName names the JSON type of v the way AWS does in its causes:
// "null", "boolean", "number", "string", "array" or "object".
func TypeName(v any) string { return jsonTypeName(v) }
