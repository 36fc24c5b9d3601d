package runtime

import (
	"encoding/json"
	"time"

	"github.com/jointlambda/jlgen/runtime/expr"
)

// waitFor computes how long the Wait state s waits, from Seconds or
// Timestamp, with AWS's errors for a value that is not a whole number of
// seconds or not a timestamp.
func (c *Call) waitFor(sc *scope, s *State, in any) (time.Duration, error) {
	if s.Seconds.Set {
		secs, err := waitSeconds(sc, s.Seconds, in)
		if err != nil {
			return 0, err
		}
		return time.Duration(secs) * time.Second, nil
	}
	t, err := waitTimestamp(sc, s.Timestamp, in)
	if err != nil {
		return 0, err
	}
	return max(t.Sub(c.now()), 0), nil
}

// waitSeconds evaluates a Wait state's Seconds, SecondsPath or JSONata
// Seconds, which must be a whole number.
func waitSeconds(sc *scope, n Number, in any) (int64, error) {
	if n.Path == nil {
		return evalInteger(sc, n, in, "Seconds")
	}
	v, err := numberValue(sc, n, in, "Seconds")
	if err != nil {
		return 0, err
	}
	secs, ok := wholeNumber(v)
	if !ok {
		return 0, expr.NewError(expr.ErrRuntime, "The SecondsPath parameter cannot be parsed "+
			"as a long value: %s == %s", n.Path, plainValue(v))
	}
	return secs, nil
}

// wholeNumber returns v as an integer when it is a JSON number without a
// fraction.
func wholeNumber(v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	return i, err == nil
}

// waitTimestamp evaluates a Wait state's Timestamp, TimestampPath or
// JSONata Timestamp into the time the wait ends.
func waitTimestamp(sc *scope, t Text, in any) (time.Time, error) {
	v, err := textValue(sc, t, in, "Timestamp")
	if err != nil {
		return time.Time{}, err
	}
	s, _ := v.(string)
	ts, ok := parseTimestamp(s)
	switch {
	case ok:
		return ts, nil
	case t.Path != nil:
		return ts, expr.NewError(expr.ErrRuntime, "The TimestampPath parameter does not "+
			"reference a valid ISO-8601 extended offset date-time format string: %s == %s",
			t.Path, plainValue(v))
	case t.JSONata != nil:
		return ts, expr.NewError(expr.ErrQueryEvaluation, "The Timestamp field cannot be "+
			"parsed as an ISO-8601 extended offset date-time format string: %s", plainValue(v))
	}
	return ts, expr.NewError(expr.ErrRuntime, "The Timestamp field is not a valid ISO-8601 "+
		"extended offset date-time format string: %s", plainValue(v))
}

// timestampLayouts are the forms of an ISO-8601 extended offset date-time
// (date, "T", time with optional seconds and fraction, offset) in Go's
// notation.
var timestampLayouts = []string{
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04Z07:00",
}

// parseTimestamp parses an ISO-8601 extended offset date-time, such as
// 2016-03-14T01:59:00Z or 2016-03-14T01:59:00.123+01:00.
func parseTimestamp(s string) (time.Time, bool) {
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
