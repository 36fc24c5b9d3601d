package expr

import (
	"errors"
	"fmt"
)

// The names of the States errors the evaluators raise, as AWS Step
// Functions reports them.
const (
	// ErrRuntime is raised when a path selects nothing, a Choice
	// variable is missing, or a value has the wrong shape for its field.
	// Retriers and catchers with States.ALL do not match it.
	ErrRuntime = "States.Runtime"
	// ErrQueryEvaluation is raised when a JSONata expression fails,
	// returns nothing, or returns a value of the wrong type.
	ErrQueryEvaluation = "States.QueryEvaluationError"
	// ErrIntrinsicFailure is raised when an intrinsic function rejects
	// its arguments at run time.
	ErrIntrinsicFailure = "States.IntrinsicFailure"
)

// Error is a States error raised while evaluating an expression. Name is
// the error name a Retry or Catch matches, such as "States.Runtime";
// Cause is the text AWS reports with it, without the prefix naming the
// state ("An error occurred while executing the state ..."), which the
// caller that knows the state adds.
type Error struct {
	Name  string
	Cause string
}

// NewError returns an *Error with the given name and a cause formatted
// with fmt.Sprintf.
func NewError(name, format string, args ...any) *Error {
	return &Error{Name: name, Cause: fmt.Sprintf(format, args...)}
}

// Error returns the name and the cause.
func (e *Error) Error() string {
	if e.Cause == "" {
		return e.Name
	}
	return e.Name + ": " + e.Cause
}

// AsError returns err as an *Error when it is one or wraps one. Any other
// error becomes a States.Runtime error with err's text as its cause.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var m *missingPathError
	if errors.As(err, &m) {
		return m.asError("")
	}
	return &Error{Name: ErrRuntime, Cause: err.Error()}
}

// errJSONataUndefined is what a compiled JSONata program returns when
// the expression has no value, which is not the same as null.
var errJSONataUndefined = errors.New("JSONata expression returned nothing")

// missingPathError reports a path that selected nothing. The template
// field it was evaluated for, when there is one, is only known higher up,
// so it becomes an *Error there.
type missingPathError struct {
	path  *Path
	input any  // the value the path was applied to
	arg   bool // the path is an argument of an intrinsic function
}

func (m *missingPathError) Error() string {
	return "path " + m.path.String() + " selects nothing"
}

// asError words the error as AWS does for a template field.
func (m *missingPathError) asError(field string) *Error {
	if m.arg {
		return NewError(ErrRuntime,
			"The JsonPath argument for the field '%s' could not be found in the input '%s'",
			field, compactJSON(m.input))
	}
	return NewError(ErrRuntime,
		"The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'",
		m.path.String(), field, compactJSON(m.input))
}

// compactJSON renders v as compact JSON text, the way AWS quotes values in
// its causes.
func compactJSON(v any) string {
	s, err := jsonText(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return s
}
