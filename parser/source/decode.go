package source

import "bytes"

// Decode decodes a JSON or YAML document. A document whose first
// non-blank character is '{' or '[' is read as JSON, so that JSON's
// stricter syntax errors are reported; anything else is read as YAML.
func Decode(data []byte) (*Node, []Duplicate, error) {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		return DecodeJSON(data)
	}
	return DecodeYAML(data)
}
