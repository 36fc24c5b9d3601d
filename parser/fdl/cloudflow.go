package fdl

import (
	"strings"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/source"
	"github.com/jointlambda/jlgen/runtime/expr"
)

// cloudTypes lists the CloudFlow state types, which are ASL's.
var cloudTypes = map[string]ir.StateType{
	"Task": ir.TypeTask, "Pass": ir.TypePass, "Choice": ir.TypeChoice,
	"Wait": ir.TypeWait, "Succeed": ir.TypeSucceed, "Fail": ir.TypeFail,
	"Parallel": ir.TypeParallel, "Map": ir.TypeMap,
}

var commonCloudFields = []string{"Type", "Name", "Description", "InputConstructor",
	"OutputConstructor"}

// cloudFields lists the fields each state type takes besides the common ones.
var cloudFields = map[string][]string{
	"Task": {"Action", "TaskMode", "Parameters", "Retry", "Catch", "Next", "End",
		"Timeout"},
	"Pass":     {"Next", "End"},
	"Choice":   {"Branches", "Choices", "Default"},
	"Wait":     {"Seconds", "UntilDateTime", "Next", "End"},
	"Succeed":  {},
	"Fail":     {"Code", "Detail"},
	"Parallel": {"Branches", "Retry", "Catch", "Next", "End"},
	"Map": {"ItemsPath", "ItemConstructor", "Processor", "ItemProcessor",
		"ProcessorConfig", "MaxConcurrency", "Retry", "Catch", "Next", "End"},
}

// cloudflow parses a CloudFlow document.
func (p *parser) cloudflow(root *source.Node) *ir.Workflow {
	w := &ir.Workflow{File: p.file, Dialect: ir.DialectCloudFlow}
	p.object(root, "state machine", "Type", "Name", "SpecVersion", "StartAt", "States",
		"Description", "Timeout")
	if t, pos := p.str(root, "Type", "state machine", true); t != "" && t != "StateMachine" {
		p.errorf(pos, "state machine: Type must be StateMachine, not %q", t)
	}
	v, pos := p.str(root, "SpecVersion", "state machine", true)
	if v != "" && v != "v1" {
		p.errorf(pos, "state machine: unknown SpecVersion %q (want v1)", v)
	}
	w.Version = v
	w.Name, _ = p.str(root, "Name", "state machine", false)
	if root.Get("Timeout") != nil {
		w.TimeoutSeconds = p.integer(root, "Timeout", "state machine", 0)
	}
	w.Graph = p.cloudGraph(root, "state machine")
	return w
}

// cloudGraph parses StartAt and States of n.
func (p *parser) cloudGraph(n *source.Node, what string) *ir.Graph {
	g := &ir.Graph{Pos: n.Pos, QueryLanguage: ir.JSONPath}
	g.StartAt, g.StartAtPos = p.str(n, "StartAt", what, true)
	names := map[string]ir.Pos{}
	var states []*source.Node
	for _, s := range p.array(n, "States", what, true) {
		if name := p.stateName(s, names); name != "" || s.Kind == source.Object {
			states = append(states, s)
		}
	}
	for _, s := range states {
		if st := p.cloudState(s); st != nil {
			g.States = append(g.States, st)
		}
	}
	p.checkTargets(g, what)
	return g
}

func (p *parser) stateName(n *source.Node, names map[string]ir.Pos) string {
	if n.Kind != source.Object {
		p.errorf(n.Pos, "state must be an object, not %s", n.Kind)
		return ""
	}
	name, pos := p.str(n, "Name", "state", true)
	if name == "" {
		return ""
	}
	if first, dup := names[name]; dup {
		p.errorf(pos, "state %q: duplicate name (first at %s)", name, first)
	}
	names[name] = pos
	return name
}

// checkTargets reports transitions that name no state of g.
func (p *parser) checkTargets(g *ir.Graph, what string) {
	check := func(from, target string, pos ir.Pos, field string) {
		if target != "" && g.Lookup(target) == nil {
			p.errorf(pos, "%s: %s names %q, which does not exist", from, field, target)
		}
	}
	check(what, g.StartAt, g.StartAtPos, "StartAt")
	for _, st := range g.States {
		from := "state " + quote(st.Name)
		check(from, st.Next, st.NextPos, "Next")
		check(from, st.Default, st.DefaultPos, "Default")
		for _, b := range st.Choices {
			check(from, b.Next, b.NextPos, "Next")
		}
		for _, c := range st.Catch {
			check(from, c.Next, c.NextPos, "Catch Next")
		}
	}
}

func (p *parser) cloudState(n *source.Node) *ir.State {
	name, _ := p.str(n, "Name", "state", false)
	what := "state " + quote(name)
	typ, pos := p.str(n, "Type", what, true)
	fields, ok := cloudFields[typ]
	if !ok {
		if typ != "" {
			p.errorf(pos, "%s: unknown state type %q", what, typ)
		}
		return nil
	}
	p.object(n, what, append(append([]string(nil), commonCloudFields...), fields...)...)
	st := &ir.State{Name: name, Type: cloudTypes[typ], Pos: n.Pos,
		QueryLanguage: ir.JSONPath, Alibaba: &ir.AlibabaFlow{}}
	if m := n.Get("Name"); m != nil {
		st.Pos = m.Value.Pos
	}
	af := st.Alibaba
	af.Description, _ = p.str(n, "Description", what, false)
	af.InputConstructor = p.constructor(n, "InputConstructor", what)
	af.OutputConstructor = p.constructor(n, "OutputConstructor", what)
	p.cloudBody(n, st, typ, what)
	p.cloudTransition(n, st, typ, what)
	return st
}

func (p *parser) cloudTransition(n *source.Node, st *ir.State, typ, what string) {
	switch typ {
	case "Choice", "Succeed", "Fail":
		return
	}
	st.Next, st.NextPos = p.str(n, "Next", what, false)
	st.End = p.boolean(n, "End", what)
	switch {
	case st.Next != "" && st.End:
		p.errorf(st.NextPos, "%s: Next and End are mutually exclusive", what)
	case st.Next == "" && !st.End:
		p.errorf(st.Pos, "%s: missing field \"Next\" or \"End\"", what)
	}
}

func (p *parser) cloudBody(n *source.Node, st *ir.State, typ, what string) {
	switch typ {
	case "Task":
		p.cloudTask(n, st, what)
	case "Choice":
		p.cloudChoice(n, st, what)
	case "Wait":
		p.cloudWait(n, st, what)
	case "Fail":
		st.Fail = &ir.Fail{}
		if c, pos := p.str(n, "Code", what, false); c != "" {
			st.Fail.Error = &ir.StringOrExpr{Value: c, Pos: pos}
		}
		if d, pos := p.str(n, "Detail", what, false); d != "" {
			st.Fail.Cause = &ir.StringOrExpr{Value: d, Pos: pos}
		}
	case "Parallel":
		for _, b := range p.array(n, "Branches", what, true) {
			if p.object(b, what+": branch", "StartAt", "States", "Description") {
				st.Branches = append(st.Branches, p.cloudGraph(b, what+": branch"))
			}
		}
		p.cloudErrors(n, st, what)
	case "Map":
		p.cloudMap(n, st, what)
	}
}

func (p *parser) cloudErrors(n *source.Node, st *ir.State, what string) {
	st.Retry = p.cloudRetry(n, what)
	for _, it := range p.array(n, "Catch", what, false) {
		w := what + ": Catch"
		if !p.object(it, w, "ErrorEquals", "Next", "Description", "OutputConstructor") {
			continue
		}
		c := &ir.Catcher{Pos: it.Pos, ErrorEquals: p.strings(it, "ErrorEquals", w)}
		c.Next, c.NextPos = p.str(it, "Next", w, true)
		st.Catch = append(st.Catch, c)
	}
}

func (p *parser) cloudTask(n *source.Node, st *ir.State, what string) {
	af := st.Alibaba
	st.Task = &ir.Task{Kind: ir.ResourceService}
	st.Task.Resource, st.Task.ResourcePos = p.str(n, "Action", what, true)
	af.Action = st.Task.Resource
	if strings.EqualFold(af.Action, "FC:InvokeFunction") {
		st.Task.Kind = ir.ResourceFC
	}
	af.TaskMode, _ = p.str(n, "TaskMode", what, false)
	switch af.TaskMode {
	case "", "RequestComplete", "WaitForCustomCallback", "Sync":
	default:
		p.errorf(n.Get("TaskMode").Value.Pos, "%s: unknown TaskMode %q "+
			"(want RequestComplete, WaitForCustomCallback or Sync)", what, af.TaskMode)
	}
	af.Parameters = p.constructor(n, "Parameters", what)
	if n.Get("Timeout") != nil {
		st.Task.TimeoutSeconds = &ir.IntOrExpr{Pos: n.Get("Timeout").Value.Pos,
			Value: p.integer(n, "Timeout", what, 0)}
	}
	p.cloudErrors(n, st, what)
}

func (p *parser) cloudChoice(n *source.Node, st *ir.State, what string) {
	key := "Branches"
	if n.Get("Choices") != nil {
		key = "Choices"
		if n.Get("Branches") != nil {
			p.errorf(n.Get("Choices").KeyPos, "%s: Branches and Choices are mutually "+
				"exclusive", what)
		}
	}
	for _, c := range p.array(n, key, what, true) {
		w := what + ": branch"
		if !p.object(c, w, "Condition", "Next", "Description") {
			continue
		}
		b := &ir.ChoiceBranch{Pos: c.Pos, Alibaba: p.cloudCondition(c, w)}
		b.Next, b.NextPos = p.str(c, "Next", w, true)
		st.Choices = append(st.Choices, b)
	}
	st.Default, st.DefaultPos = p.str(n, "Default", what, false)
}

func (p *parser) cloudCondition(c *source.Node, what string) *ir.AlibabaCondition {
	m := c.Get("Condition")
	if m == nil {
		p.errorf(c.Pos, "%s: missing field \"Condition\"", what)
		return nil
	}
	if m.Value.Kind != source.String {
		p.errorf(m.Value.Pos, "%s: Condition must be a string, not %s", what, m.Value.Kind)
		return nil
	}
	return &ir.AlibabaCondition{Src: m.Value.Text, Pos: m.Value.Pos,
		Expr: p.exprAt(m.Value, what+": Condition")}
}

func (p *parser) cloudWait(n *source.Node, st *ir.State, what string) {
	st.Wait = &ir.Wait{}
	s, u := n.Get("Seconds"), n.Get("UntilDateTime")
	switch {
	case s != nil && u != nil:
		p.errorf(u.KeyPos, "%s: Seconds and UntilDateTime are mutually exclusive", what)
	case s == nil && u == nil:
		p.errorf(st.Pos, "%s: missing field \"Seconds\" or \"UntilDateTime\"", what)
	case s != nil:
		if e := p.pathValue(s.Value, what+": Seconds"); e != nil {
			st.Alibaba.WaitSeconds = e
		} else if v, ok := s.Value.Int(); ok && v >= 0 {
			st.Wait.Seconds = &ir.IntOrExpr{Value: v, Pos: s.Value.Pos}
		} else {
			p.errorf(s.Value.Pos, "%s: Seconds must be a non-negative integer or a path", what)
		}
	case u.Value.Kind != source.String:
		p.errorf(u.Value.Pos, "%s: UntilDateTime must be a string", what)
	case strings.HasPrefix(u.Value.Text, "$"):
		st.Alibaba.WaitUntil = p.exprAt(u.Value, what+": UntilDateTime")
	default:
		st.Wait.Timestamp = u.Value.Text
	}
}

func (p *parser) cloudMap(n *source.Node, st *ir.State, what string) {
	af := st.Alibaba
	st.Map = &ir.Map{}
	if m := n.Get("ItemsPath"); m == nil {
		p.errorf(st.Pos, "%s: missing field \"ItemsPath\"", what)
	} else if m.Value.Kind != source.String {
		p.errorf(m.Value.Pos, "%s: ItemsPath must be a string", what)
	} else {
		af.ItemsPath = p.exprAt(m.Value, what+": ItemsPath")
	}
	af.ItemConstructor = p.constructor(n, "ItemConstructor", what)
	proc := n.Get("Processor")
	if ip := n.Get("ItemProcessor"); ip != nil {
		if proc != nil {
			p.errorf(ip.KeyPos, "%s: Processor and ItemProcessor are mutually exclusive", what)
		}
		proc = ip
	}
	if proc == nil {
		p.errorf(st.Pos, "%s: missing field \"Processor\"", what)
	} else if p.object(proc.Value, what+": "+proc.Key, "StartAt", "States",
		"ProcessorConfig", "Description") {
		st.Map.Processor = p.cloudGraph(proc.Value, what+": "+proc.Key)
		p.processorConfig(proc.Value, st, what)
	}
	p.processorConfig(n, st, what)
	if m := n.Get("MaxConcurrency"); m != nil {
		st.Map.MaxConcurrency = &ir.IntOrExpr{Pos: m.Value.Pos,
			Value: p.integer(n, "MaxConcurrency", what, 0)}
	}
	p.cloudErrors(n, st, what)
}

func (p *parser) processorConfig(n *source.Node, st *ir.State, what string) {
	m := n.Get("ProcessorConfig")
	if m == nil {
		return
	}
	w := what + ": ProcessorConfig"
	if p.object(m.Value, w, "ExecutionMode", "Mode") {
		st.Alibaba.ExecutionMode, _ = p.str(m.Value, "ExecutionMode", w, false)
		st.Alibaba.Mode, _ = p.str(m.Value, "Mode", w, false)
	}
}

// constructor parses a CloudFlow constructor field: keys ending in ".$"
// take expressions, everything else is a constant.
func (p *parser) constructor(n *source.Node, key, what string) *expr.AlibabaTemplate {
	m := n.Get(key)
	if m == nil {
		return nil
	}
	if m.Value.Kind != source.Object {
		p.errorf(m.Value.Pos, "%s: %s must be an object, not %s", what, key, m.Value.Kind)
		return nil
	}
	return p.template(m.Value, what+": "+key)
}

func (p *parser) template(n *source.Node, what string) *expr.AlibabaTemplate {
	switch n.Kind {
	case source.Object:
		t := &expr.AlibabaTemplate{Kind: expr.AlibabaTemplateObject}
		for _, m := range n.Members {
			t.Fields = append(t.Fields, p.templateField(m, what))
		}
		return t
	case source.Array:
		t := &expr.AlibabaTemplate{Kind: expr.AlibabaTemplateArray}
		for _, it := range n.Items {
			t.Items = append(t.Items, p.template(it, what))
		}
		return t
	}
	return literal(n)
}

func (p *parser) templateField(m source.Member, what string) expr.AlibabaField {
	name, isExpr := strings.CutSuffix(m.Key, ".$")
	if !isExpr {
		return expr.AlibabaField{Name: name, Value: p.template(m.Value, what)}
	}
	w := what + ": " + m.Key
	if m.Value.Kind != source.String {
		p.errorf(m.Value.Pos, "%s: a key ending in \".$\" needs an expression string", w)
		return expr.AlibabaField{Name: name, Value: literal(m.Value)}
	}
	e := p.exprAt(m.Value, w)
	if e == nil {
		return expr.AlibabaField{Name: name, Value: literal(m.Value)}
	}
	return expr.AlibabaField{Name: name,
		Value: &expr.AlibabaTemplate{Kind: expr.AlibabaTemplateExpr, Expr: e}}
}
