package expr

import (
	"encoding/base64"
	"strings"
)

// maxEncodedInput is the longest string Base64Encode, Base64Decode and
// Hash accept.
const maxEncodedInput = 10000

// evalFormat fills the "{}" placeholders of a template with the values
// that follow it.
func evalFormat(_ *Env, c *Call, args []any) (any, error) {
	pieces := c.Args[0].FormatPieces()
	if c.Args[0].Kind != ArgLiteral {
		s, err := stringArg(c, args, 0)
		if err != nil {
			return nil, err
		}
		pieces = strings.Split(s, "{}")
	}
	values := args[1:]
	if len(pieces)-1 != len(values) {
		return nil, failure(c, "the template has %d placeholders, but %d values follow it",
			len(pieces)-1, len(values))
	}
	var sb strings.Builder
	sb.WriteString(pieces[0])
	for i, v := range values {
		sb.WriteString(plainText(v))
		sb.WriteString(pieces[i+1])
	}
	return sb.String(), nil
}

// evalStringSplit splits a string at every character of the delimiter
// and drops the empty pieces.
func evalStringSplit(_ *Env, c *Call, args []any) (any, error) {
	s, err := stringArg(c, args, 0)
	if err != nil {
		return nil, err
	}
	delims, err := stringArg(c, args, 1)
	if err != nil {
		return nil, err
	}
	fields := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(delims, r) })
	out := make([]any, len(fields))
	for i, f := range fields {
		out[i] = f
	}
	return out, nil
}

// boundedString returns a string argument of at most maxEncodedInput
// characters.
func boundedString(c *Call, args []any, i int) (string, error) {
	s, err := stringArg(c, args, i)
	if err != nil {
		return "", err
	}
	if n := len([]rune(s)); n > maxEncodedInput {
		return "", failure(c, "argument %d has %d characters, more than the %d allowed",
			i+1, n, maxEncodedInput)
	}
	return s, nil
}

// evalBase64Encode encodes a string's UTF-8 bytes in base64.
func evalBase64Encode(_ *Env, c *Call, args []any) (any, error) {
	s, err := boundedString(c, args, 0)
	if err != nil {
		return nil, err
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

// evalBase64Decode decodes base64 text into a string.
func evalBase64Decode(_ *Env, c *Call, args []any) (any, error) {
	s, err := boundedString(c, args, 0)
	if err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, failure(c, "argument 1 is not base64 text: %s", s)
	}
	return string(b), nil
}

// evalHash returns the lower-case hex digest of a string; another value
// is hashed as its JSON text.
func evalHash(_ *Env, c *Call, args []any) (any, error) {
	data, ok := args[0].(string)
	if !ok {
		data = compactJSON(args[0])
	}
	if n := len([]rune(data)); n > maxEncodedInput {
		return nil, failure(c, "argument 1 has %d characters, more than the %d allowed",
			n, maxEncodedInput)
	}
	alg, err := stringArg(c, args, 1)
	if err != nil {
		return nil, err
	}
	if !hashAlgorithms[alg] {
		return nil, failure(c, "unsupported algorithm %s: use one of MD5, SHA-1, "+
			"SHA-256, SHA-384 or SHA-512", alg)
	}
	return jsonataHash(data, alg)
}
