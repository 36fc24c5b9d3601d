package expr_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jointlambda/jlgen/internal/shared"
	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser"
	"github.com/jointlambda/jlgen/runtime/expr"
)

func TestAlibabaExprSource(t *testing.T) {
	cases := []struct{ in, want string }{
		{`$.a`, `$.a`},
		{`$.a > 1 && $.b == "x"`, `$.a > 1 && $.b == "x"`},
		{`$.h && ($.e >= 4000 || $.t >= $.u)`, `$.h && ($.e >= 4000 || $.t >= $.u)`},
		{`!$.done || $.x <= -1.5e2`, `!$.done || $.x <= -1.5e2`},
		{`  $Input.status=='ready'`, `  $Input.status=="ready"`},
		{`'say "hi"' != $.s`, `'say "hi"' != $.s`},
		{`"it's \\ \"x\"" == $.s`, `'it\'s \\ "x"'  == $.s`},
		{`( ( $.a ) )`, `    $.a`},
		{`(!$.a) == true`, `(!$.a) == true`},
		{`!($.a && $.b)`, `!($.a && $.b)`},
		{`$.a || ($.b || $.c)`, `$.a || ($.b || $.c)`},
		{`($.a || $.b) || $.c`, ` $.a || $.b  || $.c`},
		{`format( "{}-{}" , $Input.a,$Context.Execution.Name )`,
			`format( "{}-{}",  $Input.a,$Context.Execution.Name)`},
		{`a . b()`, `a.b()`},
		{`f(($.a == 1) == ($.b != 2), null, false)`, `f(($.a == 1) == ($.b != 2), null, false)`},
		{"$.a\n&&\t$.b", "$.a && $.b"},
		{`$input.a['b c'][0].d-e`, `$input.a['b c'][0].d-e`},
	}
	for _, c := range cases {
		e, err := expr.ParseAlibabaExpr(c.in)
		if err != nil {
			t.Fatalf("ParseAlibabaExpr(%q): %v", c.in, err)
		}
		src := e.Source()
		if src != c.want {
			t.Errorf("Source of %q = %q, want %q", c.in, src, c.want)
		}
		again, err := expr.ParseAlibabaExpr(src)
		if err != nil {
			t.Errorf("ParseAlibabaExpr(%q), from %q: %v", src, c.in, err)
			continue
		}
		if d := cmp.Diff(e, again); d != "" {
			t.Errorf("%q re-parsed from %q differs (-want +got):\n%s", c.in, src, d)
		}
	}
}

// TestAlibabaExprSourceBuilt checks that a tree built by hand, whose
// offsets mean nothing, still gives text that parses into its shape.
func TestAlibabaExprSourceBuilt(t *testing.T) {
	path := func(s string) *expr.AlibabaExpr {
		p, err := expr.ParseAlibabaPath(s)
		if err != nil {
			t.Fatal(err)
		}
		return &expr.AlibabaExpr{Kind: expr.AlibabaPathRef, Path: p}
	}
	e := &expr.AlibabaExpr{Kind: expr.AlibabaAnd, Args: []*expr.AlibabaExpr{
		{Kind: expr.AlibabaOr, Args: []*expr.AlibabaExpr{path("$.a"), path("$.b")}},
		{Kind: expr.AlibabaCall, Func: "f", Args: []*expr.AlibabaExpr{path("$.c"),
			{Kind: expr.AlibabaLiteral, Value: 1.5}}},
	}}
	got, err := expr.ParseAlibabaExpr(e.Source())
	if err != nil {
		t.Fatalf("ParseAlibabaExpr(%q): %v", e.Source(), err)
	}
	if got.String() != e.String() {
		t.Errorf("Source %q parses as %s, want %s", e.Source(), got, e)
	}
}

func TestParseAlibabaTemplate(t *testing.T) {
	cases := []struct {
		mode     expr.AlibabaTemplateMode
		in, want string
	}{
		{expr.AlibabaSourceMode, `"$input.a"`, `<$input.a>`},
		{expr.AlibabaSourceMode, `"$.a"`, `"$.a"`},
		{expr.AlibabaSourceMode, `"http://x/$input"`, `"http://x/$input"`},
		{expr.AlibabaSourceMode, `{"k":"$local.a","n":[1,2]}`, `{"k":"$local.a","n":[1,2]}`},
		{expr.AlibabaSourceMode, `1.50`, `1.50`},
		{expr.AlibabaParamsMode, `{"u":"$.url","s":"face","a":["$","x",null]}`,
			`{"u": <$.url>, "s": "face", "a": [<$>, "x", null]}`},
		{expr.AlibabaParamsMode, `{"k.$":"x"}`, `{"k.$": "x"}`},
		{expr.AlibabaConstructorMode, `{"id.$":"$Input.id","f":"$Input.x","n":{"v.$":"$Item"}}`,
			`{"id": <$Input.id>, "f": "$Input.x", "n": {"v": <$Item>}}`},
		{expr.AlibabaConstructorMode, `{"a":[{"b.$":"length($Input.l) > 2"}]}`,
			`{"a": [{"b": <(length($Input.l) > 2)>}]}`},
	}
	for _, c := range cases {
		tm, err := expr.ParseAlibabaTemplate([]byte(c.in), c.mode)
		if err != nil {
			t.Errorf("ParseAlibabaTemplate(%s, %s): %v", c.in, c.mode, err)
			continue
		}
		if got := tm.String(); got != c.want {
			t.Errorf("ParseAlibabaTemplate(%s, %s) = %s, want %s", c.in, c.mode, got, c.want)
		}
		checkRoundTrip(t, c.in, c.mode, tm)
	}
}

func TestParseAlibabaTemplateErrors(t *testing.T) {
	cases := []struct {
		mode expr.AlibabaTemplateMode
		in   string
	}{
		{expr.AlibabaSourceMode, `"$input.a ==`},
		{expr.AlibabaSourceMode, `"$input["`},
		{expr.AlibabaParamsMode, `{"a":"$.b[}"}`},
		{expr.AlibabaConstructorMode, `{"a.$":1}`},
		{expr.AlibabaConstructorMode, `{"a.$":"$Input.x =="}`},
		{expr.AlibabaConstructorMode, `{} {}`},
		{expr.AlibabaParamsMode, `{"a":`},
	}
	for _, c := range cases {
		if _, err := expr.ParseAlibabaTemplate([]byte(c.in), c.mode); err == nil {
			t.Errorf("ParseAlibabaTemplate(%s, %s) succeeded, want an error", c.in, c.mode)
		}
	}
}

// TestAlibabaTemplateAgreesWithParser writes a flow and a CloudFlow
// definition in JSON, which is YAML too, and checks that the FDL parser
// and ParseAlibabaTemplate build the same trees from the same values.
func TestAlibabaTemplateAgreesWithParser(t *testing.T) {
	sources := []string{`"$input.a"`, `"$local[*].v"`, `"$context.task.token"`, `"$.a"`,
		`"http://example.com/$input"`, `""`, `7`, `true`, `null`, `{"small":1,"l":[2,"$input"]}`,
		`[1,"$local.x"]`, `"$input.a == 1"`}
	params := `{"ImageURL":"$.imageURL","Side":"face","Whole":"$",` +
		`"List":["$.a",{"k.$":"$.b","n":2.50}],"Weird.$":"v"}`
	var mappings []string
	for i, s := range sources {
		mappings = append(mappings, fmt.Sprintf(`{"target":"t%d","source":%s}`, i, s))
	}
	flow := `{"version":"v1","type":"flow","steps":[{"type":"task","name":"a",` +
		`"action":"ocr:RecognizeIdentityCard","serviceParams":` + params + `,` +
		`"inputMappings":[` + strings.Join(mappings, ",") + `]}]}`
	wf := parseOne(t, flow)
	af := wf.Graph.States[0].Alibaba
	agree(t, params, expr.AlibabaParamsMode, af.ServiceParams)
	for i, m := range af.InputMappings {
		agree(t, sources[i], expr.AlibabaSourceMode, m.Source)
	}

	ctors := []string{`{"orderId.$":"$Input.order.id","fixed":1,"s":"$Input.x"}`,
		`{"resourceArn":"acs:fc:::functions/f","body.$":"$Input","n":{"a.$":" $Input.a "}}`,
		`{"r.$":"$Output.Body","f.$":"format(\"{}-{}\", $Input.a, $Context.Execution.Name)",` +
			`"arr":[{"x.$":"$Input.a && ($Input.b || !$Input.c)"},"$Input"]}`,
		`{"item.$":"$Item","in.$":"$Input.items[0]"}`}
	cloud := fmt.Sprintf(`{"Type":"StateMachine","Name":"d","SpecVersion":"v1",`+
		`"StartAt":"Each","States":[{"Type":"Map","Name":"Each","ItemsPath":"$Input.items",`+
		`"InputConstructor":%s,"ItemConstructor":%s,"OutputConstructor":%s,`+
		`"Processor":{"StartAt":"W","States":[{"Type":"Task","Name":"W",`+
		`"Action":"FC:InvokeFunction","Parameters":%s,"End":true}]},"End":true}]}`,
		ctors[0], ctors[3], ctors[2], ctors[1])
	wf = parseOne(t, cloud)
	st := wf.Graph.States[0]
	agree(t, ctors[0], expr.AlibabaConstructorMode, st.Alibaba.InputConstructor)
	agree(t, ctors[3], expr.AlibabaConstructorMode, st.Alibaba.ItemConstructor)
	agree(t, ctors[2], expr.AlibabaConstructorMode, st.Alibaba.OutputConstructor)
	agree(t, ctors[1], expr.AlibabaConstructorMode,
		st.Map.Processor.States[0].Alibaba.Parameters)
}

func parseOne(t *testing.T, def string) *ir.Workflow {
	t.Helper()
	wf, diags := parser.Parse("def.yaml", []byte(def))
	if len(diags) > 0 || wf == nil {
		t.Fatalf("parse %s: %v", def, diags)
	}
	return wf
}

func agree(t *testing.T, text string, mode expr.AlibabaTemplateMode, want *expr.AlibabaTemplate) {
	t.Helper()
	got, err := expr.ParseAlibabaTemplate([]byte(text), mode)
	if err != nil {
		t.Errorf("ParseAlibabaTemplate(%s, %s): %v", text, mode, err)
		return
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("ParseAlibabaTemplate(%s, %s) differs from the parser (-parser +got):\n%s",
			text, mode, d)
	}
	checkRoundTrip(t, text, mode, want)
}

// checkRoundTrip writes tm as JSON, parses it back and expects the same
// tree.
func checkRoundTrip(t *testing.T, what string, mode expr.AlibabaTemplateMode,
	tm *expr.AlibabaTemplate) {
	t.Helper()
	text := tm.AppendJSON(nil, mode)
	if !json.Valid(text) {
		t.Errorf("%s: AppendJSON gave invalid JSON %s", what, text)
		return
	}
	again, err := expr.ParseAlibabaTemplate(text, mode)
	if err != nil {
		t.Errorf("%s: ParseAlibabaTemplate(%s, %s): %v", what, text, mode, err)
		return
	}
	if d := cmp.Diff(tm, again); d != "" {
		t.Errorf("%s: %s re-parsed in %s mode differs (-want +got):\n%s", what, text, mode, d)
	}
}

// TestAlibabaTemplateRoundTripFiles round-trips every template of the
// valid testdata/fdl definitions and of the fnf-flow corpus.
func TestAlibabaTemplateRoundTripFiles(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "fdl", "*",
		"definition.yaml"))
	if n := roundTripFiles(t, files); n == 0 {
		t.Fatal("no templates in testdata/fdl")
	}
	root := shared.Dir(t, "corpus", "fnf-flow")
	files = nil
	err := filepath.WalkDir(root, func(path string, e os.DirEntry, err error) error {
		switch filepath.Ext(path) {
		case ".yaml", ".yml", ".json":
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := roundTripFiles(t, files); n == 0 {
		t.Fatal("no templates in the fnf-flow corpus")
	}
}

func roundTripFiles(t *testing.T, files []string) int {
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		wfs, diags := parser.ParseAll(f, data)
		if len(diags) > 0 {
			continue // a definition with errors may hold fallback trees
		}
		for _, wf := range wfs {
			walkTemplates(wf.Graph, func(what string, mode expr.AlibabaTemplateMode,
				tm *expr.AlibabaTemplate) {
				checkRoundTrip(t, f+": "+what, mode, tm)
				n++
			})
		}
	}
	t.Logf("%d templates round-tripped from %d files", n, len(files))
	return n
}

// walkTemplates calls fn for every Alibaba template of the states of g
// and of the graphs they hold.
func walkTemplates(g *ir.Graph, fn func(string, expr.AlibabaTemplateMode,
	*expr.AlibabaTemplate)) {
	for _, s := range g.States {
		for _, b := range s.Branches {
			walkTemplates(b, fn)
		}
		if s.Map != nil && s.Map.Processor != nil {
			walkTemplates(s.Map.Processor, fn)
		}
		af := s.Alibaba
		if af == nil {
			continue
		}
		for _, ms := range [][]*ir.AlibabaMapping{af.InputMappings, af.OutputMappings,
			af.ErrorMappings} {
			for _, m := range ms {
				fn(s.Name+": mapping "+m.Target, expr.AlibabaSourceMode, m.Source)
			}
		}
		for what, tm := range map[string]*expr.AlibabaTemplate{
			"serviceParams": af.ServiceParams} {
			if tm != nil {
				fn(s.Name+": "+what, expr.AlibabaParamsMode, tm)
			}
		}
		for what, tm := range map[string]*expr.AlibabaTemplate{
			"InputConstructor": af.InputConstructor, "OutputConstructor": af.OutputConstructor,
			"Parameters": af.Parameters, "ItemConstructor": af.ItemConstructor} {
			if tm != nil {
				fn(s.Name+": "+what, expr.AlibabaConstructorMode, tm)
			}
		}
	}
}

// FuzzAlibabaExprSource checks that Source gives back every tree that
// ParseAlibabaExpr builds, offsets included.
func FuzzAlibabaExprSource(f *testing.F) {
	for _, s := range []string{`$.a > 1 && ($.b == "x" || !$.c)`, `f( 'a\'b', (($.x)) )`,
		`!(!$.a) == (1 < 2)`, "$input.a\n||\t$local[0]['k']"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := expr.ParseAlibabaExpr(s)
		if err != nil {
			return
		}
		again, err := expr.ParseAlibabaExpr(e.Source())
		if err != nil {
			t.Fatalf("Source of %q = %q: %v", s, e.Source(), err)
		}
		if d := cmp.Diff(e, again); d != "" {
			t.Fatalf("Source of %q = %q parses differently (-want +got):\n%s", s, e.Source(), d)
		}
	})
}
