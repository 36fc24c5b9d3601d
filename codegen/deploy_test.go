package codegen

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/google/go-cmp/cmp"

	"github.com/jointlambda/jlgen/ir"
	jlparser "github.com/jointlambda/jlgen/parser"
)

// deployCase is a workflow, where its states run, and what each unit may
// invoke, by unit name, whatever the cloud of the successor.
type deployCase struct {
	name   string
	def    []byte
	places map[string][]string
	succ   map[string][]string
}

// linearChain is a chain of units through inline states: each unit's only
// successor is the next unit-bearing state's.
const linearChain = `{"StartAt": "A", "States": {
 "A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:a", "Next": "P"},
 "P": {"Type": "Pass", "Next": "B"},
 "B": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:b", "Next": "W"},
 "W": {"Type": "Wait", "Seconds": 5, "Next": "C"},
 "C": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:c", "End": true}}}`

func deployCases(t *testing.T) []deployCase {
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "asl", name, "definition.asl.json"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return []deployCase{
		{name: "parallel-branches", def: read("parallel-branches"),
			places: map[string][]string{"CheckStock": {"aliyun", "aws"},
				"GetCustomer": {"aliyun"}},
			succ: map[string][]string{
				"start":            {"branch:Enrich:0", "branch:Enrich:1"},
				"branch:Enrich:0":  {"task:GetCustomer"},
				"branch:Enrich:1":  {"task:CheckStock"},
				"task:GetCustomer": {"join:Enrich"},
				"task:CheckStock":  {"join:Enrich"},
				"join:Enrich":      {"join:Enrich"}, // Retry
			}},
		{name: "task-retry-catch", def: read("task-retry-catch"),
			succ: map[string][]string{"start": {"task:Charge"}, "task:Charge": {"task:Charge"}}},
		{name: "map-itemprocessor-inline", def: read("map-itemprocessor-inline"),
			places: map[string][]string{"Price": {"aliyun"}},
			succ: map[string][]string{
				"start":           {"item:PriceLines", "join:PriceLines"},
				"item:PriceLines": {"task:Price"},
				"task:Price":      {"join:PriceLines"},
				"join:PriceLines": {"join:PriceLines"},
			}},
		{name: "linear-chain", def: []byte(linearChain),
			places: map[string][]string{"B": {"aliyun"}, "C": {"aws", "aliyun"}},
			succ:   chainSuccessors(t, []byte(linearChain))},
	}
}

// chainSuccessors gives each unit of a chain without branches the unit of
// the next Task or Wait state after its own.
func chainSuccessors(t *testing.T, def []byte) map[string][]string {
	wf := parse(t, def)
	var chain []string
	for _, u := range ir.Lower(wf) {
		chain = append(chain, u.Name)
	}
	succ := map[string][]string{}
	for i := 0; i+1 < len(chain); i++ {
		succ[chain[i]] = []string{chain[i+1]}
	}
	return succ
}

func parse(t *testing.T, def []byte) *ir.Workflow {
	t.Helper()
	wf, diags := jlparser.Parse("definition.asl.json", def)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	return wf
}

func (c deployCase) placement(state string) []string {
	if clouds, ok := c.places[state]; ok {
		return clouds
	}
	return []string{"aws"}
}

func generateDeploy(t *testing.T, wf *ir.Workflow, place func(string) []string) map[string][]byte {
	t.Helper()
	files, err := Generate(wf, Options{Package: "wf", ImportPath: "example.com/wf",
		Source: "definition.asl.json", Placement: place})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		out[f.Path] = f.Data
	}
	return out
}

func TestDeploy(t *testing.T) {
	for _, c := range deployCases(t) {
		t.Run(c.name, func(t *testing.T) {
			wf := parse(t, c.def)
			files := generateDeploy(t, wf, c.placement)
			onAWS, onAliyun := map[string]bool{}, map[string]bool{}
			for _, u := range ir.Lower(wf) {
				clouds := c.placement(unitState(u))
				onAWS[u.Name] = slices.Contains(clouds, "aws")
				onAliyun[u.Name] = slices.Contains(clouds, "aliyun")
			}
			checkTemplate(t, files["deploy/template.yaml"], onAWS, c.succ)
			checkSdevs(t, files["deploy/s.yaml"], onAliyun)
			checkBuild(t, files["deploy/build.sh"])
			again := generateDeploy(t, wf, c.placement)
			for p, b := range files {
				if !bytes.Equal(b, again[p]) {
					t.Errorf("%s differs between two runs", p)
				}
			}
		})
	}
}

// samDoc is the part of a SAM template the test reads.
type samDoc struct {
	Transform string `yaml:"Transform"`
	Resources map[string]struct {
		Type       string         `yaml:"Type"`
		Properties map[string]any `yaml:"Properties"`
	} `yaml:"Resources"`
}

func checkTemplate(t *testing.T, data []byte, onAWS map[string]bool,
	succ map[string][]string) {
	t.Helper()
	checkHeader(t, "template.yaml", data)
	var doc samDoc
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("parse template.yaml: %v\n%s", err, data)
	}
	if doc.Transform != "AWS::Serverless-2016-10-31" {
		t.Errorf("Transform = %q", doc.Transform)
	}
	unitOf := map[string]string{} // function name (Fn::Sub) -> unit
	roleOf := map[string]string{} // unit -> role logical ID
	var tables, buckets int
	for id, r := range doc.Resources {
		switch r.Type {
		case "AWS::Serverless::Function":
			unit := lookup(r.Properties, "Environment", "Variables", "JLGEN_UNIT").(string)
			if !onAWS[unit] {
				t.Errorf("function %s runs unit %q, which is not placed on aws", id, unit)
			}
			if _, dup := roleOf[unit]; dup {
				t.Errorf("unit %q has more than one function", unit)
			}
			unitOf[lookup(r.Properties, "FunctionName", "Fn::Sub").(string)] = unit
			roleOf[unit] = lookup(r.Properties, "Role", "Fn::GetAtt").([]any)[0].(string)
		case "AWS::DynamoDB::Table":
			tables++
			ttl := lookup(r.Properties, "TimeToLiveSpecification")
			want := map[string]any{"AttributeName": "ttl", "Enabled": true}
			if !cmp.Equal(ttl, want) {
				t.Errorf("table TTL = %v, want %v", ttl, want)
			}
			if lookup(r.Properties, "BillingMode") != "PAY_PER_REQUEST" {
				t.Errorf("table is not PAY_PER_REQUEST")
			}
		case "AWS::S3::Bucket":
			buckets++
		}
	}
	if tables != 1 || buckets != 1 {
		t.Errorf("%d tables and %d buckets, want one of each", tables, buckets)
	}
	for unit, aws := range onAWS {
		if _, ok := roleOf[unit]; aws && !ok {
			t.Errorf("unit %q is placed on aws but has no function", unit)
		}
	}
	for unit, role := range roleOf {
		got := invokedUnits(t, doc.Resources[role].Properties, unitOf)
		var want []string
		for _, s := range succ[unit] {
			if onAWS[s] {
				want = append(want, s)
			}
		}
		sort.Strings(want)
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("unit %q may invoke (-want +got):\n%s", unit, d)
		}
	}
}

// invokedUnits returns the units whose functions a role may invoke, and
// fails on any resource that is a wildcard.
func invokedUnits(t *testing.T, role map[string]any, unitOf map[string]string) []string {
	t.Helper()
	var units []string
	policies := lookup(role, "Policies").([]any)
	for _, p := range policies {
		for _, s := range lookup(p.(map[string]any), "PolicyDocument", "Statement").([]any) {
			st := s.(map[string]any)
			for _, r := range st["Resource"].([]any) {
				checkNotWildcard(t, r)
			}
			if !slices.Contains(st["Action"].([]any), any("lambda:InvokeFunction")) {
				continue
			}
			for _, r := range st["Resource"].([]any) {
				arn := lookup(r.(map[string]any), "Fn::Sub").(string)
				_, name, _ := strings.Cut(arn, ":function:")
				unit, ok := unitOf[name]
				if !ok {
					t.Errorf("invoke resource %q is no function of the template", arn)
				}
				units = append(units, unit)
			}
		}
	}
	sort.Strings(units)
	return units
}

// checkNotWildcard fails on "*" as a resource, and on a wildcard anywhere
// but over the objects of the blob bucket.
func checkNotWildcard(t *testing.T, r any) {
	t.Helper()
	if s, ok := r.(string); ok && strings.Contains(s, "*") {
		t.Errorf("wildcard resource %q", s)
	}
	if m, ok := r.(map[string]any); ok {
		if s, _ := m["Fn::Sub"].(string); strings.Contains(s, "*") && s != "${Blobs.Arn}/*" {
			t.Errorf("wildcard resource %q", s)
		}
	}
}

func lookup(v map[string]any, keys ...string) any {
	var cur any = v
	for _, k := range keys {
		m, _ := cur.(map[string]any)
		cur = m[k]
	}
	return cur
}

func checkSdevs(t *testing.T, data []byte, onAliyun map[string]bool) {
	t.Helper()
	checkHeader(t, "s.yaml", data)
	var doc struct {
		Edition   string
		Resources map[string]struct {
			Component string
			Props     map[string]any
		}
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("parse s.yaml: %v\n%s", err, data)
	}
	if doc.Edition != "3.0.0" {
		t.Errorf("edition = %q", doc.Edition)
	}
	var got, want []string
	for _, r := range doc.Resources {
		if r.Component != "fc3" || r.Props["runtime"] != "custom.debian10" {
			t.Errorf("resource %v is no fc3 custom.debian10 function", r)
		}
		got = append(got, lookup(r.Props, "environmentVariables", "JLGEN_UNIT").(string))
	}
	for unit, ok := range onAliyun {
		if ok {
			want = append(want, unit)
		}
	}
	sort.Strings(got)
	sort.Strings(want)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("s.yaml units (-want +got):\n%s", d)
	}
}

func checkBuild(t *testing.T, data []byte) {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("#!/bin/sh\n# Code generated by jlgen. DO NOT EDIT.\n")) {
		t.Errorf("build.sh header:\n%s", data)
	}
	for _, want := range []string{"CGO_ENABLED=0", "-tags lambda.norpc",
		"-o \"$out/lambda/bootstrap\" ./lambda", "zip -q ../lambda.zip bootstrap",
		"-o \"$out/fc/bootstrap\" ./fc"} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("build.sh lacks %q", want)
		}
	}
}

func checkHeader(t *testing.T, name string, data []byte) {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("# Code generated by jlgen. DO NOT EDIT.\n")) {
		t.Errorf("%s does not start with the generated-code header", name)
	}
}

// TestDeployNames places every unit of a workflow with hostile state
// names on both clouds: every name survives YAML intact, and every unit
// has its own function.
func TestDeployNames(t *testing.T) {
	def, err := os.ReadFile(filepath.Join("..", "testdata", "asl", "adversarial-state-names",
		"definition.asl.json"))
	if err != nil {
		t.Fatal(err)
	}
	wf := parse(t, def)
	files := generateDeploy(t, wf, func(string) []string { return []string{"aws", "aliyun"} })
	all := map[string]bool{}
	for _, u := range ir.Lower(wf) {
		all[u.Name] = true
	}
	// The Choice states of the workflow send every rule to the default, so
	// its units form a chain.
	checkTemplate(t, files["deploy/template.yaml"], all, chainSuccessors(t, def))
	checkSdevs(t, files["deploy/s.yaml"], all)
}

// TestDeployExpansion rejects a unit name that Serverless Devs would
// expand, and keeps it verbatim in the SAM template, which does not.
func TestDeployExpansion(t *testing.T) {
	wf := parse(t, []byte(`{"StartAt": "${vars.region}", "States": {"${vars.region}":
		{"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:a", "End": true}}}`))
	files := generateDeploy(t, wf, nil)
	checkTemplate(t, files["deploy/template.yaml"],
		map[string]bool{"start": true, "task:${vars.region}": true},
		map[string][]string{"start": {"task:${vars.region}"}})
	_, err := Generate(wf, Options{Package: "wf", Placement: func(string) []string {
		return []string{"aliyun"}
	}})
	if err == nil || !strings.Contains(err.Error(), `unit "task:${vars.region}"`) {
		t.Errorf("err = %v, want the unit Serverless Devs would expand", err)
	}
}

func TestASCIIName(t *testing.T) {
	seen := map[string]string{}
	for _, name := range []string{"a_b", "a_5f_b", "é", "_e9_", "🚀 launch", "a b"} {
		got := asciiName(name)
		if prev, dup := seen[got]; dup {
			t.Errorf("asciiName(%q) = asciiName(%q) = %q", name, prev, got)
		}
		seen[got] = name
		for _, r := range got {
			if r >= 0x80 {
				t.Errorf("asciiName(%q) = %q, not ASCII", name, got)
			}
		}
	}
}
