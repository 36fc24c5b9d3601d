package codegen

import (
	"bytes"
	"fmt"
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
	jlrt "github.com/jointlambda/jlgen/runtime"
)

// deployCase is a workflow, where its states run, what each unit may
// invoke, and what it may invoke with a delay (a Wait's resume unit, or
// itself when its state retries), by unit name, whatever the cloud of the
// successor.
type deployCase struct {
	name   string
	def    []byte
	places map[string][]string
	succ   map[string][]string
	delays map[string][]string
}

// linearChain is a chain of units through inline states: each unit's only
// successor is the next unit-bearing state's.
const linearChain = `{"StartAt": "A", "States": {
 "A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:a", "Next": "P"},
 "P": {"Type": "Pass", "Next": "B"},
 "B": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:b", "Next": "W"},
 "W": {"Type": "Wait", "Seconds": 5, "Next": "C"},
 "C": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:c", "End": true}}}`

// waitAndRetry waits in a loop until its input is ready: the Wait's resume
// unit and the retried Fetch are delayed by Fetch; Notify retries on
// Alibaba only, where the template deploys nothing for it.
const waitAndRetry = `{"StartAt": "Fetch", "States": {
 "Fetch": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f",
  "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 3, "MaxAttempts": 3}],
  "Next": "Ready?"},
 "Ready?": {"Type": "Choice", "Choices": [{"Variable": "$.ready", "BooleanEquals": true,
  "Next": "Ship"}], "Default": "Later"},
 "Later": {"Type": "Wait", "Seconds": 3600, "Next": "Fetch"},
 "Ship": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:s",
  "Next": "Notify"},
 "Notify": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:n",
  "Retry": [{"ErrorEquals": ["States.ALL"]}], "End": true}}}`

// noDelays fans out, maps, catches and loops, but neither waits nor
// retries: its template must hold nothing for delays. L invokes itself
// through a loop, which is no retry.
const noDelays = `{"StartAt": "Split", "States": {
 "Split": {"Type": "Parallel", "Branches": [
   {"StartAt": "L", "States": {
     "L": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:l",
      "Next": "Again?"},
     "Again?": {"Type": "Choice", "Choices": [{"Variable": "$.again",
      "BooleanEquals": true, "Next": "L"}], "Default": "Done"},
     "Done": {"Type": "Succeed"}}},
   {"StartAt": "R", "States": {"R": {"Type": "Pass", "End": true}}}],
  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}], "Next": "Each"},
 "Each": {"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"},
   "StartAt": "P", "States": {"P": {"Type": "Task",
    "Resource": "arn:aws:lambda:us-east-1:1:function:p", "End": true}}}, "End": true},
 "Failed": {"Type": "Fail", "Error": "SplitFailed"}}}`

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
			},
			delays: map[string][]string{"join:Enrich": {"join:Enrich"}}},
		{name: "task-retry-catch", def: read("task-retry-catch"),
			succ:   map[string][]string{"start": {"task:Charge"}, "task:Charge": {"task:Charge"}},
			delays: map[string][]string{"task:Charge": {"task:Charge"}}},
		{name: "map-itemprocessor-inline", def: read("map-itemprocessor-inline"),
			places: map[string][]string{"Price": {"aliyun"}},
			succ: map[string][]string{
				"start":           {"item:PriceLines", "join:PriceLines"},
				"item:PriceLines": {"task:Price"},
				"task:Price":      {"join:PriceLines"},
				"join:PriceLines": {"join:PriceLines"},
			},
			delays: map[string][]string{"join:PriceLines": {"join:PriceLines"}}},
		// B, on Alibaba, delays resume:W, on AWS: the relay and the
		// scheduler role serve it, but no function on AWS delays.
		{name: "linear-chain", def: []byte(linearChain),
			places: map[string][]string{"B": {"aliyun"}, "C": {"aws", "aliyun"}},
			succ:   chainSuccessors(t, []byte(linearChain)),
			delays: map[string][]string{"task:B": {"resume:W"}}},
		{name: "wait-and-retry", def: []byte(waitAndRetry),
			places: map[string][]string{"Notify": {"aliyun"}},
			succ: map[string][]string{
				"start":        {"task:Fetch"},
				"task:Fetch":   {"task:Fetch", "resume:Later", "task:Ship"},
				"resume:Later": {"task:Fetch"},
				"task:Ship":    {"task:Notify"},
				"task:Notify":  {"task:Notify"},
			},
			delays: map[string][]string{"task:Fetch": {"task:Fetch", "resume:Later"},
				"task:Notify": {"task:Notify"}}},
		{name: "no-delays", def: []byte(noDelays),
			succ: map[string][]string{
				"start":          {"branch:Split:0", "branch:Split:1"},
				"branch:Split:0": {"task:L"},
				"task:L":         {"task:L", "join:Split"},
				"branch:Split:1": {"join:Split"},
				"join:Split":     {"item:Each", "join:Each"},
				"item:Each":      {"task:P"},
				"task:P":         {"join:Each"},
			}},
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
			checkTemplate(t, files["deploy/template.yaml"], onAWS, c.succ, c.delays)
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

// samResource is a resource of a SAM template.
type samResource struct {
	Type       string         `yaml:"Type"`
	Properties map[string]any `yaml:"Properties"`
}

// samDoc is the part of a SAM template the test reads.
type samDoc struct {
	Transform string                 `yaml:"Transform"`
	Globals   map[string]any         `yaml:"Globals"`
	Resources map[string]samResource `yaml:"Resources"`
	Outputs   map[string]any         `yaml:"Outputs"`
}

// The names the brief of the template fixes: the shared resources, what a
// function that delays is told, and the ARNs its role names.
const (
	samFnARNPrefix = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:"
	samScheduleRes = "sub:arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}:" +
		"schedule/default/jlgen-*"
	passToScheduler = "map[StringEquals:map[iam:PassedToService:scheduler.amazonaws.com]]"
)

// samFn is a function of the template, as the test reads it.
type samFn struct {
	id, name, role, logs string
	props                map[string]any
}

// checkTemplate checks the SAM template: one function per unit on AWS,
// each role allowed exactly what its function needs (successors is what
// each unit may invoke, delays what it may invoke with a delay), and the
// delay queue, relay and scheduler role exactly when some delay's target
// runs on AWS.
func checkTemplate(t *testing.T, data []byte, onAWS map[string]bool,
	succ, delays map[string][]string) {
	t.Helper()
	checkHeader(t, "template.yaml", data)
	var doc samDoc
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("parse template.yaml: %v\n%s", err, data)
	}
	if doc.Transform != "AWS::Serverless-2016-10-31" {
		t.Errorf("Transform = %q", doc.Transform)
	}
	// The delays that need the queue, the relay and the scheduler role:
	// those whose target runs on AWS, whatever the caller's cloud.
	targets, callers := map[string]bool{}, map[string]bool{}
	for caller, units := range delays {
		for _, u := range units {
			if onAWS[u] {
				targets[u] = true
				callers[caller] = onAWS[caller] || callers[caller]
			}
		}
	}
	needDelays := len(targets) > 0
	fns := checkFunctions(t, doc, onAWS)
	unitOf := map[string]string{} // function name (Fn::Sub) -> unit
	for unit, f := range fns {
		unitOf[f.name] = unit
	}
	checkResourceTypes(t, doc, fns, needDelays)
	checkDelayHeader(t, data, needDelays)
	for unit, f := range fns {
		if unit == "relay" {
			continue
		}
		var want []string
		for _, s := range succ[unit] {
			if onAWS[s] {
				want = append(want, "lambda:InvokeFunction fn:"+s)
			}
		}
		want = append(want, unitGrants(f.logs)...)
		if callers[unit] {
			want = append(want, "sqs:SendMessage Delays.Arn",
				"scheduler:CreateSchedule "+samScheduleRes,
				"iam:PassRole SchedulerRole.Arn if "+passToScheduler)
		}
		checkRole(t, doc, f.role, "lambda.amazonaws.com", want, unitOf)
		checkDelayEnv(t, unit, f.props, callers[unit])
	}
	if needDelays {
		checkDelays(t, doc, fns, targets, unitOf)
	}
}

// checkFunctions returns the template's functions by unit, "relay" for
// the relay, and checks each one's name and log group.
func checkFunctions(t *testing.T, doc samDoc, onAWS map[string]bool) map[string]samFn {
	t.Helper()
	fns := map[string]samFn{}
	for id, r := range doc.Resources {
		if r.Type != "AWS::Serverless::Function" {
			continue
		}
		unit, _ := lookup(r.Properties, "Environment", "Variables", "JLGEN_UNIT").(string)
		if !onAWS[unit] && unit != "relay" {
			t.Errorf("function %s runs unit %q, which is not placed on aws", id, unit)
		}
		if _, dup := fns[unit]; dup {
			t.Errorf("unit %q has more than one function", unit)
		}
		name, _ := lookup(r.Properties, "FunctionName", "Fn::Sub").(string)
		if want := "${NamePrefix}-" + jlrt.FunctionID(unit); name != want {
			t.Errorf("function %s is named %q, want %q", id, name, want)
		}
		role, _ := lookup(r.Properties, "Role", "Fn::GetAtt").([]any)
		logs, _ := lookup(r.Properties, "LoggingConfig", "LogGroup", "Ref").(string)
		f := samFn{id: id, name: name, logs: logs, props: r.Properties}
		if len(role) == 2 && role[1] == "Arn" {
			f.role, _ = role[0].(string)
		} else {
			t.Errorf("function %s: Role = %v, want the Arn of a role", id, role)
		}
		group := lookup(doc.Resources[logs].Properties, "LogGroupName", "Fn::Sub")
		if group != "/aws/lambda/"+name {
			t.Errorf("function %s logs to %q, named %v", id, logs, group)
		}
		if _, ok := r.Properties["Policies"]; ok {
			t.Errorf("function %s has SAM Policies besides its role", id)
		}
		fns[unit] = f
	}
	for unit, aws := range onAWS {
		if _, ok := fns[unit]; aws && !ok {
			t.Errorf("unit %q is placed on aws but has no function", unit)
		}
	}
	return fns
}

// checkResourceTypes checks what kinds of resources the template holds,
// and that every role is a function's or the scheduler's.
func checkResourceTypes(t *testing.T, doc samDoc, fns map[string]samFn, needDelays bool) {
	t.Helper()
	roles := map[string]bool{}
	for _, f := range fns {
		roles[f.role] = true
	}
	if needDelays {
		roles["SchedulerRole"] = true
	}
	count := map[string]int{}
	for id, r := range doc.Resources {
		count[r.Type]++
		switch r.Type {
		case "AWS::Serverless::Function", "AWS::Logs::LogGroup", "AWS::S3::Bucket":
		case "AWS::DynamoDB::Table":
			ttl := lookup(r.Properties, "TimeToLiveSpecification")
			want := map[string]any{"AttributeName": "ttl", "Enabled": true}
			if !cmp.Equal(ttl, want) {
				t.Errorf("table TTL = %v, want %v", ttl, want)
			}
			if lookup(r.Properties, "BillingMode") != "PAY_PER_REQUEST" {
				t.Errorf("table is not PAY_PER_REQUEST")
			}
		case "AWS::IAM::Role":
			if !roles[id] {
				t.Errorf("role %s is no function's and not the scheduler's", id)
			}
		case "AWS::SQS::Queue":
			if !needDelays {
				t.Errorf("queue %s, though no delay targets a function on aws", id)
			}
		default:
			t.Errorf("resource %s has the unexpected type %s", id, r.Type)
		}
	}
	if count["AWS::DynamoDB::Table"] != 1 || count["AWS::S3::Bucket"] != 1 {
		t.Errorf("%d tables and %d buckets, want one of each",
			count["AWS::DynamoDB::Table"], count["AWS::S3::Bucket"])
	}
	_, relay := fns["relay"]
	_, queueOut := doc.Outputs["DelayQueue"]
	_, roleOut := doc.Outputs["SchedulerRoleArn"]
	if relay != needDelays || queueOut != needDelays || roleOut != needDelays {
		t.Errorf("relay %v, DelayQueue output %v, SchedulerRoleArn output %v; want %v",
			relay, queueOut, roleOut, needDelays)
	}
	if needDelays && count["AWS::SQS::Queue"] != 2 {
		t.Errorf("%d queues, want the delay queue and its dead-letter queue",
			count["AWS::SQS::Queue"])
	}
}

// checkDelays checks the queue, its dead-letter queue, the relay and the
// scheduler role; targets are the units they may invoke.
func checkDelays(t *testing.T, doc samDoc, fns map[string]samFn, targets map[string]bool,
	unitOf map[string]string) {
	t.Helper()
	var invoke []string
	for u := range targets {
		invoke = append(invoke, "lambda:InvokeFunction fn:"+u)
	}
	q, dead := doc.Resources["Delays"], doc.Resources["DelaysDead"]
	if q.Type != "AWS::SQS::Queue" || dead.Type != "AWS::SQS::Queue" {
		t.Fatalf("Delays is a %q and DelaysDead a %q, want two AWS::SQS::Queue", q.Type,
			dead.Type)
	}
	for id, p := range map[string]map[string]any{"Delays": q.Properties,
		"DelaysDead": dead.Properties} {
		if fifo, _ := p["FifoQueue"].(bool); fifo {
			t.Errorf("%s is a FIFO queue, which has no per-message delay", id)
		}
	}
	redrive := lookup(q.Properties, "RedrivePolicy", "deadLetterTargetArn")
	if want := map[string]any{"Fn::GetAtt": []any{"DelaysDead", "Arn"}}; !cmp.Equal(redrive,
		want) {
		t.Errorf("Delays redrives to %v, want %v", redrive, want)
	}
	if _, ok := dead.Properties["RedrivePolicy"]; ok {
		t.Errorf("DelaysDead redrives further")
	}
	receives := yamlInt(t, lookup(q.Properties, "RedrivePolicy", "maxReceiveCount"))
	if receives < 1 || receives > 10 {
		t.Errorf("maxReceiveCount = %d, want a few receives", receives)
	}
	relay := fns["relay"]
	timeout := yamlInt(t, relay.props["Timeout"])
	if relay.props["Timeout"] == nil {
		timeout = yamlInt(t, lookup(doc.Globals, "Function", "Timeout"))
	}
	visibility := yamlInt(t, q.Properties["VisibilityTimeout"])
	if timeout <= 0 || visibility < 6*timeout {
		t.Errorf("VisibilityTimeout = %d, want at least six times the relay's timeout %d",
			visibility, timeout)
	}
	retention := yamlInt(t, q.Properties["MessageRetentionPeriod"])
	if retention < 900+receives*visibility {
		t.Errorf("MessageRetentionPeriod = %d, shorter than a 15-minute delay and %d receives",
			retention, receives)
	}
	if d := yamlInt(t, dead.Properties["MessageRetentionPeriod"]); d <= retention {
		t.Errorf("DelaysDead keeps messages %d s, not longer than Delays' %d s", d, retention)
	}
	events := map[string]any{"Delays": map[string]any{"Type": "SQS", "Properties": map[string]any{
		"Queue": map[string]any{"Fn::GetAtt": []any{"Delays", "Arn"}}, "BatchSize": uint64(10),
		"FunctionResponseTypes": []any{"ReportBatchItemFailures"}}}}
	if d := cmp.Diff(events, relay.props["Events"]); d != "" {
		t.Errorf("relay events (-want +got):\n%s", d)
	}
	checkDelayEnv(t, "relay", relay.props, false)
	checkRole(t, doc, relay.role, "lambda.amazonaws.com", append([]string{
		"logs:CreateLogStream " + relay.logs + ".Arn", "logs:PutLogEvents " + relay.logs + ".Arn",
		"sqs:ReceiveMessage Delays.Arn", "sqs:DeleteMessage Delays.Arn",
		"sqs:GetQueueAttributes Delays.Arn"}, invoke...), unitOf)
	checkRole(t, doc, "SchedulerRole", "scheduler.amazonaws.com", invoke, unitOf)
	cond := lookup(doc.Resources["SchedulerRole"].Properties, "AssumeRolePolicyDocument",
		"Statement").([]any)[0].(map[string]any)["Condition"]
	want := map[string]any{"StringEquals": map[string]any{
		"aws:SourceAccount": map[string]any{"Ref": "AWS::AccountId"}}}
	if !cmp.Equal(cond, want) {
		t.Errorf("SchedulerRole's trust condition = %v, want %v", cond, want)
	}
}

// unitGrants is what every unit's role allows besides invoking: its log
// group, the checkpoint table and the blobs.
func unitGrants(logs string) []string {
	return []string{
		"logs:CreateLogStream " + logs + ".Arn", "logs:PutLogEvents " + logs + ".Arn",
		"dynamodb:GetItem Checkpoints.Arn", "dynamodb:PutItem Checkpoints.Arn",
		"dynamodb:UpdateItem Checkpoints.Arn", "dynamodb:DeleteItem Checkpoints.Arn",
		"s3:GetObject sub:${Blobs.Arn}/*", "s3:PutObject sub:${Blobs.Arn}/*",
	}
}

// checkDelayEnv checks that a function has the settings of the delay
// routes when it delays, and none of them when it does not.
func checkDelayEnv(t *testing.T, unit string, props map[string]any, delays bool) {
	t.Helper()
	want := map[string]any{
		"JLGEN_DELAY_QUEUE":         map[string]any{"Ref": "Delays"},
		"JLGEN_SCHEDULER_ROLE":      map[string]any{"Fn::GetAtt": []any{"SchedulerRole", "Arn"}},
		"JLGEN_FUNCTION_ARN_PREFIX": map[string]any{"Fn::Sub": samFnARNPrefix},
	}
	env, _ := lookup(props, "Environment", "Variables").(map[string]any)
	for name, v := range want {
		got, ok := env[name]
		switch {
		case delays && !cmp.Equal(got, v):
			t.Errorf("unit %q delays, and its %s = %v, want %v", unit, name, got, v)
		case !delays && ok:
			t.Errorf("unit %q does not delay, and has %s", unit, name)
		}
	}
}

// checkRole checks that role id may be assumed by service only, and
// allows exactly want, each "action resource" (see grants).
func checkRole(t *testing.T, doc samDoc, id, service string, want []string,
	unitOf map[string]string) {
	t.Helper()
	r, ok := doc.Resources[id]
	if !ok || r.Type != "AWS::IAM::Role" {
		t.Errorf("role %s is missing", id)
		return
	}
	for k := range r.Properties {
		if k != "AssumeRolePolicyDocument" && k != "Policies" {
			t.Errorf("role %s has %s", id, k)
		}
	}
	trust, _ := lookup(r.Properties, "AssumeRolePolicyDocument", "Statement").([]any)
	if len(trust) != 1 {
		t.Fatalf("role %s has %d trust statements, want 1", id, len(trust))
	}
	st, _ := trust[0].(map[string]any)
	if st["Effect"] != "Allow" || st["Action"] != "sts:AssumeRole" ||
		!cmp.Equal(st["Principal"], map[string]any{"Service": service}) {
		t.Errorf("role %s trusts %v, want %s only", id, st, service)
	}
	want = slices.Clone(want)
	sort.Strings(want)
	if d := cmp.Diff(want, grants(t, id, r.Properties, unitOf)); d != "" {
		t.Errorf("role %s allows (-want +got):\n%s", id, d)
	}
}

// grants returns what a role allows, sorted, one "action resource" for
// each pair, with " if " and its condition for a conditional statement.
// A function of the template is "fn:" and its unit, an Fn::Sub "sub:"
// and its text, an Fn::GetAtt "Name.Attr". It fails on a statement that
// is not a plain Allow, and on any wildcard but over the blob bucket's
// objects or the schedules jlgen names.
func grants(t *testing.T, id string, role map[string]any, unitOf map[string]string) []string {
	t.Helper()
	var out []string
	for _, p := range lookup(role, "Policies").([]any) {
		for _, s := range lookup(p.(map[string]any), "PolicyDocument", "Statement").([]any) {
			st := s.(map[string]any)
			for k := range st {
				if !slices.Contains([]string{"Effect", "Action", "Resource", "Condition"}, k) {
					t.Errorf("role %s: statement with %s", id, k)
				}
			}
			if st["Effect"] != "Allow" {
				t.Errorf("role %s: statement with Effect %v", id, st["Effect"])
			}
			cond := ""
			if c, ok := st["Condition"]; ok {
				cond = " if " + fmt.Sprint(c)
			}
			for _, a := range asList(st["Action"]) {
				action, _ := a.(string)
				if strings.Contains(action, "*") || action == "" {
					t.Errorf("role %s: action %q", id, action)
				}
				for _, r := range asList(st["Resource"]) {
					out = append(out, action+" "+resourceName(t, r, unitOf)+cond)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// resourceName names a policy's resource for grants.
func resourceName(t *testing.T, r any, unitOf map[string]string) string {
	t.Helper()
	m, _ := r.(map[string]any)
	if s, ok := m["Fn::Sub"].(string); ok {
		if name, ok := strings.CutPrefix(s, samFnARNPrefix); ok {
			unit, ok := unitOf[name]
			if !ok {
				t.Errorf("resource %q is no function of the template", s)
			}
			return "fn:" + unit
		}
		if name := "sub:" + s; !strings.Contains(s, "*") || name == samScheduleRes ||
			s == "${Blobs.Arn}/*" {
			return name
		}
	}
	if a, ok := m["Fn::GetAtt"].([]any); ok && len(a) == 2 {
		return fmt.Sprintf("%v.%v", a[0], a[1])
	}
	t.Errorf("resource %v is a wildcard or of an unexpected form", r)
	return fmt.Sprint(r)
}

// checkDelayHeader checks that the header tells whether the template
// deploys the delay routes.
func checkDelayHeader(t *testing.T, data []byte, needDelays bool) {
	t.Helper()
	header, _, _ := bytes.Cut(data, []byte("\n\n"))
	has := bytes.Contains(header, []byte("SQS queue Delays")) &&
		bytes.Contains(header, []byte("SchedulerRole")) &&
		bytes.Contains(header, []byte("EventBridge"))
	none := bytes.Contains(header, []byte("no delay queue"))
	if has != needDelays || none == needDelays {
		t.Errorf("header (delays needed: %v):\n%s", needDelays, header)
	}
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

// yamlInt reads an integer of the parsed YAML.
func yamlInt(t *testing.T, v any) int {
	t.Helper()
	switch n := v.(type) {
	case uint64:
		return int(n)
	case int64:
		return int(n)
	case int:
		return n
	}
	t.Errorf("%v is no integer", v)
	return 0
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
	checkTemplate(t, files["deploy/template.yaml"], all, chainSuccessors(t, def), nil)
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
		map[string][]string{"start": {"task:${vars.region}"}}, nil)
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
