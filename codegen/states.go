package codegen

import (
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/runtime/expr"
)

// rt is the import path of the runtime; generated code names it jlrt.
const rt = "github.com/jointlambda/jlgen/runtime"

// stateVar returns the declaration of the compiled form of state s.
func (g *gen) stateVar(s *ir.State) jen.Code {
	d := jen.Dict{
		jen.Id("Name"): jen.Lit(s.Name),
		jen.Id("Type"): jen.Lit(string(s.Type)),
	}
	if s.QueryLanguage == ir.JSONata {
		d[jen.Id("JSONata")] = jen.True()
	}
	g.flowFields(d, s)
	g.typeFields(d, s)
	return jen.Commentf("%s is the %s state %s (%s:%s).", g.stateID(s), s.Type,
		commentText(s.Name), g.opts.Source, s.Pos).Line().
		Var().Id(g.stateID(s)).Op("=").Op("&").Qual(rt, "State").Values(d)
}

func (g *gen) flowFields(d jen.Dict, s *ir.State) {
	f := &s.Flow
	jsonata := s.QueryLanguage == ir.JSONata
	optPath(d, "InputPath", f.InputPath)
	template(d, "Parameters", f.Parameters, false)
	template(d, "ResultSelector", f.ResultSelector, false)
	optPath(d, "ResultPath", f.ResultPath)
	optPath(d, "OutputPath", f.OutputPath)
	template(d, "Arguments", f.Arguments, true)
	template(d, "Output", f.Output, true)
	assign(d, f.Assign, jsonata)
	template(d, "Result", s.Result, false)
	if len(s.Retry) > 0 {
		d[jen.Id("Retry")] = retriers(s.Retry)
	}
	if len(s.Catch) > 0 {
		d[jen.Id("Catch")] = catchers(s.Catch, jsonata)
	}
}

func (g *gen) typeFields(d jen.Dict, s *ir.State) {
	jsonata := s.QueryLanguage == ir.JSONata
	if t := s.Task; t != nil {
		d[jen.Id("Resource")] = jen.Lit(t.Resource)
		intOrExpr(d, "TimeoutSeconds", t.TimeoutSeconds)
		intOrExpr(d, "HeartbeatSeconds", t.HeartbeatSeconds)
		template(d, "Credentials", t.Credentials, jsonata)
	}
	if len(s.Choices) > 0 {
		d[jen.Id("Choices")] = g.choices(s.Choices, jsonata)
	}
	if s.Default != "" {
		d[jen.Id("Default")] = jen.True()
	}
	if w := s.Wait; w != nil {
		intOrExpr(d, "Seconds", w.Seconds)
		timestamp(d, w)
	}
	if f := s.Fail; f != nil {
		text(d, "Error", f.Error)
		text(d, "Cause", f.Cause)
	}
	if len(s.Branches) > 0 {
		d[jen.Id("Branches")] = jen.Lit(len(s.Branches))
	}
	if m := s.Map; m != nil {
		if m.Processor != nil && m.Processor.ProcessorMode == "DISTRIBUTED" {
			d[jen.Id("Distributed")] = jen.True()
		}
		optPath(d, "ItemsPath", m.ItemsPath)
		template(d, "Items", m.Items, true)
		template(d, "ItemSelector", m.ItemSelector, jsonata)
		intOrExpr(d, "MaxConcurrency", m.MaxConcurrency)
		intOrExpr(d, "ToleratedFailureCount", m.ToleratedFailureCount)
		if p := m.ToleratedFailurePercentage; p != nil {
			d[jen.Id("ToleratedFailurePercentage")] = number(&ir.IntOrExpr{
				Placeholder: p.Placeholder, Path: p.Path, JSONata: p.JSONata}, p.Value)
		}
	}
	g.alibabaFields(d, s)
}

func optPath(d jen.Dict, field string, p *ir.OptPath) {
	switch {
	case p == nil:
	case p.Path == nil:
		d[jen.Id(field)] = jen.Qual(rt, "NullField").Call()
	default:
		d[jen.Id(field)] = jen.Qual(rt, "PathField").Call(jen.Lit(p.Path.String()))
	}
}

func mustPath(p *expr.Path) jen.Code {
	return jen.Qual(rt, "MustPath").Call(jen.Lit(p.String()))
}

// template sets field to the template t, re-parsed from its JSON text when
// the package is initialised.
func template(d jen.Dict, field string, t *expr.Template, jsonata bool) {
	if t != nil {
		d[jen.Id(field)] = templateValue(t, jsonata)
	}
}

func templateValue(t *expr.Template, jsonata bool) jen.Code {
	if t.Kind == expr.TemplateLiteral {
		return jen.Qual(rt, "MustLiteral").Call(rawString(string(t.AppendJSON(nil))))
	}
	return jen.Qual(rt, "MustTemplate").Call(rawString(string(t.AppendJSON(nil))), jen.Lit(jsonata))
}

// rawString renders s as a raw string literal when it can be one, which
// keeps JSON text readable, and as a quoted literal otherwise.
func rawString(s string) jen.Code {
	if strings.ContainsAny(s, "`\r") || !utf8.ValidString(s) {
		return jen.Lit(s)
	}
	return jen.Op("`" + s + "`")
}

// assign sets Assign to an object template of the variable assignments.
func assign(d jen.Dict, fields []expr.TemplateField, jsonata bool) {
	if len(fields) == 0 {
		return
	}
	t := &expr.Template{Kind: expr.TemplateObject, Fields: fields}
	d[jen.Id("Assign")] = templateValue(t, jsonata)
}

func retriers(rs []*ir.Retrier) jen.Code {
	var items []jen.Code
	for _, r := range rs {
		d := jen.Dict{
			jen.Id("ErrorEquals"):     stringList(r.ErrorEquals),
			jen.Id("IntervalSeconds"): jen.Lit(float64(r.IntervalSeconds)),
			jen.Id("MaxAttempts"):     jen.Lit(int(r.MaxAttempts)),
			jen.Id("BackoffRate"):     jen.Lit(r.BackoffRate),
		}
		if r.MaxDelaySeconds > 0 {
			d[jen.Id("MaxDelaySeconds")] = jen.Lit(float64(r.MaxDelaySeconds))
		}
		if r.JitterStrategy == "FULL" {
			d[jen.Id("JitterFull")] = jen.True()
		}
		items = append(items, jen.Values(d))
	}
	return jen.Index().Qual(rt, "Retrier").Values(items...)
}

func catchers(cs []*ir.Catcher, jsonata bool) jen.Code {
	var items []jen.Code
	for _, c := range cs {
		d := jen.Dict{jen.Id("ErrorEquals"): stringList(c.ErrorEquals)}
		optPath(d, "ResultPath", c.ResultPath)
		template(d, "Output", c.Output, true)
		assign(d, c.Assign, jsonata)
		items = append(items, jen.Values(d))
	}
	return jen.Index().Qual(rt, "Catcher").Values(items...)
}

func stringList(ss []string) jen.Code {
	items := make([]jen.Code, len(ss))
	for i, s := range ss {
		items[i] = jen.Lit(s)
	}
	return jen.Index().String().Values(items...)
}

func intOrExpr(d jen.Dict, field string, v *ir.IntOrExpr) {
	if v != nil {
		d[jen.Id(field)] = number(v, float64(v.Value))
	}
}

// number renders a Number field; value is its literal value.
func number(v *ir.IntOrExpr, value float64) jen.Code {
	switch {
	case v.Path != nil:
		return jen.Qual(rt, "NumPath").Call(jen.Lit(v.Path.String()))
	case v.JSONata != nil:
		return jen.Qual(rt, "NumJSONata").Call(jen.Lit("{% " + v.JSONata.String() + " %}"))
	case v.Placeholder != "":
		return jen.Qual(rt, "NumPlaceholder").Call(jen.Lit(v.Placeholder))
	}
	return jen.Qual(rt, "Num").Call(jen.Lit(value))
}

func mustJSONata(j *expr.JSONata) jen.Code {
	return jen.Qual(rt, "MustJSONata").Call(jen.Lit("{% " + j.String() + " %}"))
}

func text(d jen.Dict, field string, v *ir.StringOrExpr) {
	if v == nil {
		return
	}
	var t jen.Code
	switch {
	case v.Path != nil:
		t = jen.Qual(rt, "StrPath").Call(jen.Lit(v.Path.String()))
	case v.Call != nil:
		t = jen.Qual(rt, "StrIntrinsic").Call(jen.Lit(v.Call.String()))
	case v.JSONata != nil:
		t = jen.Qual(rt, "StrJSONata").Call(jen.Lit("{% " + v.JSONata.String() + " %}"))
	default:
		t = jen.Qual(rt, "Str").Call(jen.Lit(v.Value))
	}
	d[jen.Id(field)] = t
}

func timestamp(d jen.Dict, w *ir.Wait) {
	switch {
	case w.TimestampPath != nil:
		text(d, "Timestamp", &ir.StringOrExpr{Path: w.TimestampPath})
	case w.TimestampJSONata != nil:
		text(d, "Timestamp", &ir.StringOrExpr{JSONata: w.TimestampJSONata})
	case w.Timestamp != "":
		text(d, "Timestamp", &ir.StringOrExpr{Value: w.Timestamp})
	}
}

func (g *gen) choices(cs []*ir.ChoiceBranch, jsonata bool) jen.Code {
	var items []jen.Code
	for _, c := range cs {
		d := jen.Dict{}
		if c.Rule != nil {
			d[jen.Id("Rule")] = rule(c.Rule)
		}
		if c.Alibaba != nil {
			d[jen.Id("Alibaba")] = jen.Qual(rt, "MustAlibabaCondition").Call(jen.Lit(c.Alibaba.Src))
		}
		template(d, "Output", c.Output, true)
		assign(d, c.Assign, jsonata)
		items = append(items, jen.Values(d))
	}
	return jen.Index().Qual(rt, "Choice").Values(items...)
}

// rule renders a Choice rule as a composite literal.
func rule(r *expr.Rule) jen.Code {
	d := jen.Dict{}
	if r.Variable != nil {
		d[jen.Id("Variable")] = mustPath(r.Variable)
	}
	if r.Op != "" {
		d[jen.Id("Op")] = jen.Lit(r.Op)
	}
	if r.Value != nil {
		d[jen.Id("Value")] = literal(r.Value)
	}
	if r.ValuePath != nil {
		d[jen.Id("ValuePath")] = mustPath(r.ValuePath)
	}
	for field, list := range map[string][]*expr.Rule{"And": r.And, "Or": r.Or} {
		if list == nil {
			continue
		}
		items := make([]jen.Code, len(list))
		for i, sub := range list {
			items[i] = rule(sub)
		}
		d[jen.Id(field)] = jen.Index().Op("*").Qual(rt, "Rule").Values(items...)
	}
	if r.Not != nil {
		d[jen.Id("Not")] = rule(r.Not)
	}
	if r.Condition != nil {
		d[jen.Id("Condition")] = mustJSONata(r.Condition)
	}
	return jen.Op("&").Qual(rt, "Rule").Values(d)
}

// literal renders a string, number or boolean operand.
func literal(v any) jen.Code {
	switch v := v.(type) {
	case json.Number:
		return jen.Qual("encoding/json", "Number").Call(jen.Lit(string(v)))
	case string, bool:
		return jen.Lit(v)
	}
	return jen.Nil() // the parsers give rules no other operand types
}
