package fdl

import (
	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/source"
)

// The flow format's documented retry defaults.
const (
	defaultInterval    = 1
	defaultMaxAttempts = 3
	defaultMultiplier  = 2.0
	defaultMaxInterval = 86400
)

// flowRetry parses a flow-format retry list.
func (p *parser) flowRetry(n *source.Node, what string) []*ir.Retrier {
	var out []*ir.Retrier
	for _, it := range p.array(n, "retry", what, false) {
		w := what + ": retry"
		if !p.object(it, w, "errors", "intervalSeconds", "maxAttempts", "multiplier",
			"maxIntervalSeconds") {
			continue
		}
		out = append(out, &ir.Retrier{
			Pos:             it.Pos,
			ErrorEquals:     p.strings(it, "errors", w),
			IntervalSeconds: p.integer(it, "intervalSeconds", w, defaultInterval),
			MaxAttempts:     p.integer(it, "maxAttempts", w, defaultMaxAttempts),
			BackoffRate:     p.number(it, "multiplier", w, defaultMultiplier),
			MaxDelaySeconds: p.integer(it, "maxIntervalSeconds", w, defaultMaxInterval),
		})
	}
	return out
}

// cloudRetry parses a CloudFlow Retry list.
func (p *parser) cloudRetry(n *source.Node, what string) []*ir.Retrier {
	var out []*ir.Retrier
	for _, it := range p.array(n, "Retry", what, false) {
		w := what + ": Retry"
		if !p.object(it, w, "ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
			"MaxDelaySeconds", "Description") {
			continue
		}
		out = append(out, &ir.Retrier{
			Pos:             it.Pos,
			ErrorEquals:     p.strings(it, "ErrorEquals", w),
			IntervalSeconds: p.integer(it, "IntervalSeconds", w, defaultInterval),
			MaxAttempts:     p.integer(it, "MaxAttempts", w, defaultMaxAttempts),
			BackoffRate:     p.number(it, "BackoffRate", w, defaultMultiplier),
			MaxDelaySeconds: p.integer(it, "MaxDelaySeconds", w, 0),
		})
	}
	return out
}
