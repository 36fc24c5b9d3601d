package codegen

import (
	"github.com/dave/jennifer/jen"

	"github.com/jointlambda/jlgen/ir"
)

// enterFunc writes what happens when an execution enters state s: inline
// for Pass, Choice, Succeed and Fail; an invocation for Task, Wait,
// Parallel and Map, whose work runs in units of their own.
func (g *gen) enterFunc(s *ir.State) jen.Code {
	st := jen.Id(g.stateID(s))
	in := jen.Id("in")
	var body []jen.Code
	switch s.Type {
	case ir.TypeTask:
		body = []jen.Code{jen.Return(jen.Id("c").Dot("Invoke").Call(jen.Id("ctx"),
			jen.Id(g.target(s, ir.UnitTask)), in))}
	case ir.TypePass:
		body = g.inline(s, jen.Id("c").Dot("Pass").Call(st, in))
	case ir.TypeSucceed:
		body = append(abortOnError(jen.Id("c").Dot("Succeed").Call(st, in)),
			jen.Return(jen.Id("c").Dot("End").Call(jen.Id("ctx"), jen.Id("out"))))
	case ir.TypeFail:
		body = []jen.Code{jen.Return(jen.Id("c").Dot("Fail").Call(jen.Id("ctx"), st, in))}
	case ir.TypeChoice:
		body = g.choice(s)
	case ir.TypeWait:
		body = invoke("Wait", st, in, g.target(s, ir.UnitResume))
	case ir.TypeParallel:
		var branches []jen.Code
		for _, u := range g.units {
			if u.State == s && u.Kind == ir.UnitBranch {
				branches = append(branches, jen.Id(g.targetID(u)))
			}
		}
		body = []jen.Code{jen.Return(jen.Id("c").Dot("FanOut").Call(jen.Id("ctx"), st, in,
			jen.Index().Qual(rt, "Target").Values(branches...),
			jen.Id(g.target(s, ir.UnitJoin))))}
	case ir.TypeMap:
		body = []jen.Code{jen.Return(jen.Id("c").Dot("MapOut").Call(jen.Id("ctx"), st, in,
			jen.Id(g.target(s, ir.UnitItem)), jen.Id(g.target(s, ir.UnitJoin))))}
	default:
		body = []jen.Code{jen.Return(jen.Id("c").Dot("Abort").Call(jen.Id("ctx"),
			jen.Qual(rt, "UnknownState").Call(st)))}
	}
	return jen.Commentf("%s enters the %s state %s.", g.enterID(s), s.Type,
		commentText(s.Name)).Line().
		Func().Params(jen.Id("w").Op("*").Id("workflow")).Id(g.enterID(s)).
		Params(append(ctxParams(), jen.Id("in").Any())...).Error().Block(body...)
}

// invoke returns a body that hands the state to one of the Call's
// methods that start another unit.
func invoke(method string, st, in jen.Code, target string) []jen.Code {
	return []jen.Code{jen.Return(jen.Id("c").Dot(method).Call(jen.Id("ctx"), st, in,
		jen.Id(target)))}
}

// target names the target variable of the unit of kind k of state s.
func (g *gen) target(s *ir.State, k ir.UnitKind) string {
	for _, u := range g.units {
		if u.State == s && u.Kind == k {
			return g.targetID(u)
		}
	}
	return "targetStart"
}

// abortOnError evaluates call into out, and aborts the graph on error.
func abortOnError(call jen.Code) []jen.Code {
	return []jen.Code{
		jen.List(jen.Id("out"), jen.Err()).Op(":=").Add(call),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Id("c").Dot("Abort").Call(jen.Id("ctx"), jen.Err()))),
	}
}

// inline runs an inline state's data flow, then its transition.
func (g *gen) inline(s *ir.State, call jen.Code) []jen.Code {
	return append(abortOnError(call), g.transition(s, jen.Id("out"))...)
}

// choice evaluates the rules and enters the chosen state.
func (g *gen) choice(s *ir.State) []jen.Code {
	body := []jen.Code{
		jen.List(jen.Id("i"), jen.Id("out"), jen.Err()).Op(":=").
			Id("c").Dot("Choose").Call(jen.Id(g.stateID(s)), jen.Id("in")),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Id("c").Dot("Abort").Call(jen.Id("ctx"), jen.Err()))),
	}
	gr := g.graphOf[s]
	var cases []jen.Code
	for i, b := range s.Choices {
		cases = append(cases, jen.Case(jen.Lit(i)).Block(g.goTo(gr, b.Next)...))
	}
	if len(cases) > 0 {
		body = append(body, jen.Switch(jen.Id("i")).Block(cases...))
	}
	if s.Default != "" {
		return append(body, g.goTo(gr, s.Default)...)
	}
	if s.Next != "" || s.End {
		// An Alibaba flow's choice without a default falls through to the
		// step after it when no condition holds.
		return append(body, g.transition(s, jen.Id("out"))...)
	}
	return append(body, jen.Return(jen.Id("c").Dot("Abort").Call(jen.Id("ctx"),
		jen.Qual(rt, "NoChoiceMatched").Call(jen.Id(g.stateID(s))))))
}

// goTo enters the state named next of gr, or ends gr when next is empty
// (an Alibaba choice branch that leaves its step list).
func (g *gen) goTo(gr *ir.Graph, next string) []jen.Code {
	if next == "" {
		return []jen.Code{jen.Return(jen.Id("c").Dot("End").Call(jen.Id("ctx"), jen.Id("out")))}
	}
	return []jen.Code{jen.Return(jen.Id("w").Dot(g.enterID(gr.Lookup(next))).Call(
		jen.Id("ctx"), jen.Id("c"), jen.Id("out")))}
}
