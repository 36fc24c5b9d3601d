package fdl

import (
	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/source"
	"github.com/jointlambda/jlgen/runtime/expr"
)

// flowTypes maps the flow format's step types onto state types.
var flowTypes = map[string]ir.StateType{
	"task": ir.TypeTask, "pass": ir.TypePass, "choice": ir.TypeChoice,
	"wait": ir.TypeWait, "succeed": ir.TypeSucceed, "fail": ir.TypeFail,
	"parallel": ir.TypeParallel, "foreach": ir.TypeMap,
}

// stepFields lists the fields each step type takes besides type and name.
var stepFields = map[string][]string{
	"task": {"resourceArn", "action", "pattern", "taskMode", "serviceParams",
		"timeoutSeconds", "inputMappings", "outputMappings", "errorMappings", "retry",
		"catch", "end"},
	"pass":     {"inputMappings", "outputMappings", "end"},
	"wait":     {"duration", "timestamp", "inputMappings", "outputMappings", "end"},
	"succeed":  {"inputMappings", "outputMappings"},
	"fail":     {"error", "cause", "inputMappings", "outputMappings"},
	"choice":   {"choices", "default", "inputMappings", "outputMappings", "end"},
	"parallel": {"branches", "inputMappings", "outputMappings", "end"},
	"foreach": {"iterationMapping", "steps", "maxConcurrency", "inputMappings",
		"outputMappings", "end"},
}

// flow parses a flow-format document.
func (p *parser) flow(root *source.Node) *ir.Workflow {
	w := &ir.Workflow{File: p.file, Dialect: ir.DialectFlow}
	p.object(root, "flow", "version", "type", "steps")
	version, pos := p.str(root, "version", "flow", true)
	if version != "" && version != "v1" && version != "v1beta1" {
		p.errorf(pos, "flow: unknown version %q (want v1 or v1beta1)", version)
	}
	w.Version = version
	if t, pos := p.str(root, "type", "flow", true); t != "" && t != "flow" {
		p.errorf(pos, "flow: type must be flow, not %q", t)
	}
	w.Graph = p.stepGraph(root, "steps", "flow", true)
	return w
}

// stepGraph parses the steps field of n as a new graph.
func (p *parser) stepGraph(n *source.Node, key, what string, required bool) *ir.Graph {
	g := &ir.Graph{Pos: n.Pos, QueryLanguage: ir.JSONPath}
	items := p.array(n, key, what, required)
	if m := n.Get(key); m != nil {
		g.Pos = m.Value.Pos
		if m.Value.Kind == source.Array && len(items) == 0 {
			p.errorf(m.Value.Pos, "%s: %s must hold at least one step", what, key)
		}
	}
	names := map[string]ir.Pos{}
	g.StartAt = p.stepList(g, items, nil, "", names)
	if len(items) > 0 {
		g.StartAtPos = items[0].Pos
	}
	return g
}

// stepList parses one list of steps into g. Each step's successor is the
// next step, and the last one's is cont ("" ends the graph). It returns
// the name control enters the list by. names holds every name of g.
func (p *parser) stepList(g *ir.Graph, items []*source.Node, scope []string, cont string,
	names map[string]ir.Pos) string {
	siblings := make([]string, len(items))
	for i, it := range items {
		siblings[i] = p.stepName(it, names)
	}
	l := &list{scope: scope, cont: cont, names: siblings}
	for i, it := range items {
		succ := cont
		if i+1 < len(items) {
			succ = siblings[i+1]
		}
		p.step(g, it, siblings[i], succ, l, names)
	}
	if len(items) == 0 {
		return cont
	}
	return siblings[0]
}

// list is what the steps of one list share.
type list struct {
	scope []string
	cont  string
	names []string
}

func (l *list) has(name string) bool { return contains(l.names, name) }

// stepName reads and registers the name of a step.
func (p *parser) stepName(n *source.Node, names map[string]ir.Pos) string {
	if n.Kind != source.Object {
		return ""
	}
	name, pos := p.str(n, "name", "step", false)
	if n.Get("name") == nil {
		p.errorf(n.Pos, "step: missing field \"name\"")
		return ""
	}
	if name == "" {
		p.errorf(pos, "step: name must not be empty")
		return ""
	}
	if first, dup := names[name]; dup {
		p.errorf(pos, "step %q: duplicate name (first at %s)", name, first)
		return name
	}
	names[name] = pos
	return name
}

// step parses one step into g.
func (p *parser) step(g *ir.Graph, n *source.Node, name, succ string, l *list,
	names map[string]ir.Pos) {
	if n.Kind != source.Object {
		p.errorf(n.Pos, "step must be an object, not %s", n.Kind)
		return
	}
	what := "step " + quote(name)
	typ, pos := p.str(n, "type", what, true)
	fields, ok := stepFields[typ]
	if !ok {
		if n.Get("type") != nil {
			p.errorf(pos, "%s: unknown step type %q", what, typ)
		}
		return
	}
	p.object(n, what, append([]string{"type", "name"}, fields...)...)
	st := &ir.State{Name: name, Type: flowTypes[typ], Pos: n.Pos,
		QueryLanguage: ir.JSONPath, Alibaba: &ir.AlibabaFlow{Scope: l.scope}}
	if m := n.Get("name"); m != nil {
		st.Pos = m.Value.Pos
	}
	g.States = append(g.States, st)
	p.mappings(n, st.Alibaba, what)
	if p.boolean(n, "end", what) {
		succ = l.cont
	}
	p.stepBody(g, n, st, typ, what, succ, l, names)
}

func (p *parser) stepBody(g *ir.Graph, n *source.Node, st *ir.State, typ, what,
	succ string, l *list, names map[string]ir.Pos) {
	switch typ {
	case "task":
		p.task(n, st, what, l)
	case "wait":
		p.wait(n, st, what)
	case "fail":
		p.fail(n, st, what)
	case "choice":
		p.choice(g, n, st, what, succ, l, names)
		return
	case "parallel":
		p.parallel(n, st, what)
	case "foreach":
		p.foreach(n, st, what)
	}
	if typ != "succeed" && typ != "fail" {
		link(st, succ)
	}
}

// link sets the transition of st to succ, or End when succ is "".
func link(st *ir.State, succ string) {
	if succ == "" {
		st.End = true
		return
	}
	st.Next = succ
}

func (p *parser) mappings(n *source.Node, af *ir.AlibabaFlow, what string) {
	af.InputMappings = p.mappingList(n, "inputMappings", what)
	af.OutputMappings = p.mappingList(n, "outputMappings", what)
	af.ErrorMappings = p.mappingList(n, "errorMappings", what)
}

// mappingList parses a list of {target, source} mappings.
func (p *parser) mappingList(n *source.Node, key, what string) []*ir.AlibabaMapping {
	m := n.Get(key)
	if m == nil {
		return nil
	}
	out := []*ir.AlibabaMapping{}
	for _, it := range p.array(n, key, what, false) {
		w := what + ": " + key
		if !p.object(it, w, "target", "source") {
			continue
		}
		target, tpos := p.str(it, "target", w, true)
		src := it.Get("source")
		if src == nil {
			p.errorf(it.Pos, "%s: missing field \"source\"", w)
			continue
		}
		out = append(out, &ir.AlibabaMapping{Target: target, TargetPos: tpos,
			Source: p.mappingSource(src.Value, w), SourcePos: src.Value.Pos})
	}
	return out
}

func (p *parser) mappingSource(n *source.Node, what string) *expr.AlibabaTemplate {
	if n.Kind != source.String || !expr.IsAlibabaMappingPath(n.Text) {
		return literal(n)
	}
	e := p.exprAt(n, what+" source")
	if e == nil {
		return literal(n)
	}
	return &expr.AlibabaTemplate{Kind: expr.AlibabaTemplateExpr, Expr: e}
}

// catches parses a flow-format catch list; goto must name a sibling.
func (p *parser) catches(n *source.Node, what string, l *list) []*ir.Catcher {
	var out []*ir.Catcher
	for _, it := range p.array(n, "catch", what, false) {
		w := what + ": catch"
		if !p.object(it, w, "errors", "goto") {
			continue
		}
		c := &ir.Catcher{Pos: it.Pos, ErrorEquals: p.strings(it, "errors", w)}
		c.Next, c.NextPos = p.gotoTarget(it, w, l, true)
		out = append(out, c)
	}
	return out
}

// gotoTarget reads the goto field of n and checks that it names a step of
// the same list.
func (p *parser) gotoTarget(n *source.Node, what string, l *list, required bool) (
	string, ir.Pos) {
	target, pos := p.str(n, "goto", what, required)
	if target != "" && !l.has(target) {
		p.errorf(pos, "%s: goto names %q, which is not a step at the same level",
			what, target)
	}
	return target, pos
}
