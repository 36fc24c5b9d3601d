package cloud_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	goredis "github.com/redis/go-redis/v9"

	jcf "github.com/jointlambda/jlgen/golden/jointcloud-failover"
	jlrt "github.com/jointlambda/jlgen/runtime"
	awsshim "github.com/jointlambda/jlgen/shim/aws"
	"github.com/jointlambda/jlgen/shim/cloud"
)

// The golden package the end-to-end test deploys, and what its entrypoints
// were generated with.
const (
	e2ePackage = "github.com/jointlambda/jlgen/golden/jointcloud-failover"
	e2eConfig  = "../../testdata/asl/jointcloud-failover/jlgen.yaml"
	// e2ePrefix is the name prefix jlgen convert gave the package; the
	// redis store keys its records under it.
	e2ePrefix = "jointcloudfa"
	// quoteFunction is the existing Lambda function the Quote state calls.
	quoteFunction = "jlgen-e2e-quote"
)

// e2e is one deployment of the golden jointcloud-failover workflow on the
// servers of this machine: each unit's Lambda binary under the Lambda
// Runtime Interface Emulator behind lambdaFront, each unit's Function
// Compute binary behind fcFront, DynamoDB (dynalite) and S3 (versitygw)
// for the aws cloud, and redis-server for the aliyun cloud.
type e2e struct {
	lambda *lambdaFront
	fc     *fcFront
	env    map[string]string
	table  string
	dynamo *dynamodb.Client
	redis  *goredis.Client
	client *cloud.Backend
	wf     *jlrt.Workflow
}

// services returns the addresses .ci/services.sh exports, skipping the
// test when one is missing.
func services(t *testing.T) map[string]string {
	t.Helper()
	vars := map[string]string{}
	for _, v := range []string{"JLGEN_LAMBDA_RIE", "JLGEN_DYNAMODB_ENDPOINT", "JLGEN_REDIS_ADDR",
		"JLGEN_S3_ENDPOINT", "JLGEN_S3_ACCESS_KEY", "JLGEN_S3_SECRET_KEY"} {
		if vars[v] = os.Getenv(v); vars[v] == "" {
			t.Skipf("%s is not set: .ci/services.sh starts the servers this test needs and "+
				"sets it", v)
		}
	}
	return vars
}

// deploy builds the workflow's binaries and starts one function per unit
// on each cloud, all of them configured through the environment only.
func deploy(t *testing.T) *e2e {
	t.Helper()
	svc := services(t)
	ctx := context.Background()
	dir := t.TempDir()
	build := func(out, pkg string) string {
		bin := filepath.Join(dir, out, "bootstrap")
		cmd := exec.Command("go", "build", "-o", bin, pkg)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, b)
		}
		return bin
	}
	lambdaBin := build("lambda", e2ePackage+"/lambda")
	fcBin := build("fc", e2ePackage+"/fc")
	quoteBin := build("quote", "./testdata/echofn")

	id := randomHex(t, 4)
	e := &e2e{table: "jlgen-e2e-" + id, lambda: newLambdaFront(t), fc: newFCFront(t)}
	bucket := "jlgen-e2e-" + id
	creds := credentials.NewStaticCredentialsProvider(svc["JLGEN_S3_ACCESS_KEY"],
		svc["JLGEN_S3_SECRET_KEY"], "")
	e.dynamo = dynamodb.New(dynamodb.Options{Region: "us-east-1", Credentials: creds,
		BaseEndpoint: aws.String(svc["JLGEN_DYNAMODB_ENDPOINT"])})
	// dynalite has no UpdateTimeToLive: the table is there, without TTL,
	// which the store's reads make up for.
	var api smithy.APIError
	if err := awsshim.CreateTable(ctx, e.dynamo, e.table); err != nil &&
		!(errors.As(err, &api) && api.ErrorCode() == "UnknownOperationException") {
		t.Fatalf("create table: %v", err)
	}
	s3c := s3.New(s3.Options{Region: "us-east-1", Credentials: creds, UsePathStyle: true,
		BaseEndpoint: aws.String(svc["JLGEN_S3_ENDPOINT"])})
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket}); err != nil {
		t.Fatalf("create bucket: %v", err)
	}
	e.redis = goredis.NewClient(&goredis.Options{Addr: svc["JLGEN_REDIS_ADDR"]})
	t.Cleanup(func() { e.redis.Close() })

	e.env = map[string]string{
		"AWS_ACCESS_KEY_ID":               svc["JLGEN_S3_ACCESS_KEY"],
		"AWS_SECRET_ACCESS_KEY":           svc["JLGEN_S3_SECRET_KEY"],
		"AWS_REGION":                      "us-east-1",
		"AWS_ENDPOINT_URL_LAMBDA":         e.lambda.URL(),
		"JLGEN_AWS_STORE_ENDPOINT":        svc["JLGEN_DYNAMODB_ENDPOINT"],
		"JLGEN_AWS_STORE_TABLE":           e.table,
		"JLGEN_AWS_BLOBS_ENDPOINT":        svc["JLGEN_S3_ENDPOINT"],
		"JLGEN_AWS_BLOBS_BUCKET":          bucket,
		"JLGEN_AWS_INVOKER_ENDPOINT":      e.lambda.URL(),
		"JLGEN_ALIYUN_INVOKER_ENDPOINT":   e.fc.URL(),
		"JLGEN_ALIYUN_STORE_ADDRESS":      svc["JLGEN_REDIS_ADDR"],
		"ALIBABA_CLOUD_ACCESS_KEY_ID":     "jlgen",
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "jlgen",
	}
	var env []string
	for k, v := range e.env {
		env = append(env, k+"="+v)
	}
	slices.Sort(env)
	e.lambda.AddFunction(t, quoteFunction, quoteBin, env)
	e.wf = jcf.New(nil)
	var wg sync.WaitGroup
	for _, u := range e.wf.Units {
		name := e2ePrefix + "-" + jlrt.FunctionID(u.Name)
		unitEnv := append(slices.Clip(env), "JLGEN_UNIT="+u.Name)
		wg.Add(2)
		go func() { defer wg.Done(); e.lambda.AddFunction(t, name, lambdaBin, unitEnv) }()
		go func() { defer wg.Done(); e.fc.AddFunction(t, name, fcBin, unitEnv) }()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}

	cfg, err := os.ReadFile(e2eConfig)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range e.env {
		t.Setenv(k, v)
	}
	e.client, err = cloud.New(ctx, cloud.Function{Cloud: "aws", Prefix: e2ePrefix,
		Config: string(cfg)}, func(k string) string { return e.env[k] })
	if err != nil {
		t.Fatalf("the client's backend: %v", err)
	}
	e.wf = jcf.New(jcf.DefaultTasks(e.client.Resources))
	return e
}

// run starts an execution named name and waits for its result.
func (e *e2e) run(t *testing.T, name string, input any) *jlrt.Result {
	t.Helper()
	ctx := context.Background()
	x := cloud.Execution(e.wf, name, time.Now())
	if err := jlrt.Start(ctx, e.client.Platform, e.wf, x, input); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	return e.wait(t, x.ID)
}

// startByLambda starts an execution as a user would: a synchronous
// invocation of the start unit's function with a start request, through
// the Lambda SDK. It returns the execution's id.
func (e *e2e) startByLambda(t *testing.T, name string, input any) string {
	t.Helper()
	payload, _ := json.Marshal(map[string]any{"startExecution": cloud.StartRequest{Name: name,
		Input: mustJSON(t, input)}})
	client := lambda.New(lambda.Options{Region: "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("jlgen", "jlgen", ""),
		BaseEndpoint: aws.String(e.lambda.URL())})
	out, err := client.Invoke(context.Background(), &lambda.InvokeInput{
		FunctionName: aws.String(e2ePrefix + "-" + jlrt.FunctionID(e.wf.Start)),
		Payload:      payload})
	if err != nil || out.FunctionError != nil {
		t.Fatalf("start %s through Lambda: %v %s", name, err, out.Payload)
	}
	var started cloud.Started
	if err := json.Unmarshal(out.Payload, &started); err != nil || started.ExecutionID == "" {
		t.Fatalf("start %s through Lambda answered %s", name, out.Payload)
	}
	return started.ExecutionID
}

// wait waits for the result of execution id.
func (e *e2e) wait(t *testing.T, id string) *jlrt.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	name := id
	for {
		r, ok, err := jlrt.ReadResult(ctx, e.client.Platform, e.wf, id)
		if err != nil {
			t.Fatalf("read the result of %s: %v", name, err)
		}
		if ok {
			return r
		}
		select {
		case <-ctx.Done():
			t.Fatalf("execution %s has no result after 2 minutes; fronts: lambda %v, fc %v",
				name, e.lambda.Stats(), e.fc.Stats())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// records returns the keys of every record execution name left in both
// stores, with the name written as NAME so that executions compare.
func (e *e2e) records(t *testing.T, name string) []string {
	t.Helper()
	ctx := context.Background()
	var keys []string
	p := dynamodb.NewScanPaginator(e.dynamo, &dynamodb.ScanInput{TableName: &e.table})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("scan %s: %v", e.table, err)
		}
		for _, item := range page.Items {
			var k string
			if err := jsonAttr(item["k"], &k); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(k, ":"+name+"/") || strings.HasSuffix(k, ":"+name) {
				keys = append(keys, "dynamodb "+strings.ReplaceAll(k, name, "NAME"))
			}
		}
	}
	iter := e.redis.Scan(ctx, 0, e2ePrefix+":*"+name+"*", 1000).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, "redis "+strings.ReplaceAll(iter.Val(), name, "NAME"))
	}
	if err := iter.Err(); err != nil {
		t.Fatalf("scan redis: %v", err)
	}
	slices.Sort(keys)
	return keys
}

// TestEndToEnd deploys the jointcloud-failover workflow and runs it: its
// functions invoke each other through the Lambda and Function Compute
// SDKs, keep their records in DynamoDB and Redis and their large inputs
// in S3. Then the aws cloud's invoke endpoint goes down for a window:
// executions started in it finish on the aliyun replicas with the same
// outputs and the same records, none of them written twice.
func TestEndToEnd(t *testing.T) {
	e := deploy(t)
	// The note makes the envelopes larger than the aws cloud's inline
	// limit of 2 KB, so that they travel through S3.
	note := strings.Repeat("line,", 600)
	input := map[string]any{"order": 7, "items": []any{1, 2, 3}, "note": note}
	want := `{"doubled":[{"v":2},{"v":4},{"v":6}],"fan":[{"total":107},{"tier":"gold"}],` +
		`"noteLength":600,"order":7,"quote":{"order":7}}`

	base := "e2e-" + randomHex(t, 4)
	began := time.Now()
	r := e.run(t, base+"-calm", input)
	calmTook := time.Since(began)
	if r.Status != "SUCCEEDED" || canonical(t, r.Output) != want {
		t.Fatalf("calm execution = %s %s %s %s, want SUCCEEDED %s", r.Status, r.Output, r.Error,
			r.Cause, want)
	}
	calm := e.records(t, base+"-calm")
	if len(calm) == 0 {
		t.Fatal("the calm execution left no records")
	}
	// A user starts an execution by invoking the start unit's function.
	id := e.startByLambda(t, base+"-user", input)
	if r := e.wait(t, id); r.Status != "SUCCEEDED" || canonical(t, r.Output) != want {
		t.Fatalf("execution started through Lambda = %s %s %s %s, want SUCCEEDED %s",
			r.Status, r.Output, r.Error, r.Cause, want)
	}
	if got := e.records(t, base+"-user"); !slices.Equal(got, calm) {
		t.Errorf("the execution started through Lambda left records\n%s\nwant\n%s",
			strings.Join(got, "\n"), strings.Join(calm, "\n"))
	}
	lambdaCalm, fcCalm := e.lambda.Stats(), e.fc.Stats()
	for name, s := range fcCalm {
		// Only the Tag branch is placed on aliyun.
		if s.Executions > 0 && name != e2ePrefix+"-"+jlrt.FunctionID("branch:Fan:1") {
			t.Errorf("calm: %s ran %d times on aliyun, though placed on aws", name, s.Executions)
		}
	}

	// The outage: aws refuses every invocation for a window that covers
	// the starts and the first steps of three executions.
	e.lambda.SetDown(true)
	names := []string{base + "-storm-0", base + "-storm-1", base + "-storm-2"}
	results := make([]*jlrt.Result, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		go func() { defer wg.Done(); results[i] = e.run(t, name, input) }()
	}
	time.Sleep(1500 * time.Millisecond)
	e.lambda.SetDown(false)
	wg.Wait()
	for i, r := range results {
		if r == nil {
			t.FailNow()
		}
		if r.Status != "SUCCEEDED" || canonical(t, r.Output) != want {
			t.Errorf("%s = %s %s %s %s, want SUCCEEDED %s", names[i], r.Status, r.Output,
				r.Error, r.Cause, want)
		}
		if got := e.records(t, names[i]); !slices.Equal(got, calm) {
			t.Errorf("%s left records\n%s\nwant the calm execution's\n%s", names[i],
				strings.Join(got, "\n"), strings.Join(calm, "\n"))
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := idleFronts(ctx, e.lambda, e.fc); err != nil {
		t.Fatal(err)
	}
	var refused, failedOver, dropped int
	for name, s := range e.lambda.Stats() {
		refused += s.Refused
		dropped += s.Dropped
		_ = name
	}
	for name, s := range e.fc.Stats() {
		failedOver += s.Executions - fcCalm[name].Executions
		dropped += s.Dropped
	}
	failedOver -= len(names) // each execution's Tag branch runs on aliyun anyway
	if refused == 0 || failedOver <= 0 {
		t.Errorf("aws refused %d invocations and aliyun ran %d units placed on aws: the "+
			"outage did not fail over", refused, failedOver)
	}
	if dropped > 0 {
		t.Errorf("%d invocations failed on every delivery", dropped)
	}
	var calmRuns int
	for _, s := range lambdaCalm {
		calmRuns += s.Executions
	}
	t.Logf("end to end: 2 calm executions, one started through Lambda (%d Lambda deliveries, "+
		"%d records each, the first in %v with its 1 s Wait), %d executions "+
		"through an outage of aws (%d invocations refused, %d units failed over to aliyun), "+
		"same outputs and records", calmRuns, len(calm), calmTook.Round(time.Millisecond), len(names),
		refused, failedOver)
}

// canonical re-encodes a JSON document with sorted keys.
func canonical(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var v any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func mustJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func randomHex(t *testing.T, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// jsonAttr reads a string attribute of a DynamoDB item.
func jsonAttr(av types.AttributeValue, s *string) error {
	if v, ok := av.(*types.AttributeValueMemberS); ok {
		*s = v.Value
		return nil
	}
	return fmt.Errorf("attribute %v is not a string", av)
}
