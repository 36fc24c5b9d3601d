package asl

import (
	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/source"
)

// statesAll is the error name that matches every error.
const statesAll = "States.ALL"

// retryCatch reads Retry and Catch.
func (p *parser) retryCatch(s *ir.State, n *source.Node) {
	if m := n.Get("Retry"); m != nil && p.array(m.Value, "Retry") {
		for i, it := range m.Value.Items {
			if r := p.retrier(it); r != nil {
				s.Retry = append(s.Retry, r)
				p.allLast(r.ErrorEquals, i, len(m.Value.Items), "Retry", it.Pos)
			}
		}
	}
	if m := n.Get("Catch"); m != nil && p.array(m.Value, "Catch") {
		for i, it := range m.Value.Items {
			if c := p.catcher(it, s.QueryLanguage); c != nil {
				s.Catch = append(s.Catch, c)
				p.allLast(c.ErrorEquals, i, len(m.Value.Items), "Catch", it.Pos)
			}
		}
	}
}

// allLast checks that States.ALL stands alone in the last element.
func (p *parser) allLast(errs []string, i, n int, field string, pos ir.Pos) {
	for _, e := range errs {
		if e != statesAll {
			continue
		}
		if len(errs) > 1 {
			p.errorf(pos, "%s[%d]: States.ALL must be the only name in ErrorEquals", field, i)
		}
		if i != n-1 {
			p.errorf(pos, "%s[%d]: an element with States.ALL must be the last one", field, i)
		}
	}
}

var retrierFields = map[string]bool{"ErrorEquals": true, "IntervalSeconds": true,
	"MaxAttempts": true, "BackoffRate": true, "MaxDelaySeconds": true,
	"JitterStrategy": true, "Comment": true}

func (p *parser) retrier(n *source.Node) *ir.Retrier {
	if !p.object(n, "a retrier") {
		return nil
	}
	r := &ir.Retrier{Pos: n.Pos, IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2}
	for _, m := range n.Members {
		if !retrierFields[m.Key] {
			p.errorf(m.KeyPos, "unknown field %q in a retrier", m.Key)
		}
	}
	r.ErrorEquals = p.errorEquals(n)
	if m := n.Get("IntervalSeconds"); m != nil {
		r.IntervalSeconds, _ = p.intIn(m.Value, "IntervalSeconds", 1, maxSeconds)
	}
	if m := n.Get("MaxAttempts"); m != nil {
		r.MaxAttempts, _ = p.intIn(m.Value, "MaxAttempts", 0, maxSeconds)
	}
	if m := n.Get("MaxDelaySeconds"); m != nil {
		r.MaxDelaySeconds, _ = p.intIn(m.Value, "MaxDelaySeconds", 1, 31622400-1)
	}
	if m := n.Get("BackoffRate"); m != nil {
		if f, ok := m.Value.Float(); !ok {
			p.errorf(m.Value.Pos, "BackoffRate must be a number, not %s", m.Value.Kind)
		} else if f < 1 {
			p.errorf(m.Value.Pos, "BackoffRate must be at least 1.0, not %s", m.Value.Text)
		} else {
			r.BackoffRate = f
		}
	}
	if m := n.Get("JitterStrategy"); m != nil {
		if s, ok := p.str(m.Value, "JitterStrategy"); ok {
			if s != "FULL" && s != "NONE" {
				p.errorf(m.Value.Pos, "JitterStrategy must be FULL or NONE, not %q", s)
			}
			r.JitterStrategy = s
		}
	}
	if m := n.Get("Comment"); m != nil {
		r.Comment, _ = p.str(m.Value, "Comment")
	}
	return r
}

var catcherFields = map[string]bool{"ErrorEquals": true, "Next": true, "ResultPath": true,
	"Comment": true, "Assign": true, "Output": true}

func (p *parser) catcher(n *source.Node, ql ir.QueryLanguage) *ir.Catcher {
	if !p.object(n, "a catcher") {
		return nil
	}
	c := &ir.Catcher{Pos: n.Pos}
	for _, m := range n.Members {
		switch {
		case !catcherFields[m.Key]:
			p.errorf(m.KeyPos, "unknown field %q in a catcher", m.Key)
		case m.Key == "ResultPath" && ql == ir.JSONata:
			p.errorf(m.KeyPos, "field \"ResultPath\" is not allowed in JSONata mode (use Output)")
		case m.Key == "Output" && ql == ir.JSONPath:
			p.errorf(m.KeyPos, "field \"Output\" needs QueryLanguage JSONata")
		}
	}
	c.ErrorEquals = p.errorEquals(n)
	if m := n.Get("Next"); m == nil {
		p.errorf(n.Pos, "a catcher needs Next")
	} else if s, ok := p.nonEmpty(m.Value, "Next"); ok {
		c.Next, c.NextPos = s, m.Value.Pos
	}
	if m := n.Get("ResultPath"); m != nil && ql == ir.JSONPath {
		c.ResultPath = p.optPath(m, true)
	}
	if m := n.Get("Output"); m != nil && ql == ir.JSONata {
		c.Output = p.jsonataTemplate(m.Value, "Output")
	}
	if m := n.Get("Assign"); m != nil {
		c.Assign = p.assign(m.Value, ql)
	}
	if m := n.Get("Comment"); m != nil {
		c.Comment, _ = p.str(m.Value, "Comment")
	}
	return c
}

// errorEquals reads a non-empty list of error names.
func (p *parser) errorEquals(n *source.Node) []string {
	m := n.Get("ErrorEquals")
	if m == nil {
		p.errorf(n.Pos, "ErrorEquals is required")
		return nil
	}
	if !p.array(m.Value, "ErrorEquals") {
		return nil
	}
	if len(m.Value.Items) == 0 {
		p.errorf(m.Value.Pos, "ErrorEquals must name at least one error")
	}
	var out []string
	for _, it := range m.Value.Items {
		if s, ok := p.nonEmpty(it, "an ErrorEquals element"); ok {
			out = append(out, s)
		}
	}
	return out
}
