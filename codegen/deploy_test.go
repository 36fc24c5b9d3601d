package codegen

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/jointlambda/jlgen/config"
	"github.com/jointlambda/jlgen/internal/grants"
	"github.com/jointlambda/jlgen/ir"
	jlparser "github.com/jointlambda/jlgen/parser"
	jlrt "github.com/jointlambda/jlgen/runtime"
	jlcloud "github.com/jointlambda/jlgen/shim/cloud"
)

// deployCase is a workflow, where its states run, what each unit may
// invoke, and what it may invoke with a delay (a Wait's resume unit, or
// itself when its state retries), by unit name, whatever the cloud of the
// successor; and the existing Lambda functions each Task unit calls, as
// roleGrants names them.
type deployCase struct {
	name   string
	def    []byte
	places map[string][]string
	succ   map[string][]string
	delays map[string][]string
	calls  map[string][]string
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
			delays: map[string][]string{"join:Enrich": {"join:Enrich"}},
			// GetCustomer calls DynamoDB, which shim/aws does not call.
			calls: map[string][]string{"task:CheckStock": {
				"arn:aws:lambda:us-east-1:123456789012:function:stock"}}},
		{name: "task-retry-catch", def: read("task-retry-catch"),
			succ:   map[string][]string{"start": {"task:Charge"}, "task:Charge": {"task:Charge"}},
			delays: map[string][]string{"task:Charge": {"task:Charge"}},
			calls: map[string][]string{"task:Charge": {
				"arn:aws:lambda:us-east-1:123456789012:function:charge"}}},
		{name: "map-itemprocessor-inline", def: read("map-itemprocessor-inline"),
			places: map[string][]string{"Price": {"aliyun"}},
			succ: map[string][]string{
				"start":           {"item:PriceLines", "join:PriceLines"},
				"item:PriceLines": {"task:Price"},
				"task:Price":      {"join:PriceLines"},
				"join:PriceLines": {"join:PriceLines"},
			},
			delays: map[string][]string{"join:PriceLines": {"join:PriceLines"}},
			calls:  map[string][]string{"task:Price": {"sub:" + samFnARNPrefix + "price"}}},
		// B, on Alibaba, delays resume:W, on AWS: the relay and the
		// scheduler role serve it, but no function on AWS delays.
		{name: "linear-chain", def: []byte(linearChain),
			places: map[string][]string{"B": {"aliyun"}, "C": {"aws", "aliyun"}},
			succ:   chainSuccessors(t, []byte(linearChain)),
			delays: map[string][]string{"task:B": {"resume:W"}},
			calls:  resourceCalls(t, []byte(linearChain))},
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
				"task:Notify": {"task:Notify"}},
			calls: resourceCalls(t, []byte(waitAndRetry))},
		{name: "no-delays", def: []byte(noDelays),
			succ: map[string][]string{
				"start":          {"branch:Split:0", "branch:Split:1"},
				"branch:Split:0": {"task:L"},
				"task:L":         {"task:L", "join:Split"},
				"branch:Split:1": {"join:Split"},
				"join:Split":     {"item:Each", "join:Each"},
				"item:Each":      {"task:P"},
				"task:P":         {"join:Each"},
			},
			calls: resourceCalls(t, []byte(noDelays))},
	}
}

// resourceCalls gives each Task unit of def whose resource is a Lambda
// function's ARN that ARN, the function its role must let it call.
func resourceCalls(t *testing.T, def []byte) map[string][]string {
	calls := map[string][]string{}
	for _, u := range ir.Lower(parse(t, def)) {
		if u.Kind != ir.UnitTask {
			continue
		}
		if r := u.State.Task.Resource; strings.HasPrefix(r, "arn:aws:lambda:") {
			calls[u.Name] = []string{r}
		}
	}
	return calls
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
			cross := crossCase{spans: spans(onAWS, onAliyun)}
			checkTemplate(t, files["deploy/template.yaml"], onAWS, c.succ, c.delays, c.calls,
				cross)
			checkSdevs(t, files["deploy/s.yaml"], onAliyun, cross,
				remoteDelays(onAWS, onAliyun, c.delays))
			if cross.spans {
				checkCrossDefaults(t, files)
			}
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
	Transform  string                    `yaml:"Transform"`
	Parameters map[string]map[string]any `yaml:"Parameters"`
	Globals    map[string]any            `yaml:"Globals"`
	Resources  map[string]samResource    `yaml:"Resources"`
	Outputs    map[string]any            `yaml:"Outputs"`
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
// each unit may invoke, delays what it may invoke with a delay), the
// delay queue, relay and scheduler role exactly when some delay's target
// runs on AWS, and the settings of the cloud "aliyun" exactly when the
// workflow spans both clouds (cross).
func checkTemplate(t *testing.T, data []byte, onAWS map[string]bool,
	succ, delays, calls map[string][]string, cross crossCase) {
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
	table := !cross.awsRedis
	checkResourceTypes(t, doc, fns, needDelays, table)
	checkDelayHeader(t, data, needDelays)
	checkAliyunParameters(t, doc, data, cross)
	for unit, f := range fns {
		checkAliyunEnv(t, unit, f.props, cross)
		if unit == "relay" {
			continue
		}
		var want []string
		for _, s := range succ[unit] {
			if onAWS[s] {
				want = append(want, "lambda:InvokeFunction fn:"+s)
			}
		}
		for _, fn := range calls[unit] {
			want = append(want, "lambda:InvokeFunction "+fn)
		}
		want = append(want, unitGrants(f.logs, table)...)
		checkStoreEnv(t, unit, f.props["Environment"], table, "JLGEN_TABLE")
		if callers[unit] {
			want = append(want, "sqs:SendMessage Delays.Arn",
				"scheduler:CreateSchedule "+samScheduleRes,
				"iam:PassRole SchedulerRole.Arn if "+passToScheduler)
		}
		checkRole(t, doc, f.role, "lambda.amazonaws.com", want, unitOf)
		checkDelayEnv(t, unit, f.props, callers[unit])
		checkRecursiveLoop(t, unit, f.props, callers[unit])
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
func checkResourceTypes(t *testing.T, doc samDoc, fns map[string]samFn,
	needDelays, table bool) {
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
	tables := 0
	if table {
		tables = 1
	}
	if count["AWS::DynamoDB::Table"] != tables || count["AWS::S3::Bucket"] != 1 {
		t.Errorf("%d tables and %d buckets, want %d and 1", count["AWS::DynamoDB::Table"],
			count["AWS::S3::Bucket"], tables)
	}
	if _, ok := doc.Outputs["CheckpointTable"]; ok != table {
		t.Errorf("output CheckpointTable present: %v, want %v", ok, table)
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
	checkRecursiveLoop(t, "relay", relay.props, true)
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
// group, the checkpoint table when there is one (table) and the blobs, as
// much of each as the store and the blob store call (grants, which
// shim/aws's tests check).
func unitGrants(logs string, table bool) []string {
	want := []string{"logs:CreateLogStream " + logs + ".Arn",
		"logs:PutLogEvents " + logs + ".Arn"}
	if table {
		for _, a := range grants.DynamoDB {
			want = append(want, a+" Checkpoints.Arn")
		}
	}
	for _, a := range grants.S3 {
		want = append(want, a+" sub:${Blobs.Arn}/*")
	}
	return want
}

// checkStoreEnv checks that the environment of unit's function, as the
// deployment file writes it (env), names the table in the variables
// names exactly when the workflow's records live in a table.
func checkStoreEnv(t *testing.T, unit string, env any, table bool, names ...string) {
	t.Helper()
	vars, _ := env.(map[string]any)
	if v, ok := vars["Variables"].(map[string]any); ok {
		vars = v // SAM nests them
	}
	for _, name := range names {
		if _, ok := vars[name]; ok != table {
			t.Errorf("unit %q sets %s: %v, want %v", unit, name, ok, table)
		}
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

// checkRecursiveLoop checks that the function of unit lets Lambda run it
// in a recursive loop exactly when it is on the delay queue's round trip
// (loops): a unit that delays, or the relay. Any other keeps Lambda's
// default, which stops a loop.
func checkRecursiveLoop(t *testing.T, unit string, props map[string]any, loops bool) {
	t.Helper()
	got, ok := props["RecursiveLoop"]
	switch {
	case loops && got != "Allow":
		t.Errorf("unit %q is on the delay queue's round trip, and its RecursiveLoop = %v, "+
			"want Allow", unit, got)
	case !loops && ok:
		t.Errorf("unit %q does not delay, and has RecursiveLoop %v", unit, got)
	}
}

// checkRole checks that role id may be assumed by service only, and
// allows exactly want, each "action resource" (see roleGrants).
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
	if d := cmp.Diff(want, roleGrants(t, id, r.Properties, unitOf)); d != "" {
		t.Errorf("role %s allows (-want +got):\n%s", id, d)
	}
}

// roleGrants returns what a role allows, sorted, one "action resource" for
// each pair, with " if " and its condition for a conditional statement.
// A function of the template is "fn:" and its unit, an Fn::Sub "sub:"
// and its text, an Fn::GetAtt "Name.Attr". It fails on a statement that
// is not a plain Allow, and on any wildcard but over the blob bucket's
// objects or the schedules jlgen names.
func roleGrants(t *testing.T, id string, role map[string]any, unitOf map[string]string) []string {
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

// lambdaARN matches the ARN of a function, of one of its versions or
// aliases, or of all of them (":*").
var lambdaARN = regexp.MustCompile(`^arn:aws:lambda:[a-z0-9-]+:[0-9]+:function:[A-Za-z0-9_-]+` +
	`(:[A-Za-z0-9_-]+|:\*)?$`)

// resourceName names a policy's resource for grants.
func resourceName(t *testing.T, r any, unitOf map[string]string) string {
	t.Helper()
	if s, ok := r.(string); ok && lambdaARN.MatchString(s) {
		return s // an existing function a Task state calls
	}
	m, _ := r.(map[string]any)
	if s, ok := m["Fn::Sub"].(string); ok {
		if name, ok := strings.CutPrefix(s, samFnARNPrefix); ok {
			if unit, ok := unitOf[name]; ok {
				return "fn:" + unit
			}
			// An existing function a Task state calls, by name, with its
			// versions and aliases.
			if !lambdaARN.MatchString("arn:aws:lambda:r:123456789012:function:" + name) {
				t.Errorf("resource %q is no function of the template", s)
			}
			return "sub:" + s
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
	header := headerText(data)
	has := bytes.Contains(header, []byte("SQS queue Delays")) &&
		bytes.Contains(header, []byte("SchedulerRole")) &&
		bytes.Contains(header, []byte("EventBridge"))
	none := bytes.Contains(header, []byte("no delay queue"))
	if has != needDelays || none == needDelays {
		t.Errorf("header (delays needed: %v):\n%s", needDelays, header)
	}
}

// headerText returns the header of a generated YAML file, its lines
// joined as the text they wrap, with the "# " of each dropped.
func headerText(data []byte) []byte {
	header, _, _ := bytes.Cut(data, []byte("\n\n"))
	return bytes.ReplaceAll(bytes.TrimPrefix(header, []byte("# ")), []byte("\n# "),
		[]byte(" "))
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

// checkSdevs checks s.yaml: one function per unit on Alibaba, and the
// settings of the cloud "aws" exactly when the workflow spans both clouds
// (cross), with its delay routes for the units of remote, those that
// delay a unit on AWS.
func checkSdevs(t *testing.T, data []byte, onAliyun map[string]bool, cross crossCase,
	remote map[string]bool) {
	t.Helper()
	checkHeader(t, "s.yaml", data)
	var doc struct {
		Edition   string
		Vars      map[string]any
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
		unit, _ := lookup(r.Props, "environmentVariables", "JLGEN_UNIT").(string)
		got = append(got, unit)
		// Function Compute gives a function credentials only through its
		// role: every function names the one of vars.role.
		if r.Props["role"] != "${vars.role}" {
			t.Errorf("unit %q has role %v, want ${vars.role}", unit, r.Props["role"])
		}
		checkAWSEnv(t, unit, r.Props, doc.Vars, cross, remote[unit])
		checkStoreEnv(t, unit, r.Props["environmentVariables"], !cross.aliyunRedis,
			"JLGEN_TABLESTORE_INSTANCE", "JLGEN_TABLESTORE_TABLE")
	}
	if role, _ := doc.Vars["role"].(string); !strings.HasPrefix(role, "acs:ram::") ||
		!bytes.Contains(headerText(data), []byte("Set vars.role to the ARN of a RAM role")) {
		t.Errorf("vars.role = %q, and the header does not say what to set it to", role)
	}
	if _, ok := doc.Vars["tablestore"]; ok == cross.aliyunRedis {
		t.Errorf("vars.tablestore present: %v, with the records in redis: %v", ok,
			cross.aliyunRedis)
	}
	checkAWSVars(t, doc.Vars, data, cross, len(remote) > 0)
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
	both := crossCase{spans: true}
	checkTemplate(t, files["deploy/template.yaml"], all, chainSuccessors(t, def), nil,
		resourceCalls(t, def), both)
	checkSdevs(t, files["deploy/s.yaml"], all, both, nil)
}

// TestDeployExpansion rejects a unit name that Serverless Devs would
// expand, and keeps it verbatim in the SAM template, which does not.
func TestDeployExpansion(t *testing.T) {
	wf := parse(t, []byte(`{"StartAt": "${vars.region}", "States": {"${vars.region}":
		{"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:a", "End": true}}}`))
	files := generateDeploy(t, wf, nil)
	checkTemplate(t, files["deploy/template.yaml"],
		map[string]bool{"start": true, "task:${vars.region}": true},
		map[string][]string{"start": {"task:${vars.region}"}}, nil,
		map[string][]string{"task:${vars.region}": {"arn:aws:lambda:us-east-1:1:function:a"}},
		crossCase{})
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

// crossCase says what the deployment files must tell each cloud of the
// other: nothing unless the workflow spans both clouds, and an address
// instead of a table for a cloud whose store is redis.
type crossCase struct {
	spans                 bool
	aliyunRedis, awsRedis bool
}

// spans reports whether some unit runs on AWS and some on Alibaba.
func spans(onAWS, onAliyun map[string]bool) bool {
	var aws, aliyun bool
	for u := range onAWS {
		aws = aws || onAWS[u]
	}
	for u := range onAliyun {
		aliyun = aliyun || onAliyun[u]
	}
	return aws && aliyun
}

// remoteDelays returns the units on Alibaba that delay a unit on AWS.
func remoteDelays(onAWS, onAliyun map[string]bool, delays map[string][]string) map[string]bool {
	out := map[string]bool{}
	for caller, targets := range delays {
		for _, u := range targets {
			if onAliyun[caller] && onAWS[u] {
				out[caller] = true
			}
		}
	}
	return out
}

// aliyunVariable tells the variables through which a function learns of
// Alibaba Cloud.
func aliyunVariable(name string) bool {
	return strings.HasPrefix(name, "ALIBABA_") || strings.HasPrefix(name, "FC_") ||
		strings.HasPrefix(name, "JLGEN_ALIYUN_")
}

// awsVariable tells the variables through which a function on Alibaba
// learns of AWS.
func awsVariable(name string) bool {
	return strings.HasPrefix(name, "AWS_") || strings.HasPrefix(name, "JLGEN_AWS_") ||
		slices.Contains([]string{"JLGEN_DELAY_QUEUE", "JLGEN_SCHEDULER_ROLE",
			"JLGEN_FUNCTION_ARN_PREFIX"}, name)
}

func refTo(name string) map[string]any { return map[string]any{"Ref": name} }

// wantAliyunEnv is what a function of the template must be told of
// Alibaba Cloud: a unit's function everything it reaches there with, the
// relay only what its bootstrap needs to build the cloud.
func wantAliyunEnv(unit string, cross crossCase) map[string]any {
	env := map[string]any{}
	if !cross.spans {
		return env
	}
	env["FC_ACCOUNT_ID"] = refTo("AliyunAccountId")
	env["FC_REGION"] = refTo("AliyunRegion")
	if unit == "relay" {
		return env
	}
	env["ALIBABA_CLOUD_ACCESS_KEY_ID"] = refTo("AliyunAccessKeyId")
	env["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = refTo("AliyunAccessKeySecret")
	env["JLGEN_ALIYUN_FUNCTION_PREFIX"] = refTo("AliyunPrefix")
	env["JLGEN_ALIYUN_BLOBS_BUCKET"] = refTo("AliyunOssBucket")
	if cross.aliyunRedis {
		env["JLGEN_ALIYUN_STORE_ADDRESS"] = refTo("AliyunRedisAddress")
		return env
	}
	env["JLGEN_ALIYUN_STORE_ENDPOINT"] = map[string]any{
		"Fn::Sub": "https://${AliyunTableStoreInstance}.${AliyunRegion}.ots.aliyuncs.com"}
	env["JLGEN_ALIYUN_STORE_INSTANCE"] = refTo("AliyunTableStoreInstance")
	env["JLGEN_ALIYUN_STORE_TABLE"] = refTo("AliyunTableStoreTable")
	return env
}

// checkAliyunEnv checks that a function of the template has exactly the
// Alibaba variables it needs.
func checkAliyunEnv(t *testing.T, unit string, props map[string]any, cross crossCase) {
	t.Helper()
	env, _ := lookup(props, "Environment", "Variables").(map[string]any)
	got := map[string]any{}
	for name, v := range env {
		if aliyunVariable(name) {
			got[name] = v
		}
	}
	if d := cmp.Diff(wantAliyunEnv(unit, cross), got); d != "" {
		t.Errorf("function of %q: Alibaba variables (-want +got):\n%s", unit, d)
	}
}

// checkAliyunParameters checks the template's parameters: the Aliyun ones
// exactly when the workflow spans both clouds, the AccessKey NoEcho and
// without a default; and that the header explains them.
func checkAliyunParameters(t *testing.T, doc samDoc, data []byte, cross crossCase) {
	t.Helper()
	want := map[string]bool{"NamePrefix": false} // name -> NoEcho
	if cross.spans {
		for _, p := range []string{"AliyunAccountId", "AliyunRegion", "AliyunPrefix",
			"AliyunOssBucket"} {
			want[p] = false
		}
		want["AliyunAccessKeyId"], want["AliyunAccessKeySecret"] = true, true
		if cross.aliyunRedis {
			want["AliyunRedisAddress"] = false
		} else {
			want["AliyunTableStoreInstance"], want["AliyunTableStoreTable"] = false, false
		}
	}
	got := map[string]bool{}
	for name, p := range doc.Parameters {
		got[name], _ = p["NoEcho"].(bool)
		if p["Type"] != "String" {
			t.Errorf("parameter %s: Type %v", name, p["Type"])
		}
		if _, ok := p["Default"]; ok && got[name] {
			t.Errorf("parameter %s is secret, and has a default", name)
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("parameters, name: NoEcho (-want +got):\n%s", d)
	}
	header := headerText(data)
	told := bytes.Contains(header, []byte("Aliyun* parameters")) &&
		bytes.Contains(header, []byte("secret store"))
	if told != cross.spans {
		t.Errorf("header (spans both clouds: %v):\n%s", cross.spans, header)
	}
}

// wantAWSEnv is what a function of s.yaml must be told of AWS; delays
// tells whether it delays a unit there.
func wantAWSEnv(cross crossCase, delays bool) map[string]any {
	env := map[string]any{}
	if !cross.spans {
		return env
	}
	env["AWS_REGION"] = "${vars.aws.region}"
	env["AWS_ACCESS_KEY_ID"] = "${env('AWS_ACCESS_KEY_ID')}"
	env["AWS_SECRET_ACCESS_KEY"] = "${env('AWS_SECRET_ACCESS_KEY')}"
	env["JLGEN_AWS_FUNCTION_PREFIX"] = "${vars.aws.prefix}"
	env["JLGEN_AWS_BLOBS_BUCKET"] = "${vars.aws.bucket}"
	if cross.awsRedis {
		env["JLGEN_AWS_STORE_ADDRESS"] = "${vars.aws.storeAddress}"
	} else {
		env["JLGEN_AWS_STORE_TABLE"] = "${vars.aws.table}"
	}
	if delays {
		env["JLGEN_DELAY_QUEUE"] = "${vars.aws.delayQueue}"
		env["JLGEN_SCHEDULER_ROLE"] = "${vars.aws.schedulerRole}"
		env["JLGEN_FUNCTION_ARN_PREFIX"] = "${vars.aws.functionArnPrefix}"
	}
	return env
}

// varRef matches a reference to s.yaml's vars.
var varRef = regexp.MustCompile(`\$\{vars\.([A-Za-z0-9.]+)\}`)

// checkAWSEnv checks that a function of s.yaml has exactly the AWS
// variables it needs, and that every vars it names is set.
func checkAWSEnv(t *testing.T, unit string, props, vars map[string]any, cross crossCase,
	delays bool) {
	t.Helper()
	env, _ := props["environmentVariables"].(map[string]any)
	got := map[string]any{}
	for name, v := range env {
		if awsVariable(name) {
			got[name] = v
		}
		s, _ := v.(string)
		for _, m := range varRef.FindAllStringSubmatch(s, -1) {
			if val, _ := lookup(vars, strings.Split(m[1], ".")...).(string); val == "" {
				t.Errorf("function of %q: %s names vars.%s, which is not set", unit, name, m[1])
			}
		}
	}
	if d := cmp.Diff(wantAWSEnv(cross, delays), got); d != "" {
		t.Errorf("function of %q: AWS variables (-want +got):\n%s", unit, d)
	}
}

// checkAWSVars checks vars.aws of s.yaml, and that the header explains it.
func checkAWSVars(t *testing.T, vars map[string]any, data []byte, cross crossCase,
	delays bool) {
	t.Helper()
	var want []string
	if cross.spans {
		want = []string{"bucket", "prefix", "region", "table"}
		if cross.awsRedis {
			want[3] = "storeAddress"
		}
		if delays {
			want = append(want, "delayQueue", "functionArnPrefix", "schedulerRole")
		}
	}
	aws, _ := vars["aws"].(map[string]any)
	var got []string
	for k := range aws {
		got = append(got, k)
	}
	sort.Strings(want)
	sort.Strings(got)
	if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("vars.aws (-want +got):\n%s", d)
	}
	header := headerText(data)
	told := bytes.Contains(header, []byte("vars.aws")) &&
		bytes.Contains(header, []byte("secret store"))
	if told != cross.spans {
		t.Errorf("header (spans both clouds: %v):\n%s", cross.spans, header)
	}
}

// checkCrossDefaults checks that the template's parameters default to the
// names s.yaml's vars default to, and the other way round, so that both
// files deployed as written agree.
func checkCrossDefaults(t *testing.T, files map[string][]byte) {
	t.Helper()
	var tmpl samDoc
	var sdevs struct{ Vars map[string]any }
	if err := yaml.Unmarshal(files["deploy/template.yaml"], &tmpl); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(files["deploy/s.yaml"], &sdevs); err != nil {
		t.Fatal(err)
	}
	for param, path := range map[string]string{
		"AliyunRegion": "region", "AliyunPrefix": "prefix", "AliyunOssBucket": "oss.bucket",
		"AliyunTableStoreInstance": "tablestore.instance",
		"AliyunTableStoreTable":    "tablestore.table", "NamePrefix": "aws.prefix",
	} {
		def := tmpl.Parameters[param]["Default"]
		if v := lookup(sdevs.Vars, strings.Split(path, ".")...); def == nil || def != v {
			t.Errorf("parameter %s defaults to %v, and vars.%s to %v", param, def, path, v)
		}
	}
}

// twoClouds and twoRedis place the linear chain's B on Alibaba and fail
// every state over to the other cloud; twoRedis keeps both clouds'
// records in redis.
const (
	twoClouds = `version: 1
clouds: {aws: {provider: aws}, aliyun: {provider: aliyun}}
placement: {default: aws, states: {B: aliyun}}
failover: [aws, aliyun]
`
	twoRedis = `version: 1
clouds:
  aws: {provider: aws, region: eu-west-1,
    store: {kind: redis, address: "cache.example.com:6379"}}
  aliyun: {provider: aliyun, store: {kind: redis, address: "tair.example.com:6379"}}
placement: {default: aws, states: {B: aliyun}}
failover: [aws, aliyun]
`
)

// generateWithConfig generates the package of wf placed by the config
// text cfg, which it embeds.
func generateWithConfig(t *testing.T, wf *ir.Workflow, cfg string) map[string][]byte {
	t.Helper()
	c, err := config.Parse("jlgen.yaml", []byte(cfg))
	if err != nil {
		t.Fatal(err)
	}
	files, err := Generate(wf, Options{Package: "wf", ImportPath: "example.com/wf",
		Source: "definition.asl.json", Config: cfg, Placement: func(state string) []string {
			_, clouds := c.Placement(state)
			return clouds
		}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		out[f.Path] = f.Data
	}
	return out
}

// TestDeployCrossStores deploys a workflow whose clouds keep their
// records in redis: each cloud's functions are told the other's address,
// from the config, instead of a table.
func TestDeployCrossStores(t *testing.T) {
	def := []byte(linearChain)
	wf := parse(t, def)
	files := generateWithConfig(t, wf, twoRedis)
	all := map[string]bool{}
	for _, u := range ir.Lower(wf) {
		all[u.Name] = true
	}
	cross := crossCase{spans: true, aliyunRedis: true, awsRedis: true}
	delays := map[string][]string{"task:B": {"resume:W"}}
	checkTemplate(t, files["deploy/template.yaml"], all, chainSuccessors(t, def), delays,
		resourceCalls(t, def), cross)
	checkSdevs(t, files["deploy/s.yaml"], all, cross, map[string]bool{"task:B": true})
	var tmpl samDoc
	var sdevs struct{ Vars map[string]any }
	if err := yaml.Unmarshal(files["deploy/template.yaml"], &tmpl); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(files["deploy/s.yaml"], &sdevs); err != nil {
		t.Fatal(err)
	}
	got := []any{tmpl.Parameters["AliyunRedisAddress"]["Default"],
		lookup(sdevs.Vars, "aws", "storeAddress"), lookup(sdevs.Vars, "aws", "region")}
	want := []any{"tair.example.com:6379", "cache.example.com:6379", "eu-west-1"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("settings from the config (-want +got):\n%s", d)
	}
	// Each file's header tells where its own functions keep their records.
	for file, addr := range map[string]string{"deploy/template.yaml": "cache.example.com:6379",
		"deploy/s.yaml": "tair.example.com:6379"} {
		text := strings.ReplaceAll(string(files[file]), "\n# ", " ")
		if !strings.Contains(text, "records in the redis store at "+addr) {
			t.Errorf("%s does not say its records are in the redis store at %s", file, addr)
		}
	}
}

// TestDeployCrossProvider rejects a config that runs the cloud "aliyun"
// on AWS, which s.yaml would deploy on Function Compute.
func TestDeployCrossProvider(t *testing.T) {
	cfg := strings.Replace(twoClouds, "aliyun: {provider: aliyun}", "aliyun: {provider: aws}", 1)
	c, err := config.Parse("jlgen.yaml", []byte(cfg))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Generate(parse(t, []byte(linearChain)), Options{Package: "wf", Config: cfg,
		Placement: func(state string) []string {
			_, clouds := c.Placement(state)
			return clouds
		}})
	if err == nil || !strings.Contains(err.Error(), `runs the cloud "aliyun" on "aws"`) {
		t.Errorf("err = %v, want the cloud deployed on the wrong provider", err)
	}
}

// TestDeployVariablesReadByShim builds each deployed function's backend
// with shim/cloud.New, from the variables its deployment file sets, and
// checks that New reads every one of them: a variable it ignores would
// leave the function pointed at the config's defaults. The AWS SDK reads
// AWS_* from the process's environment, and nothing reads JLGEN_UNIT.
func TestDeployVariablesReadByShim(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_PROFILE", "")
	wf := parse(t, []byte(linearChain))
	for _, cfg := range []string{twoClouds, twoRedis} {
		files := generateWithConfig(t, wf, cfg)
		var tmpl samDoc
		if err := yaml.Unmarshal(files["deploy/template.yaml"], &tmpl); err != nil {
			t.Fatal(err)
		}
		for id, r := range tmpl.Resources {
			if r.Type == "AWS::Serverless::Function" {
				env, _ := lookup(r.Properties, "Environment", "Variables").(map[string]any)
				checkReadByShim(t, "template.yaml "+id, "aws", cfg, env)
			}
		}
		var sdevs struct {
			Resources map[string]struct{ Props map[string]any }
		}
		if err := yaml.Unmarshal(files["deploy/s.yaml"], &sdevs); err != nil {
			t.Fatal(err)
		}
		for id, r := range sdevs.Resources {
			env, _ := r.Props["environmentVariables"].(map[string]any)
			checkReadByShim(t, "s.yaml "+id, "aliyun", cfg, env)
		}
	}
}

// platformVariables are the variables Function Compute sets in every
// function's environment (Lambda's, AWS_*, only the SDK reads).
var platformVariables = map[string]bool{"FC_REGION": true, "FC_ACCOUNT_ID": true,
	"ALIBABA_CLOUD_ACCESS_KEY_ID": true, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": true,
	"ALIBABA_CLOUD_SECURITY_TOKEN": true}

// checkReadByShim builds the backend of a function of cloud with the
// variables env, and checks that it reads them.
func checkReadByShim(t *testing.T, fn, cloud, cfg string, env map[string]any) {
	t.Helper()
	read := map[string]bool{}
	getenv := func(name string) string {
		read[name] = true
		if _, ok := env[name]; ok || cloud == "aliyun" && platformVariables[name] {
			return "v" // set: the value matters to no variable read after another
		}
		return ""
	}
	_, err := jlcloud.New(context.Background(), jlcloud.Function{Cloud: cloud, Prefix: "wf",
		Config: cfg}, getenv)
	if err != nil {
		t.Fatalf("%s: New: %v", fn, err)
	}
	for name := range env {
		switch {
		case name == "JLGEN_UNIT" || strings.HasPrefix(name, "AWS_"):
		case !read[name]:
			t.Errorf("%s: sets %s, which shim/cloud does not read", fn, name)
		}
	}
}

// taskCalls calls existing functions in each form a Task state names
// one: a function ARN, lambda:invoke by name with a Qualifier, by partial
// ARN, by a computed name, in JSONata, with a placeholder, and a Function
// Compute function; and a service that shim/aws does not call.
const taskCalls = `{"StartAt": "Arn", "States": {
 "Arn": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:a:live",
  "Next": "Named"},
 "Named": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
  "Parameters": {"FunctionName": "b", "Qualifier": "v2", "Payload.$": "$"}, "Next": "Partial"},
 "Partial": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
  "Parameters": {"FunctionName": "123456789012:function:c"}, "Next": "Computed"},
 "Computed": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
  "Parameters": {"FunctionName.$": "$.fn"}, "Next": "Ata"},
 "Ata": {"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::lambda:invoke",
  "Arguments": {"FunctionName": "d", "Payload": "{% $states.input %}"}, "Next": "Regional"},
 "Regional": {"Type": "Task",
  "Resource": "arn:aws:lambda:${AWS::Region}:123456789012:function:e", "Next": "Fc"},
 "Fc": {"Type": "Task", "Resource": "acs:fc:cn-hangzhou:123:functions/f", "Next": "Put"},
 "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
  "Parameters": {"TableName": "t"}, "End": true}}}`

// TestDeployTaskCalls checks that each function's role may call the
// existing Lambda function its Task state calls, and no other; that the
// header names the states whose function no role can name; and that each
// file's instructions for the other cloud's credentials cover the
// functions its Task states call there.
func TestDeployTaskCalls(t *testing.T) {
	wf := parse(t, []byte(taskCalls))
	files := generateDeploy(t, wf, func(state string) []string {
		if state == "Fc" || state == "Partial" {
			return []string{"aliyun", "aws"}
		}
		return []string{"aws"}
	})
	all := map[string]bool{}
	for _, u := range ir.Lower(wf) {
		all[u.Name] = true
	}
	calls := map[string][]string{
		"task:Arn":     {"arn:aws:lambda:us-east-1:123456789012:function:a:live"},
		"task:Named":   {"sub:" + samFnARNPrefix + "b", "sub:" + samFnARNPrefix + "b:*"},
		"task:Partial": {"sub:arn:${AWS::Partition}:lambda:${AWS::Region}:123456789012:function:c"},
		"task:Ata":     {"sub:" + samFnARNPrefix + "d"},
	}
	unitOf := map[string]string{}
	for u := range all {
		unitOf["${NamePrefix}-"+jlrt.FunctionID(u)] = u
	}
	var doc samDoc
	if err := yaml.Unmarshal(files["deploy/template.yaml"], &doc); err != nil {
		t.Fatal(err)
	}
	for u, f := range checkFunctions(t, doc, all) {
		id := f.role
		var got []string
		for _, g := range roleGrants(t, id, doc.Resources[id].Properties, unitOf) {
			if name, ok := strings.CutPrefix(g, "lambda:InvokeFunction "); ok &&
				!strings.HasPrefix(name, "fn:") {
				got = append(got, name)
			}
		}
		want := slices.Clone(calls[u])
		sort.Strings(want)
		if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
			t.Errorf("%s may call (-want +got):\n%s", id, d)
		}
	}
	tmpl := string(headerText(files["deploy/template.yaml"]))
	if !strings.Contains(tmpl, `The Task states "Computed" and "Regional" call Lambda `+
		`functions known only at run time`) {
		t.Errorf("template.yaml's header names no state of a computed function:\n%s", tmpl)
	}
	if !strings.Contains(tmpl, "fc:InvokeFunction on those functions and on those the "+
		"Task states call") {
		t.Errorf("template.yaml's header leaves out the FC function of Fc:\n%s", tmpl)
	}
	sdevs := string(headerText(files["deploy/s.yaml"]))
	for _, want := range []string{"lambda:InvokeFunction on the stack's functions and on " +
		"those the Task states call", "fc:InvokeFunction on the workflow's other " +
		"functions and on those the Task states call"} {
		if !strings.Contains(sdevs, want) {
			t.Errorf("s.yaml's header lacks %q:\n%s", want, sdevs)
		}
	}
}
