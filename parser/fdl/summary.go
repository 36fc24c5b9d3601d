package fdl

import (
	"fmt"
	"strings"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/runtime/expr"
)

// Summary formats a parsed Alibaba workflow as compact, deterministic
// text: every state with its transitions, Alibaba data flow and
// expressions, one fact per line. Tests compare it with golden files.
func Summary(w *ir.Workflow) string {
	if w == nil {
		return "<nil>\n"
	}
	s := &summary{}
	s.line(0, "workflow %s version=%q timeout=%d", w.Dialect, w.Version, w.TimeoutSeconds)
	s.graph(1, w.Graph)
	return s.b.String()
}

type summary struct{ b strings.Builder }

func (s *summary) line(depth int, format string, args ...any) {
	s.b.WriteString(strings.Repeat("  ", depth))
	fmt.Fprintf(&s.b, format, args...)
	s.b.WriteString("\n")
}

func (s *summary) graph(d int, g *ir.Graph) {
	if g == nil {
		s.line(d, "graph <nil>")
		return
	}
	s.line(d, "graph start=%q", g.StartAt)
	for _, st := range g.States {
		s.state(d+1, st)
	}
}

func (s *summary) state(d int, st *ir.State) {
	s.line(d, "%s %q @%s%s", st.Type, st.Name, st.Pos, transition(st))
	af := st.Alibaba
	if af == nil {
		return
	}
	if len(af.Scope) > 0 {
		s.line(d+1, "scope %q", af.Scope)
	}
	s.mappings(d+1, "input", af.InputMappings)
	s.mappings(d+1, "output", af.OutputMappings)
	s.mappings(d+1, "error", af.ErrorMappings)
	s.constructors(d+1, af)
	s.task(d+1, st)
	s.body(d+1, st)
	for _, r := range st.Retry {
		s.line(d+1, "retry %q interval=%d attempts=%d rate=%g maxdelay=%d", r.ErrorEquals,
			r.IntervalSeconds, r.MaxAttempts, r.BackoffRate, r.MaxDelaySeconds)
	}
	for _, c := range st.Catch {
		s.line(d+1, "catch %q -> %q", c.ErrorEquals, c.Next)
	}
}

func transition(st *ir.State) string {
	out := ""
	if st.Next != "" {
		out += fmt.Sprintf(" next=%q", st.Next)
	}
	if st.Type == ir.TypeChoice {
		out += fmt.Sprintf(" default=%q", st.Default)
	}
	if st.End {
		out += " end"
	}
	return out
}

func (s *summary) mappings(d int, kind string, ms []*ir.AlibabaMapping) {
	if ms != nil && len(ms) == 0 {
		s.line(d, "%s mappings empty", kind)
	}
	for _, m := range ms {
		s.line(d, "%s %q <- %s", kind, m.Target, tmpl(m.Source))
	}
}

func tmpl(t *expr.AlibabaTemplate) string {
	if t == nil {
		return "<nil>"
	}
	return t.String()
}

func ex(e *expr.AlibabaExpr) string {
	if e == nil {
		return "<nil>"
	}
	return e.String()
}

func (s *summary) constructors(d int, af *ir.AlibabaFlow) {
	for _, c := range []struct {
		name string
		t    *expr.AlibabaTemplate
	}{{"input constructor", af.InputConstructor}, {"output constructor",
		af.OutputConstructor}, {"parameters", af.Parameters},
		{"item constructor", af.ItemConstructor}, {"service params", af.ServiceParams}} {
		if c.t != nil {
			s.line(d, "%s %s", c.name, tmpl(c.t))
		}
	}
	if af.Description != "" {
		s.line(d, "description %q", af.Description)
	}
}

func (s *summary) task(d int, st *ir.State) {
	if st.Task == nil {
		return
	}
	af := st.Alibaba
	s.line(d, "resource %q kind=%s action=%q pattern=%q mode=%q", st.Task.Resource,
		st.Task.Kind, af.Action, af.Pattern, af.TaskMode)
	if f := af.Function; f != nil {
		s.line(d, "function region=%q account=%q service=%q name=%q", f.Region, f.Account,
			f.Service, f.Function)
	}
	if t := st.Task.TimeoutSeconds; t != nil {
		s.line(d, "timeout %d", t.Value)
	}
}

func (s *summary) body(d int, st *ir.State) {
	af := st.Alibaba
	for _, b := range st.Choices {
		cond := "<nil>"
		if b.Alibaba != nil {
			cond = ex(b.Alibaba.Expr)
		}
		s.line(d, "when %s -> %q", cond, b.Next)
	}
	s.wait(d, st)
	if st.Fail != nil {
		s.line(d, "fail error=%q cause=%q", strOf(st.Fail.Error), strOf(st.Fail.Cause))
	}
	for i, g := range st.Branches {
		s.line(d, "branch %d", i)
		s.graph(d+1, g)
	}
	if st.Map == nil {
		return
	}
	if it := af.Iteration; it != nil {
		s.line(d, "iteration collection=%s item=%q index=%q", ex(it.Collection), it.Item,
			it.Index)
	}
	if af.ItemsPath != nil {
		s.line(d, "items %s", ex(af.ItemsPath))
	}
	if af.ExecutionMode != "" || af.Mode != "" {
		s.line(d, "processor mode=%q execution=%q", af.Mode, af.ExecutionMode)
	}
	if m := st.Map.MaxConcurrency; m != nil {
		s.line(d, "max concurrency %d", m.Value)
	}
	s.graph(d, st.Map.Processor)
}

func (s *summary) wait(d int, st *ir.State) {
	if st.Wait == nil {
		return
	}
	switch {
	case st.Wait.Seconds != nil:
		s.line(d, "wait seconds=%d", st.Wait.Seconds.Value)
	case st.Wait.Timestamp != "":
		s.line(d, "wait until=%q", st.Wait.Timestamp)
	case st.Alibaba.WaitSeconds != nil:
		s.line(d, "wait seconds=%s", ex(st.Alibaba.WaitSeconds))
	case st.Alibaba.WaitUntil != nil:
		s.line(d, "wait until=%s", ex(st.Alibaba.WaitUntil))
	}
}

func strOf(v *ir.StringOrExpr) string {
	if v == nil {
		return ""
	}
	return v.Value
}
