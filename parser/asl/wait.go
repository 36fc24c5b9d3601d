package asl

import (
	"time"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/source"
)

func (p *parser) wait(s *ir.State, n *source.Node) {
	w := &ir.Wait{}
	s.Wait = w
	given := 0
	for _, f := range []string{"Seconds", "SecondsPath", "Timestamp", "TimestampPath"} {
		if n.Get(f) != nil {
			given++
		}
	}
	if given != 1 {
		p.errorf(s.Pos, "a Wait state needs exactly one of Seconds, SecondsPath, "+
			"Timestamp and TimestampPath, not %d", given)
	}
	w.Seconds = p.seconds(s, n, "Seconds", 0, maxWaitSeconds)
	if m := n.Get("Timestamp"); m != nil {
		switch {
		case s.QueryLanguage == ir.JSONata && isJSONata(m.Value):
			w.TimestampJSONata = p.jsonata(m.Value, "Timestamp")
		default:
			if ts, ok := p.str(m.Value, "Timestamp"); ok {
				if !validTimestamp(ts) {
					p.errorf(m.Value.Pos, "Timestamp %q is not an RFC 3339 timestamp", ts)
				}
				w.Timestamp = ts
			}
		}
	}
	if m := n.Get("TimestampPath"); m != nil && s.QueryLanguage == ir.JSONPath {
		w.TimestampPath = p.path(m.Value, "TimestampPath")
	}
}

// maxWaitSeconds is one year, the longest a standard workflow may run.
const maxWaitSeconds = 31536000

// validTimestamp reports whether s is an RFC 3339 timestamp, which the
// States Language requires, upper-case T and Z included.
func validTimestamp(s string) bool {
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil
}
