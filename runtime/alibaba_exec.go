package runtime

import (
	"context"
	"fmt"
	"time"

	"github.com/jointlambda/jlgen/runtime/expr"
)

// The Alibaba dialects' data flow at run time. In the flow format a step
// does not hand its output to the next step: it merges it into its
// parent's local data, and the next step builds its input from the
// parent's input and local. So the value a flow-format continuation
// carries from state to state is the parent scope itself, an aliScope
// encoded as JSON; the execution input, the branches and the iterations
// start new scopes. CloudFlow hands outputs on as ASL does, through its
// constructors.

// aliMarker marks a value that is a carried flow-format scope.
const aliMarker = "$jlgen.scope"

// aliScope is the parent scope of the flow-format steps being run: the
// parent's input and local data, and the choice scopes opened inside it,
// innermost last.
type aliScope struct {
	Input  any
	Local  map[string]any
	Scopes []aliChoice
}

// aliChoice is a choice step whose branch steps are running: its parent
// scope is saved until the branch ends.
type aliChoice struct {
	Name  string
	Input any
	Local map[string]any
}

// aliCarried decodes a carried scope; any other value is an execution
// input, which starts a scope of its own.
func aliCarried(v any) *aliScope {
	m, ok := v.(map[string]any)
	if !ok || m[aliMarker] != true {
		return &aliScope{Input: v, Local: map[string]any{}}
	}
	sc := &aliScope{Input: m["input"], Local: asObject(m["local"])}
	scopes, _ := m["scopes"].([]any)
	for _, s := range scopes {
		f := asObject(s)
		name, _ := f["name"].(string)
		sc.Scopes = append(sc.Scopes, aliChoice{Name: name, Input: f["input"],
			Local: asObject(f["local"])})
	}
	return sc
}

// value encodes the scope as the carried JSON value.
func (sc *aliScope) value() any {
	scopes := make([]any, len(sc.Scopes))
	for i, s := range sc.Scopes {
		scopes[i] = map[string]any{"name": s.Name, "input": s.Input, "local": s.Local}
	}
	return map[string]any{aliMarker: true, "input": sc.Input, "local": sc.Local,
		"scopes": scopes}
}

func asObject(v any) map[string]any {
	if m, ok := v.(map[string]any); ok {
		return m
	}
	return map[string]any{}
}

// reconcile closes the choice scopes that state s is not inside of: each
// closed branch's local becomes its choice's output, merged into the
// parent's local.
func (sc *aliScope) reconcile(s *State) {
	keep := 0
	for keep < len(sc.Scopes) && keep < len(s.Alibaba.Scope) &&
		sc.Scopes[keep].Name == s.Alibaba.Scope[keep] {
		keep++
	}
	for len(sc.Scopes) > keep {
		sc.closeScope()
	}
}

// closeScope ends the innermost choice branch.
func (sc *aliScope) closeScope() {
	n := len(sc.Scopes) - 1
	top := sc.Scopes[n]
	out := sc.Local
	sc.Scopes = sc.Scopes[:n]
	sc.Input, sc.Local = top.Input, mergeObjects(top.Local, out)
}

// closeAll ends every open choice branch, at the end of a graph.
func (sc *aliScope) closeAll() {
	for len(sc.Scopes) > 0 {
		sc.closeScope()
	}
}

func mergeObjects(a map[string]any, b any) map[string]any {
	out := make(map[string]any, len(a))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range asObject(b) {
		out[k] = v
	}
	return out
}

// aliContext is the $context of flow-format mappings.
func (c *Call) aliContext() map[string]any {
	return map[string]any{
		"execution": map[string]any{"name": c.env.Execution.Name, "id": c.env.Execution.ID},
		"flow":      map[string]any{"name": c.wf.Name},
		"step":      map[string]any{"name": c.state},
	}
}

// aliMap builds an object from mappings, with $input and $local bound.
func (c *Call) aliMap(mappings []AlibabaMapping, input, local any) (map[string]any, error) {
	scope := &expr.AlibabaScope{Current: input, Input: input, Local: local,
		Context: c.aliContext()}
	out := map[string]any{}
	for _, m := range mappings {
		v, err := m.Source.Eval(scope)
		if err != nil {
			return nil, fmt.Errorf("mapping %q: %w", m.Target, err)
		}
		out[m.Target] = v
	}
	return out, nil
}

// aliInput is a flow-format step's input.
func (c *Call) aliInput(s *State, sc *aliScope) (any, error) {
	if s.Alibaba.InputMappings == nil {
		return mergeObjects(asObject(sc.Input), sc.Local), nil
	}
	return c.aliMap(s.Alibaba.InputMappings, sc.Input, sc.Local)
}

// aliDone merges a step's output, built from its input and its local,
// into the parent scope, and returns the carried scope.
func (c *Call) aliDone(s *State, sc *aliScope, input any, local any, fanned bool) (any, error) {
	var out any = local
	switch {
	case s.Alibaba.OutputMappings != nil:
		m, err := c.aliMap(s.Alibaba.OutputMappings, input, local)
		if err != nil {
			return nil, err
		}
		out = m
	case fanned:
		out = map[string]any{}
	}
	sc.Local = mergeObjects(sc.Local, out)
	return sc.value(), nil
}

// aliEnter starts a flow-format step: it closes the scopes the step is
// out of and computes the step's input.
func (c *Call) aliEnter(s *State, v any) (*aliScope, any, error) {
	c.enter(s, v)
	sc := aliCarried(v)
	sc.reconcile(s)
	in, err := c.aliInput(s, sc)
	if err != nil {
		return nil, nil, c.aliError(s, err)
	}
	return sc, in, nil
}

func (c *Call) aliError(s *State, err error) *StateError {
	return &StateError{Name: "FnF.RuntimeError", Cause: fmt.Sprintf("step %s: %v", s.Name, err)}
}

// aliPass runs a flow-format pass step.
func (c *Call) aliPass(s *State, v any) (any, error) {
	sc, in, err := c.aliEnter(s, v)
	if err != nil {
		return nil, err
	}
	out, err := c.aliDone(s, sc, in, map[string]any{}, false)
	if err != nil {
		return nil, c.aliError(s, err)
	}
	c.exit(s, out)
	return out, nil
}

// aliChoose evaluates a flow-format choice on the step's input. A branch
// with steps of its own opens a scope for them.
func (c *Call) aliChoose(s *State, v any) (int, any, error) {
	sc, in, err := c.aliEnter(s, v)
	if err != nil {
		return 0, nil, err
	}
	scope := &expr.AlibabaScope{Current: in, Input: in, Context: c.aliContext()}
	chosen := -1
	for i, ch := range s.Choices {
		if ch.Alibaba == nil {
			continue
		}
		got, err := ch.Alibaba.Eval(scope)
		if err != nil {
			return 0, nil, c.aliError(s, err)
		}
		if expr.AlibabaTruthy(got) {
			chosen = i
			break
		}
	}
	if chosen < 0 && !s.Default {
		out, err := c.aliDone(s, sc, in, map[string]any{}, false)
		return -1, out, err
	}
	if s.Alibaba.OutputMappings != nil {
		// Not yet: a choice's outputMappings when its branch's steps end.
		return 0, nil, c.aliError(s, notYet("outputMappings of a choice whose branch has steps"))
	}
	sc.Scopes = append(sc.Scopes, aliChoice{Name: s.Name, Input: sc.Input, Local: sc.Local})
	sc.Input, sc.Local = in, map[string]any{}
	out := sc.value()
	c.exit(s, out)
	return chosen, out, nil
}

// aliTask runs a flow-format task step: its local is the function's
// result.
func (c *Call) aliTask(ctx context.Context, s *State, fn TaskFunc) (Outcome, error) {
	if o, ok, err := c.checkpoint(ctx); ok || err != nil {
		return o, err
	}
	sc, in, err := c.aliEnter(s, c.input)
	if err != nil {
		return Outcome{}, c.failGraph(ctx, asStateError(err))
	}
	if err := c.fault(BeforeTask); err != nil {
		return Outcome{}, err
	}
	result, err := fn(c.withAttempt(ctx), in)
	if err != nil {
		se := asStateError(err)
		if d, ok := c.retryDelay(s, se.Name); ok {
			return Outcome{}, c.retry(ctx, s, d)
		}
		for i, k := range s.Catch {
			if matches(k.ErrorEquals, se.Name) || containsAll(k.ErrorEquals) {
				local := map[string]any{"error": se.Name, "cause": se.Cause}
				out, err := c.aliDone(&State{Alibaba: &AlibabaFlow{
					OutputMappings: s.Alibaba.ErrorMappings}}, sc, in, local, false)
				if err != nil {
					return Outcome{}, c.failGraph(ctx, c.aliError(s, err))
				}
				return c.commit(ctx, s, Outcome{Output: out, Caught: i, Vars: c.vars})
			}
		}
		return Outcome{}, c.failGraph(ctx, se)
	}
	out, err := c.aliDone(s, sc, in, result, false)
	if err != nil {
		return Outcome{}, c.failGraph(ctx, c.aliError(s, err))
	}
	return c.commit(ctx, s, Outcome{Output: out, Caught: -1, Vars: c.vars})
}

// containsAll reports whether a flow-format error list catches all.
func containsAll(list []string) bool {
	for _, e := range list {
		if e == "FnF.ALL" {
			return true
		}
	}
	return false
}

// aliWait waits as long as a flow-format wait step says.
func (c *Call) aliWait(ctx context.Context, s *State, v any, resume Target) error {
	sc, in, err := c.aliEnter(s, v)
	if err != nil {
		return c.failGraph(ctx, asStateError(err))
	}
	d, err := c.aliWaitFor(s, in)
	if err != nil {
		return c.failGraph(ctx, c.aliError(s, err))
	}
	out, err := c.aliDone(s, sc, in, map[string]any{}, false)
	if err != nil {
		return c.failGraph(ctx, c.aliError(s, err))
	}
	c.exit(s, out)
	if err := c.p.send(ctx, resume, c.next(resume.Unit, out), d); err != nil {
		return err
	}
	return errDone
}

func (c *Call) aliWaitFor(s *State, in any) (time.Duration, error) {
	scope := &expr.AlibabaScope{Current: in, Input: in}
	switch {
	case s.Alibaba.WaitSeconds != nil:
		v, err := s.Alibaba.WaitSeconds.Eval(scope)
		if err != nil {
			return 0, err
		}
		f, ok := number(v)
		if !ok {
			return 0, fmt.Errorf("duration %s is not a number", compact(v))
		}
		return time.Duration(f * float64(time.Second)), nil
	case s.Seconds.Set:
		return time.Duration(s.Seconds.Value * float64(time.Second)), nil
	}
	return 0, nil
}

// aliFanOut starts a flow-format parallel step's branches, or a foreach
// step's iterations, each in a scope of its own.
func (c *Call) aliFanOut(ctx context.Context, s *State, v any, targets []Target, each bool,
	join Target) error {
	_, in, err := c.aliEnter(s, v)
	if err != nil {
		return c.failGraph(ctx, asStateError(err))
	}
	var inputs, items []any
	if each {
		if items, err = c.aliItems(s, in); err != nil {
			return c.failGraph(ctx, c.aliError(s, err))
		}
		it := s.Alibaba.Iteration
		for i, item := range items {
			extra := map[string]any{it.Item: item}
			if it.Index != "" {
				extra[it.Index] = i
			}
			inputs = append(inputs, (&aliScope{Input: mergeObjects(asObject(in), extra),
				Local: map[string]any{}}).value())
		}
		targets = repeat(targets[0], len(inputs))
	} else {
		for range targets {
			inputs = append(inputs, (&aliScope{Input: in, Local: map[string]any{}}).value())
		}
	}
	return c.fanOut(ctx, s, v, targets, inputs, items, join)
}

func repeat(t Target, n int) []Target {
	out := make([]Target, n)
	for i := range out {
		out[i] = t
	}
	return out
}

// aliItems selects a foreach step's collection from its input.
func (c *Call) aliItems(s *State, in any) ([]any, error) {
	if s.Alibaba.Iteration == nil || s.Alibaba.Iteration.Collection == nil {
		return nil, fmt.Errorf("foreach has no iterationMapping.collection")
	}
	v, err := s.Alibaba.Iteration.Collection.Eval(&expr.AlibabaScope{Current: in, Input: in})
	if err != nil {
		return nil, err
	}
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("collection %s is not an array", compact(v))
	}
	return items, nil
}

// aliJoin collects a flow-format parallel's or foreach's locals.
func (c *Call) aliJoin(ctx context.Context, s *State) (Outcome, error) {
	if o, ok, err := c.checkpoint(ctx); ok || err != nil {
		return o, err
	}
	f := c.env.Joined
	v, err := c.frameInput(ctx, f)
	if err != nil {
		return Outcome{}, err
	}
	c.vars = f.Vars
	results, failure, err := c.collect(ctx, s, f)
	if err != nil {
		return Outcome{}, err
	}
	if failure != nil {
		return Outcome{}, c.failGraph(ctx, failure)
	}
	c.enter(s, v)
	sc := aliCarried(v)
	sc.reconcile(s)
	in, err := c.aliInput(s, sc)
	if err != nil {
		return Outcome{}, c.failGraph(ctx, c.aliError(s, err))
	}
	out, err := c.aliDone(s, sc, in, results, true)
	if err != nil {
		return Outcome{}, c.failGraph(ctx, c.aliError(s, err))
	}
	return c.commit(ctx, s, Outcome{Output: out, Caught: -1, Vars: c.vars})
}

// aliResult is what a flow-format graph ends with: the local data of its
// scope, every choice branch closed.
func aliResult(v any) any {
	m, ok := v.(map[string]any)
	if !ok || m[aliMarker] != true {
		return v
	}
	sc := aliCarried(v)
	sc.closeAll()
	return sc.Local
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case interface{ Float64() (float64, error) }:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

// alibabaDialect returns the Alibaba dialect of state s, or "" for ASL.
func alibabaDialect(s *State) string {
	if s.Alibaba == nil {
		return ""
	}
	return s.Alibaba.Dialect
}
