package expr

import (
	"strings"
	"time"
	"unicode/utf16"
)

// compareUTF16 compares two strings by their UTF-16 code units, as Java
// and so AWS order strings.
func compareUTF16(a, b string) int {
	x, y := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	for i := 0; i < len(x) && i < len(y); i++ {
		if x[i] != y[i] {
			return int(x[i]) - int(y[i])
		}
	}
	return len(x) - len(y)
}

// parseTimestamp parses an RFC 3339 timestamp with a time zone, and
// reports false for anything else.
func parseTimestamp(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

// matchPattern reports whether s matches a StringMatches pattern, in
// which * stands for any run of characters, \* for a star and \\ for a
// backslash.
func matchPattern(s, pattern string) bool {
	parts := splitPattern(pattern)
	first, last := parts[0], parts[len(parts)-1]
	if len(parts) == 1 {
		return s == first
	}
	if !strings.HasPrefix(s, first) {
		return false
	}
	s = s[len(first):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, last)
}

// splitPattern splits a pattern at its unescaped stars, removing the
// escapes: n stars give n+1 literal parts.
func splitPattern(pattern string) []string {
	var parts []string
	var cur strings.Builder
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; {
		case c == '\\' && i+1 < len(pattern):
			i++
			cur.WriteByte(pattern[i])
		case c == '*':
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	return append(parts, cur.String())
}
