package codegen

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/jointlambda/jlgen/ir"
)

// ctxParams are the parameters every unit and continuation takes.
func ctxParams() []jen.Code {
	return []jen.Code{jen.Id("ctx").Qual("context", "Context"), jen.Id("c").Op("*").Qual(rt, "Call")}
}

func (g *gen) workflowFile() *jen.File {
	f := g.newFile(g.opts.Package)
	f.Comment("Code generated for another version of the runtime API fails to compile here.")
	f.Const().Id("_").Op("=").Qual(rt, "GenVersion1")
	f.Add(g.tasksInterface())
	f.Comment("workflow runs the continuations of the units with the workflow's tasks.")
	f.Type().Id("workflow").Struct(jen.Id("tasks").Id("Tasks"))
	f.Add(g.newFunc())
	f.Add(g.targets())
	for _, u := range g.units {
		f.Add(g.unitFunc(u))
	}
	for _, s := range g.states {
		f.Add(g.enterFunc(s))
	}
	return f
}

func (g *gen) tasksInterface() jen.Code {
	var methods []jen.Code
	for _, s := range g.states {
		if s.Type != ir.TypeTask {
			continue
		}
		methods = append(methods,
			jen.Commentf("%s runs the Task state %s (resource %s).", g.methodID(s),
				commentText(s.Name), commentText(s.Task.Resource)),
			jen.Id(g.methodID(s)).Params(jen.Id("ctx").Qual("context", "Context"),
				jen.Id("input").Any()).Params(jen.Any(), jen.Error()))
	}
	return jen.Comment("Tasks is the work of the workflow's Task states, one method per state.").
		Line().Comment("Implement it with the business logic, or use DefaultTasks, which calls").
		Line().Comment("the resources the definition names.").
		Line().Type().Id("Tasks").Interface(methods...)
}

func (g *gen) newFunc() jen.Code {
	var units []jen.Code
	for _, u := range g.units {
		fields := []jen.Code{
			field("Name", jen.Lit(u.Name)),
			field("Kind", jen.Qual(rt, unitKindConst(u.Kind))),
		}
		if u.State != nil {
			fields = append(fields, field("State", jen.Lit(u.State.Name)))
		}
		fields = append(fields, field("Target", jen.Id(g.targetID(u))),
			field("Run", jen.Id("w").Dot(g.unitID(u))))
		units = append(units, jen.Line().Values(fields...))
	}
	return jen.Comment("New returns the workflow, with its Task states run by tasks.").Line().
		Func().Id("New").Params(jen.Id("tasks").Id("Tasks")).Op("*").Qual(rt, "Workflow").
		Block(
			jen.Id("w").Op(":=").Op("&").Id("workflow").Values(jen.Dict{
				jen.Id("tasks"): jen.Id("tasks")}),
			jen.Return(jen.Op("&").Qual(rt, "Workflow").Values(jen.Dict{
				jen.Id("Name"):   jen.Lit(g.opts.Package),
				jen.Id("Source"): jen.Lit(g.opts.Source),
				jen.Id("Start"):  jen.Lit(g.units[0].Name),
				jen.Id("Units"):  jen.Index().Qual(rt, "Unit").Values(append(units, jen.Line())...),
			})),
		)
}

func unitKindConst(k ir.UnitKind) string {
	switch k {
	case ir.UnitStart:
		return "UnitStart"
	case ir.UnitTask:
		return "UnitTask"
	case ir.UnitJoin:
		return "UnitJoin"
	case ir.UnitResume:
		return "UnitResume"
	}
	return "UnitBranch"
}

// targets declares where each unit runs: its cloud, then its failover.
func (g *gen) targets() jen.Code {
	var defs []jen.Code
	for _, u := range g.units {
		state := ""
		if u.State != nil {
			state = u.State.Name
		}
		defs = append(defs, jen.Id(g.targetID(u)).Op("=").Qual(rt, "Target").Values(
			field("Unit", jen.Lit(u.Name)), field("Clouds", stringList(g.opts.Placement(state)))))
	}
	return jen.Comment("The targets of the units: the clouds each runs on, in failover order.").
		Line().Var().Defs(defs...)
}

// unitFunc writes the code of one unit: its own work, then its
// continuation.
func (g *gen) unitFunc(u *ir.Unit) jen.Code {
	var body []jen.Code
	switch u.Kind {
	case ir.UnitStart, ir.UnitBranch, ir.UnitItem:
		body = g.enterGraph(u.Enters, jen.Id("c").Dot("Input").Call())
	case ir.UnitResume:
		body = g.transition(u.State, jen.Id("c").Dot("Input").Call())
	case ir.UnitTask:
		body = g.outcome(u.State, jen.Id("c").Dot("Task").Call(jen.Id("ctx"),
			jen.Id(g.stateID(u.State)), jen.Id("w").Dot("tasks").Dot(g.methodID(u.State))))
	case ir.UnitJoin:
		body = g.outcome(u.State, jen.Id("c").Dot("Join").Call(jen.Id("ctx"),
			jen.Id(g.stateID(u.State))))
	}
	return jen.Commentf("%s is the %s unit %s.", g.unitID(u), u.Kind, commentText(u.Name)).Line().
		Func().Params(jen.Id("w").Op("*").Id("workflow")).Id(g.unitID(u)).
		Params(ctxParams()...).Error().Block(body...)
}

// enterGraph enters the start state of gr with input.
func (g *gen) enterGraph(gr *ir.Graph, input jen.Code) []jen.Code {
	start := gr.Lookup(gr.StartAt)
	return []jen.Code{jen.Return(jen.Id("w").Dot(g.enterID(start)).Call(jen.Id("ctx"),
		jen.Id("c"), input))}
}

// outcome runs a Task or a join and follows its catchers or its
// transition.
func (g *gen) outcome(s *ir.State, run jen.Code) []jen.Code {
	body := []jen.Code{
		jen.List(jen.Id("o"), jen.Err()).Op(":=").Add(run),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
	}
	if len(s.Catch) > 0 {
		var cases []jen.Code
		for i, k := range s.Catch {
			next := g.graphOf[s].Lookup(k.Next)
			cases = append(cases, jen.Case(jen.Lit(i)).Block(jen.Return(
				jen.Id("w").Dot(g.enterID(next)).Call(jen.Id("ctx"), jen.Id("c"),
					jen.Id("o").Dot("Output")))))
		}
		body = append(body, jen.Switch(jen.Id("o").Dot("Caught")).Block(cases...))
	}
	return append(body, g.transition(s, jen.Id("o").Dot("Output"))...)
}

// transition follows a state's Next, or ends its graph.
func (g *gen) transition(s *ir.State, out jen.Code) []jen.Code {
	if s.End || s.Next == "" {
		return []jen.Code{jen.Return(jen.Id("c").Dot("End").Call(jen.Id("ctx"), out))}
	}
	next := g.graphOf[s].Lookup(s.Next)
	return []jen.Code{jen.Return(jen.Id("w").Dot(g.enterID(next)).Call(jen.Id("ctx"),
		jen.Id("c"), out))}
}

// commentLine makes a file name safe for a // comment.
func commentLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == '\u2028' || r == '\u2029' {
			return '?'
		}
		return r
	}, s)
}

// field renders "name: value" in a composite literal whose fields keep
// the order given.
func field(name string, value jen.Code) jen.Code {
	return jen.Id(name).Op(":").Add(value)
}
