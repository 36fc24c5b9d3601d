package codegen

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/runtime/expr"
)

// alibabaFields sets Alibaba to the data flow of a state written in an
// Alibaba dialect: every field of s.Alibaba the runtime needs, with each
// template given as its JSON text and each expression as its source.
func (g *gen) alibabaFields(d jen.Dict, s *ir.State) {
	a := s.Alibaba
	if a == nil {
		return
	}
	f := jen.Dict{jen.Id("Dialect"): aliDialect(g.wf.Dialect)}
	aliMappings(f, "InputMappings", a.InputMappings)
	aliMappings(f, "OutputMappings", a.OutputMappings)
	aliMappings(f, "ErrorMappings", a.ErrorMappings)
	if len(a.Scope) > 0 {
		f[jen.Id("Scope")] = stringList(a.Scope)
	}
	if it := a.Iteration; it != nil {
		f[jen.Id("Iteration")] = aliIteration(it)
	}
	aliString(f, "Action", a.Action)
	aliString(f, "Pattern", a.Pattern)
	aliTemplate(f, "ServiceParams", a.ServiceParams, expr.AlibabaParamsMode)
	if fn := a.Function; fn != nil {
		f[jen.Id("Function")] = aliFunction(fn)
	}
	aliExpr(f, "WaitSeconds", a.WaitSeconds)
	aliExpr(f, "WaitUntil", a.WaitUntil)
	aliTemplate(f, "InputConstructor", a.InputConstructor, expr.AlibabaConstructorMode)
	aliTemplate(f, "OutputConstructor", a.OutputConstructor, expr.AlibabaConstructorMode)
	aliTemplate(f, "Parameters", a.Parameters, expr.AlibabaConstructorMode)
	aliString(f, "TaskMode", a.TaskMode)
	aliExpr(f, "ItemsPath", a.ItemsPath)
	aliTemplate(f, "ItemConstructor", a.ItemConstructor, expr.AlibabaConstructorMode)
	aliString(f, "ExecutionMode", a.ExecutionMode)
	aliString(f, "Mode", a.Mode)
	d[jen.Id("Alibaba")] = jen.Op("&").Qual(rt, "AlibabaFlow").Values(f)
}

// aliDialect names a dialect by its runtime constant.
func aliDialect(d ir.Dialect) jen.Code {
	switch d {
	case ir.DialectFlow:
		return jen.Qual(rt, "DialectFlow")
	case ir.DialectCloudFlow:
		return jen.Qual(rt, "DialectCloudFlow")
	}
	return jen.Lit(string(d))
}

// aliMappings sets field to a mapping list, one mapping a line. An empty
// list differs from none: it builds the empty object.
func aliMappings(d jen.Dict, field string, ms []*ir.AlibabaMapping) {
	if ms == nil {
		return
	}
	items := make([]jen.Code, len(ms))
	for i, m := range ms {
		src := m.Source.AppendJSON(nil, expr.AlibabaSourceMode)
		items[i] = jen.Qual(rt, "MustAlibabaMapping").Call(jen.Lit(m.Target),
			rawString(string(src)))
	}
	list := jen.Index().Qual(rt, "AlibabaMapping")
	if len(items) == 0 {
		d[jen.Id(field)] = list.Values()
		return
	}
	d[jen.Id(field)] = list.Custom(jen.Options{Open: "{", Close: "}", Separator: ",",
		Multi: true}, items...)
}

func aliIteration(it *ir.AlibabaIteration) jen.Code {
	d := jen.Dict{}
	aliExpr(d, "Collection", it.Collection)
	aliString(d, "Item", it.Item)
	aliString(d, "Index", it.Index)
	return jen.Op("&").Qual(rt, "AlibabaIteration").Values(d)
}

func aliFunction(fn *ir.AlibabaFunction) jen.Code {
	d := jen.Dict{}
	aliString(d, "Region", fn.Region)
	aliString(d, "Account", fn.Account)
	aliString(d, "Service", fn.Service)
	aliString(d, "Function", fn.Function)
	return jen.Op("&").Qual(rt, "AlibabaFunction").Values(d)
}

// aliString sets field to s unless s is empty.
func aliString(d jen.Dict, field, s string) {
	if s != "" {
		d[jen.Id(field)] = jen.Lit(s)
	}
}

// aliExpr sets field to the expression e, written as its source; a source
// with quotes or backslashes goes in a raw string, which keeps it readable.
func aliExpr(d jen.Dict, field string, e *expr.AlibabaExpr) {
	if e == nil {
		return
	}
	var src jen.Code = jen.Lit(e.Source())
	if strings.ContainsAny(e.Source(), `"\`) {
		src = rawString(e.Source())
	}
	d[jen.Id(field)] = jen.Qual(rt, "MustAlibabaExpr").Call(src)
}

// aliMode names a template mode by its runtime constant.
func aliMode(m expr.AlibabaTemplateMode) jen.Code {
	switch m {
	case expr.AlibabaParamsMode:
		return jen.Qual(rt, "AlibabaParamsMode")
	case expr.AlibabaConstructorMode:
		return jen.Qual(rt, "AlibabaConstructorMode")
	}
	return jen.Qual(rt, "AlibabaSourceMode")
}

// aliTemplate sets field to the template t, re-parsed by the rules of
// mode from its JSON text when the package is initialised.
func aliTemplate(d jen.Dict, field string, t *expr.AlibabaTemplate,
	mode expr.AlibabaTemplateMode) {
	if t == nil {
		return
	}
	d[jen.Id(field)] = jen.Qual(rt, "MustAlibabaTemplate").Call(
		rawString(string(t.AppendJSON(nil, mode))), aliMode(mode))
}
