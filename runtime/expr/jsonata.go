package expr

// JSONata is a parsed JSONata expression, the text between "{%" and "%}".
type JSONata struct {
	src string
}

// String returns the expression text.
func (j *JSONata) String() string { return j.src }

// IsJSONataString reports whether s is a JSONata expression string: it
// starts with "{%" and ends with "%}".
func IsJSONataString(s string) bool {
	panic("expr: IsJSONataString not implemented")
}

// ParseJSONataString parses a "{% ... %}" string. The offsets in its
// errors count from the start of s.
func ParseJSONataString(s string) (*JSONata, error) {
	panic("expr: ParseJSONataString not implemented")
}
