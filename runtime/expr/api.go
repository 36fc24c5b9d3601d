package expr

import "fmt"

// SyntaxError reports a problem in the text of one expression. Offset is
// the byte offset into that text, so that a caller that knows where the
// text starts in its file can point at the exact column.
type SyntaxError struct {
	Offset int
	Msg    string
}

// Error returns the offset and the message.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("offset %d: %s", e.Offset, e.Msg)
}
