package codegen

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"testing"

	"github.com/dave/jennifer/jen"
	"github.com/google/go-cmp/cmp"

	"github.com/jointlambda/jlgen/ir"
	jlparser "github.com/jointlambda/jlgen/parser"
	jlrt "github.com/jointlambda/jlgen/runtime"
	"github.com/jointlambda/jlgen/runtime/expr"
)

const aliFlow = `{"version":"v1","type":"flow","steps":[
{"type":"foreach","name":"each","iterationMapping":{"collection":"$.keys","item":"k"},
 "inputMappings":[],"outputMappings":[{"target":"v","source":"$local[*].v"}],
 "steps":[{"type":"task","name":"ocr","action":"ocr:Recognize","pattern":"sync",
  "serviceParams":{"url":"$.url","n":["$.a",2]},
  "errorMappings":[{"target":"e","source":{"code":"$local.error"}}]}]},
{"type":"wait","name":"w","duration":"$.sleep"},
{"type":"task","name":"fc","resourceArn":"acs:fc:hz:1:services/s/functions/f"}]}`

const aliCloudFlow = `{"Type":"StateMachine","Name":"d","SpecVersion":"v1","StartAt":"Each",
"States":[{"Type":"Map","Name":"Each","ItemsPath":"$Input.items","End":true,
 "ItemConstructor":{"item.$":"$Item","tag":"$Item"},
 "OutputConstructor":{"n.$":"length($Output.Items) > 0 && $Input.s == \"a\""},
 "ProcessorConfig":{"ExecutionMode":"Express","Mode":"Inline"},
 "Processor":{"StartAt":"W","States":[{"Type":"Wait","Name":"W",
  "UntilDateTime":"$Input.when","End":true}]}}]}`

func TestAlibabaFields(t *testing.T) {
	cases := []struct{ def, state, want string }{
		{aliFlow, "each", `var x = &jlrt.State{Alibaba: &jlrt.AlibabaFlow{
	Dialect:       jlrt.DialectFlow,
	InputMappings: []jlrt.AlibabaMapping{},
	Iteration: &jlrt.AlibabaIteration{
		Collection: jlrt.MustAlibabaExpr("$.keys"),
		Item:       "k",
	},
	OutputMappings: []jlrt.AlibabaMapping{
		jlrt.MustAlibabaMapping("v", ` + "`" + `"$local[*].v"` + "`" + `),
	},
}}`},
		{aliFlow, "ocr", `var x = &jlrt.State{Alibaba: &jlrt.AlibabaFlow{
	Action:  "ocr:Recognize",
	Dialect: jlrt.DialectFlow,
	ErrorMappings: []jlrt.AlibabaMapping{
		jlrt.MustAlibabaMapping("e", ` + "`" + `{"code":"$local.error"}` + "`" + `),
	},
	Pattern:       "sync",
	ServiceParams: jlrt.MustAlibabaTemplate(` + "`" + `{"url":"$.url","n":["$.a",2]}` + "`" +
			`, jlrt.AlibabaParamsMode),
}}`},
		{aliFlow, "w", `var x = &jlrt.State{Alibaba: &jlrt.AlibabaFlow{
	Dialect:     jlrt.DialectFlow,
	WaitSeconds: jlrt.MustAlibabaExpr("$.sleep"),
}}`},
		{aliFlow, "fc", `var x = &jlrt.State{Alibaba: &jlrt.AlibabaFlow{
	Dialect: jlrt.DialectFlow,
	Function: &jlrt.AlibabaFunction{
		Account:  "1",
		Function: "f",
		Region:   "hz",
		Service:  "s",
	},
}}`},
		{aliCloudFlow, "Each", `var x = &jlrt.State{Alibaba: &jlrt.AlibabaFlow{
	Dialect:           jlrt.DialectCloudFlow,
	ExecutionMode:     "Express",
	ItemConstructor:   jlrt.MustAlibabaTemplate(` + "`" + `{"item.$":"$Item","tag":"$Item"}` +
			"`" + `, jlrt.AlibabaConstructorMode),
	ItemsPath:         jlrt.MustAlibabaExpr("$Input.items"),
	Mode:              "Inline",
	OutputConstructor: jlrt.MustAlibabaTemplate(` + "`" +
			`{"n.$":"length($Output.Items) > 0 && $Input.s == \"a\""}` + "`" +
			`, jlrt.AlibabaConstructorMode),
}}`},
		{aliCloudFlow, "W", `var x = &jlrt.State{Alibaba: &jlrt.AlibabaFlow{
	Dialect:   jlrt.DialectCloudFlow,
	WaitUntil: jlrt.MustAlibabaExpr("$Input.when"),
}}`},
	}
	for _, c := range cases {
		g := newGen(parseDef(t, c.def), Options{Package: "p", ImportPath: "example.com/p"})
		var s *ir.State
		for _, st := range g.states {
			if st.Name == c.state {
				s = st
			}
		}
		d := jen.Dict{}
		g.alibabaFields(d, s)
		f := jen.NewFile("p")
		f.ImportAlias(rt, "jlrt")
		f.Var().Id("x").Op("=").Op("&").Qual(rt, "State").Values(d)
		var b bytes.Buffer
		if err := f.Render(&b); err != nil {
			t.Fatalf("%s: %v", c.state, err)
		}
		got := b.String()[bytes.Index(b.Bytes(), []byte("var x")):]
		if diff := cmp.Diff(c.want+"\n", got); diff != "" {
			t.Errorf("state %s (-want +got):\n%s", c.state, diff)
		}
	}
}

func parseDef(t *testing.T, def string) *ir.Workflow {
	t.Helper()
	wf, diags := jlparser.Parse("def.yaml", []byte(def))
	if wf == nil || len(diags) > 0 {
		t.Fatalf("parse: %v", diags)
	}
	return wf
}

// TestAlibabaFieldsParse generates the packages of both definitions and
// runs every Alibaba constructor call of the generated code through the
// runtime, as the package's initialisation will.
func TestAlibabaFieldsParse(t *testing.T) {
	calls := 0
	for _, def := range []string{aliFlow, aliCloudFlow} {
		files, err := Generate(parseDef(t, def), Options{Package: "p",
			ImportPath: "example.com/p", Source: "def.yaml"})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if f.Path != "states.go" {
				continue
			}
			file, err := parser.ParseFile(token.NewFileSet(), f.Path, f.Data, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok && runAlibabaCall(t, call) {
					calls++
				}
				return true
			})
		}
	}
	if calls != 9 {
		t.Errorf("ran %d Alibaba constructor calls, want 9", calls)
	}
}

// runAlibabaCall calls the runtime function that call names with its
// literal arguments, when it is one of the Alibaba constructors.
func runAlibabaCall(t *testing.T, call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	var args []string
	for _, a := range call.Args {
		if lit, ok := a.(*ast.BasicLit); ok {
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			args = append(args, s)
		}
	}
	switch sel.Sel.Name {
	case "MustAlibabaExpr":
		jlrt.MustAlibabaExpr(args[0])
	case "MustAlibabaMapping":
		jlrt.MustAlibabaMapping(args[0], args[1])
	case "MustAlibabaTemplate":
		mode := call.Args[1].(*ast.SelectorExpr).Sel.Name
		jlrt.MustAlibabaTemplate(args[0], map[string]expr.AlibabaTemplateMode{
			"AlibabaParamsMode":      jlrt.AlibabaParamsMode,
			"AlibabaConstructorMode": jlrt.AlibabaConstructorMode,
		}[mode])
	default:
		return false
	}
	return true
}
