package fdl

import (
	"regexp"
	"strings"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/source"
	"github.com/jointlambda/jlgen/runtime/expr"
)

func (p *parser) task(n *source.Node, st *ir.State, what string, l *list) {
	af := st.Alibaba
	st.Task = &ir.Task{}
	arn, arnPos := p.str(n, "resourceArn", what, false)
	action, actPos := p.str(n, "action", what, false)
	switch {
	case arn != "" && action != "":
		p.errorf(actPos, "%s: resourceArn and action are mutually exclusive", what)
	case arn == "" && action == "":
		p.errorf(st.Pos, "%s: missing field \"resourceArn\" or \"action\"", what)
	case action != "":
		st.Task.Resource, st.Task.ResourcePos = action, actPos
		st.Task.Kind = ir.ResourceService
		af.Action = action
	default:
		st.Task.Resource, st.Task.ResourcePos = arn, arnPos
		st.Task.Kind, af.Function = classifyResource(arn)
	}
	af.Pattern, _ = p.str(n, "pattern", what, false)
	if tm, pos := p.str(n, "taskMode", what, false); tm != "" {
		if af.Pattern != "" {
			p.errorf(pos, "%s: pattern and taskMode are mutually exclusive", what)
		}
		af.Pattern = tm
	}
	p.checkPattern(n, af.Pattern, what)
	if m := n.Get("timeoutSeconds"); m != nil {
		st.Task.TimeoutSeconds = &ir.IntOrExpr{Pos: m.Value.Pos,
			Value: p.integer(n, "timeoutSeconds", what, 0)}
	}
	if m := n.Get("serviceParams"); m != nil {
		af.ServiceParams = p.serviceParams(m.Value, what+": serviceParams")
	}
	st.Retry = p.flowRetry(n, what)
	st.Catch = p.catches(n, what, l)
}

func (p *parser) checkPattern(n *source.Node, pattern, what string) {
	switch pattern {
	case "", "requestResponse", "sync", "waitForCallback":
		return
	}
	pos := n.Pos
	if m := n.Get("pattern"); m != nil {
		pos = m.Value.Pos
	} else if m := n.Get("taskMode"); m != nil {
		pos = m.Value.Pos
	}
	p.errorf(pos, "%s: unknown pattern %q (want requestResponse, sync or waitForCallback)",
		what, pattern)
}

var fcARN = regexp.MustCompile(
	`^acs:fc:([^:]*):([^:]*):services/([^/]+)/functions/([^/]+)$`)

// classifyResource tells what a flow-format resourceArn names.
func classifyResource(arn string) (ir.ResourceKind, *ir.AlibabaFunction) {
	if m := fcARN.FindStringSubmatch(arn); m != nil {
		return ir.ResourceFC, &ir.AlibabaFunction{Region: m[1], Account: m[2],
			Service: m[3], Function: m[4]}
	}
	if ref, ok := strings.CutPrefix(arn, "!Ref "); ok {
		if svc, fn, ok := strings.Cut(ref, "/"); ok && svc != "" && fn != "" {
			return ir.ResourceFC, &ir.AlibabaFunction{Service: svc, Function: fn}
		}
		return ir.ResourceOpaque, nil
	}
	if strings.HasPrefix(arn, "acs:") {
		return ir.ResourceService, nil
	}
	return ir.ResourceOpaque, nil
}

// serviceParams builds a template in which strings starting with "$" are
// paths into the step's input.
func (p *parser) serviceParams(n *source.Node, what string) *expr.AlibabaTemplate {
	switch n.Kind {
	case source.Object:
		t := &expr.AlibabaTemplate{Kind: expr.AlibabaTemplateObject}
		for _, m := range n.Members {
			t.Fields = append(t.Fields, expr.AlibabaField{Name: m.Key,
				Value: p.serviceParams(m.Value, what)})
		}
		return t
	case source.Array:
		t := &expr.AlibabaTemplate{Kind: expr.AlibabaTemplateArray}
		for _, it := range n.Items {
			t.Items = append(t.Items, p.serviceParams(it, what))
		}
		return t
	case source.String:
		if strings.HasPrefix(n.Text, "$") {
			if e := p.exprAt(n, what); e != nil {
				return &expr.AlibabaTemplate{Kind: expr.AlibabaTemplateExpr, Expr: e}
			}
		}
	}
	return literal(n)
}

func (p *parser) wait(n *source.Node, st *ir.State, what string) {
	st.Wait = &ir.Wait{}
	d, t := n.Get("duration"), n.Get("timestamp")
	switch {
	case d != nil && t != nil:
		p.errorf(t.KeyPos, "%s: duration and timestamp are mutually exclusive", what)
	case d == nil && t == nil:
		p.errorf(st.Pos, "%s: missing field \"duration\" or \"timestamp\"", what)
	case d != nil:
		if e := p.pathValue(d.Value, what+": duration"); e != nil {
			st.Alibaba.WaitSeconds = e
		} else if v, ok := d.Value.Int(); ok && v >= 0 {
			st.Wait.Seconds = &ir.IntOrExpr{Value: v, Pos: d.Value.Pos}
		} else {
			p.errorf(d.Value.Pos, "%s: duration must be seconds or a path such as $.wait", what)
		}
	default:
		if e := p.pathValue(t.Value, what+": timestamp"); e != nil {
			st.Alibaba.WaitUntil = e
		} else if t.Value.Kind == source.String {
			st.Wait.Timestamp = t.Value.Text
		} else {
			p.errorf(t.Value.Pos, "%s: timestamp must be an RFC 3339 string or a path", what)
		}
	}
}

// pathValue parses a string node that starts with "$" as a path. It
// returns nil for anything else, or after reporting a bad path.
func (p *parser) pathValue(n *source.Node, what string) *expr.AlibabaExpr {
	if n.Kind != source.String || !strings.HasPrefix(n.Text, "$") {
		return nil
	}
	return p.exprAt(n, what)
}

func (p *parser) fail(n *source.Node, st *ir.State, what string) {
	st.Fail = &ir.Fail{}
	if e, pos := p.str(n, "error", what, false); n.Get("error") != nil {
		st.Fail.Error = &ir.StringOrExpr{Value: e, Pos: pos}
	}
	if c, pos := p.str(n, "cause", what, false); n.Get("cause") != nil {
		st.Fail.Cause = &ir.StringOrExpr{Value: c, Pos: pos}
	}
}

func (p *parser) parallel(n *source.Node, st *ir.State, what string) {
	for _, b := range p.array(n, "branches", what, true) {
		w := what + ": branch"
		if !p.object(b, w, "steps") {
			continue
		}
		st.Branches = append(st.Branches, p.stepGraph(b, "steps", w, true))
	}
}

func (p *parser) foreach(n *source.Node, st *ir.State, what string) {
	st.Map = &ir.Map{Processor: p.stepGraph(n, "steps", what, true)}
	if m := n.Get("maxConcurrency"); m != nil {
		st.Map.MaxConcurrency = &ir.IntOrExpr{Pos: m.Value.Pos,
			Value: p.integer(n, "maxConcurrency", what, 0)}
	}
	m := n.Get("iterationMapping")
	if m == nil {
		p.errorf(st.Pos, "%s: missing field \"iterationMapping\"", what)
		return
	}
	w := what + ": iterationMapping"
	if !p.object(m.Value, w, "collection", "item", "index") {
		return
	}
	it := &ir.AlibabaIteration{}
	it.Item, _ = p.str(m.Value, "item", w, true)
	it.Index, _ = p.str(m.Value, "index", w, false)
	if c := m.Value.Get("collection"); c == nil {
		p.errorf(m.Value.Pos, "%s: missing field \"collection\"", w)
	} else if c.Value.Kind != source.String {
		p.errorf(c.Value.Pos, "%s: collection must be a path such as $.items", w)
	} else {
		it.Collection, it.CollectionPos = p.exprAt(c.Value, w+": collection"), c.Value.Pos
	}
	st.Alibaba.Iteration = it
}
