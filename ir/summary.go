package ir

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/jointlambda/jlgen/runtime/expr"
)

// Summary renders a workflow as indented text, one line per state and
// field, with every expression in its parsed form. It is deterministic, so
// tests compare it against expected files.
func Summary(wf *Workflow) string {
	var b strings.Builder
	fmt.Fprintf(&b, "workflow %s dialect=%s", wf.File, wf.Dialect)
	if wf.Name != "" {
		fmt.Fprintf(&b, " name=%q", wf.Name)
	}
	if wf.Version != "" {
		fmt.Fprintf(&b, " version=%q", wf.Version)
	}
	if wf.TimeoutSeconds != 0 {
		fmt.Fprintf(&b, " timeout=%d", wf.TimeoutSeconds)
	}
	b.WriteString("\n")
	if wf.Graph != nil {
		summarizeGraph(&b, wf.Graph, 1)
	}
	return b.String()
}

type summary struct {
	b      *strings.Builder
	indent string
}

func (s summary) line(format string, args ...any) {
	s.b.WriteString(s.indent)
	fmt.Fprintf(s.b, format, args...)
	s.b.WriteString("\n")
}

func summarizeGraph(b *strings.Builder, g *Graph, depth int) {
	s := summary{b, strings.Repeat("  ", depth)}
	head := fmt.Sprintf("graph @%s start=%q ql=%s", g.Pos, g.StartAt, g.QueryLanguage)
	if g.ProcessorMode != "" {
		head += " mode=" + g.ProcessorMode
	}
	if g.ExecutionType != "" {
		head += " execution=" + g.ExecutionType
	}
	s.line("%s", head)
	for _, st := range g.States {
		summarizeState(b, st, depth+1)
	}
}

func summarizeState(b *strings.Builder, st *State, depth int) {
	s := summary{b, strings.Repeat("  ", depth)}
	head := fmt.Sprintf("state %q %s @%s", st.Name, st.Type, st.Pos)
	if st.QueryLanguage == JSONata {
		head += " ql=JSONata"
	}
	if st.Next != "" {
		head += fmt.Sprintf(" next=%q", st.Next)
	}
	if st.End {
		head += " end"
	}
	s.line("%s", head)
	in := summary{b, s.indent + "  "}
	in.dataFlow(&st.Flow)
	in.typeFields(st, depth+1)
	for _, r := range st.Retry {
		in.line("retry %s interval=%d max=%d backoff=%g maxdelay=%d jitter=%q",
			strings.Join(r.ErrorEquals, ","), r.IntervalSeconds, r.MaxAttempts,
			r.BackoffRate, r.MaxDelaySeconds, r.JitterStrategy)
	}
	for _, c := range st.Catch {
		line := fmt.Sprintf("catch %s next=%q", strings.Join(c.ErrorEquals, ","), c.Next)
		if c.ResultPath != nil {
			line += " resultpath=" + optPath(c.ResultPath)
		}
		if c.Output != nil {
			line += " output=" + Template(c.Output)
		}
		in.line("%s", line)
		in.assign(c.Assign)
	}
	if st.Alibaba != nil {
		in.line("alibaba %s", jsonText(st.Alibaba))
	}
}

func (s summary) dataFlow(f *DataFlow) {
	opt := func(name string, p *OptPath) {
		if p != nil {
			s.line("%s %s", name, optPath(p))
		}
	}
	tmpl := func(name string, t *expr.Template) {
		if t != nil {
			s.line("%s %s", name, Template(t))
		}
	}
	opt("inputpath", f.InputPath)
	tmpl("parameters", f.Parameters)
	tmpl("arguments", f.Arguments)
	tmpl("resultselector", f.ResultSelector)
	opt("resultpath", f.ResultPath)
	opt("outputpath", f.OutputPath)
	tmpl("output", f.Output)
	s.assign(f.Assign)
}

func (s summary) assign(fields []expr.TemplateField) {
	for _, f := range fields {
		s.line("assign %s = %s", f.Name, Template(f.Value))
	}
}

func (s summary) typeFields(st *State, depth int) {
	if t := st.Task; t != nil {
		s.line("resource %q kind=%s", t.Resource, t.Kind)
		s.intOrExpr("timeout", t.TimeoutSeconds)
		s.intOrExpr("heartbeat", t.HeartbeatSeconds)
		if t.Credentials != nil {
			s.line("credentials %s", Template(t.Credentials))
		}
	}
	if st.Result != nil {
		s.line("result %s", Template(st.Result))
	}
	for _, c := range st.Choices {
		s.choice(c)
	}
	if st.Default != "" {
		s.line("default %q", st.Default)
	}
	if w := st.Wait; w != nil {
		s.intOrExpr("seconds", w.Seconds)
		if w.Timestamp != "" {
			s.line("timestamp %q", w.Timestamp)
		}
		if w.TimestampPath != nil {
			s.line("timestamppath %s", w.TimestampPath)
		}
		if w.TimestampJSONata != nil {
			s.line("timestamp {%% %s %%}", w.TimestampJSONata)
		}
	}
	if f := st.Fail; f != nil {
		s.stringOrExpr("error", f.Error)
		s.stringOrExpr("cause", f.Cause)
	}
	for _, g := range st.Branches {
		summarizeGraph(s.b, g, depth)
	}
	if m := st.Map; m != nil {
		s.mapFields(m, depth)
	}
}

func (s summary) mapFields(m *Map, depth int) {
	if m.ItemsPath != nil {
		s.line("itemspath %s", optPath(m.ItemsPath))
	}
	templates := []struct {
		name string
		t    *expr.Template
	}{{"items", m.Items}, {"itemselector", m.ItemSelector}, {"itemreader", m.ItemReader},
		{"itembatcher", m.ItemBatcher}, {"resultwriter", m.ResultWriter}}
	for _, f := range templates {
		if f.t != nil {
			s.line("%s %s", f.name, Template(f.t))
		}
	}
	s.intOrExpr("maxconcurrency", m.MaxConcurrency)
	s.intOrExpr("toleratedcount", m.ToleratedFailureCount)
	if v := m.ToleratedFailurePercentage; v != nil {
		if v.Path == nil && v.JSONata == nil && v.Placeholder == "" {
			s.line("toleratedpercentage %g", v.Value)
		} else {
			s.intOrExpr("toleratedpercentage", &IntOrExpr{Placeholder: v.Placeholder,
				Path: v.Path, JSONata: v.JSONata})
		}
	}
	if m.Label != "" {
		s.line("label %q", m.Label)
	}
	if m.Processor != nil {
		summarizeGraph(s.b, m.Processor, depth)
	}
}

func (s summary) choice(c *ChoiceBranch) {
	rule := "<none>"
	if c.Rule != nil {
		rule = Rule(c.Rule)
	}
	if c.Alibaba != nil {
		rule = "alibaba " + jsonText(c.Alibaba)
	}
	s.line("choice %s -> %q", rule, c.Next)
	if c.Output != nil {
		s.line("  output %s", Template(c.Output))
	}
	for _, f := range c.Assign {
		s.line("  assign %s = %s", f.Name, Template(f.Value))
	}
}

func (s summary) intOrExpr(name string, v *IntOrExpr) {
	switch {
	case v == nil:
	case v.Path != nil:
		s.line("%s path %s", name, v.Path)
	case v.JSONata != nil:
		s.line("%s {%% %s %%}", name, v.JSONata)
	case v.Placeholder != "":
		s.line("%s placeholder %q", name, v.Placeholder)
	default:
		s.line("%s %d", name, v.Value)
	}
}

func (s summary) stringOrExpr(name string, v *StringOrExpr) {
	switch {
	case v == nil:
	case v.Path != nil:
		s.line("%s path %s", name, v.Path)
	case v.Call != nil:
		s.line("%s %s", name, Call(v.Call))
	case v.JSONata != nil:
		s.line("%s {%% %s %%}", name, v.JSONata)
	default:
		s.line("%s %q", name, v.Value)
	}
}

func optPath(p *OptPath) string {
	if p.Path == nil {
		return "null"
	}
	return p.Path.String()
}

// Template renders a parsed payload template on one line.
func Template(t *expr.Template) string {
	if t == nil {
		return "<invalid>"
	}
	switch t.Kind {
	case expr.TemplateObject:
		parts := make([]string, len(t.Fields))
		for i, f := range t.Fields {
			parts[i] = strconv.Quote(f.Name) + ": " + Template(f.Value)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case expr.TemplateArray:
		parts := make([]string, len(t.Items))
		for i, it := range t.Items {
			parts[i] = Template(it)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case expr.TemplatePath:
		if t.Path == nil {
			return "<invalid>"
		}
		return "path(" + t.Path.String() + ")"
	case expr.TemplateIntrinsic:
		return Call(t.Call)
	case expr.TemplateJSONata:
		if t.JSONata == nil {
			return "<invalid>"
		}
		return "{% " + t.JSONata.String() + " %}"
	}
	return jsonText(t.Literal)
}

// Call renders a parsed intrinsic function call, one argument per kind.
func Call(c *expr.Call) string {
	if c == nil {
		return "<invalid>"
	}
	args := make([]string, len(c.Args))
	for i, a := range c.Args {
		switch a.Kind {
		case expr.ArgPath:
			args[i] = "path(" + a.Path.String() + ")"
		case expr.ArgCall:
			args[i] = Call(a.Call)
		default:
			args[i] = jsonText(a.Literal)
		}
	}
	return c.Name + "(" + strings.Join(args, ", ") + ")"
}

// Rule renders a parsed Choice rule on one line.
func Rule(r *expr.Rule) string {
	switch {
	case r == nil:
		return "<invalid>"
	case r.Condition != nil:
		return "{% " + r.Condition.String() + " %}"
	case r.Not != nil:
		return "Not(" + Rule(r.Not) + ")"
	case r.And != nil || r.Or != nil:
		op, list := "And", r.And
		if r.Or != nil {
			op, list = "Or", r.Or
		}
		parts := make([]string, len(list))
		for i, sub := range list {
			parts[i] = Rule(sub)
		}
		return op + "(" + strings.Join(parts, ", ") + ")"
	case r.Op == "" && r.Variable == nil:
		return fmt.Sprintf("condition %v", r.Value)
	}
	v := "<invalid>"
	if r.Variable != nil {
		v = r.Variable.String()
	}
	operand := jsonText(r.Value)
	if r.ValuePath != nil {
		operand = "path(" + r.ValuePath.String() + ")"
	}
	return fmt.Sprintf("%s %s %s", v, r.Op, operand)
}

// jsonText renders a JSON value with sorted keys.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return string(b)
}
