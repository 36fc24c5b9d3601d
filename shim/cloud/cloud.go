// Package cloud runs a generated workflow's functions on the real clouds:
// on AWS Lambda, as the handler of a provided.al2023 function, and on
// Alibaba Function Compute, as a custom-runtime HTTP server. The generated
// lambda/main.go and fc/main.go call Main; everything else a function
// needs it builds from the jlgen.yaml the workflow was converted with and
// from the environment.
//
// Every function sees every cloud of the config: a unit's records live in
// the store of the cloud it is placed on, whichever cloud runs it, and a
// function invokes its successors on their clouds, falling over to the
// next cloud of the failover order when one refuses with an error that
// its shim classifies as retryable (shim/aws.Retryable,
// shim/aliyun.Retryable).
//
// # Configuration
//
// Credentials and regions come from each cloud's standard chain: for AWS
// the SDK's (AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN, shared config files, the Lambda execution role), and
// for Alibaba the variables ALIBABA_CLOUD_ACCESS_KEY_ID,
// ALIBABA_CLOUD_ACCESS_KEY_SECRET and ALIBABA_CLOUD_SECURITY_TOKEN, which
// Function Compute sets for a function with a role, with FC_REGION and
// FC_ACCOUNT_ID naming the Function Compute endpoint.
//
// jlgen.yaml overrides endpoints, regions, tables and buckets; the
// environment overrides jlgen.yaml, cloud by cloud. For the cloud named N
// (upper-cased, with hyphens as underscores), these variables apply:
//
//	JLGEN_N_REGION            the cloud's region
//	JLGEN_N_STORE_ENDPOINT    the DynamoDB or TableStore endpoint
//	JLGEN_N_STORE_TABLE       the DynamoDB or TableStore table
//	JLGEN_N_STORE_INSTANCE    the TableStore instance
//	JLGEN_N_STORE_ADDRESS     the host:port of a redis store
//	JLGEN_N_BLOBS_ENDPOINT    the S3 or OSS endpoint (S3 then uses path-style addresses)
//	JLGEN_N_BLOBS_BUCKET      the S3 or OSS bucket
//	JLGEN_N_INVOKER_ENDPOINT  the Lambda or Function Compute endpoint
//	JLGEN_N_FUNCTION_PREFIX   the prefix of the cloud's function names
//	JLGEN_N_FC_SERVICE        an aliyun cloud's FC 2.0 service: its units are
//	                          then invoked as services/S/functions/F
//
// The function's own cloud also reads the variables its deployment file
// sets: JLGEN_TABLE, JLGEN_BUCKET and JLGEN_FUNCTION_PREFIX from the SAM
// template; JLGEN_TABLESTORE_INSTANCE, JLGEN_TABLESTORE_TABLE,
// JLGEN_OSS_BUCKET and JLGEN_FUNCTION_PREFIX from s.yaml. On AWS the delay
// routes of shim/aws.LambdaInvoker read JLGEN_DELAY_QUEUE (the SQS delay
// queue's URL), JLGEN_SCHEDULER_ROLE (the role EventBridge Scheduler
// assumes) and JLGEN_FUNCTION_ARN_PREFIX (the ARN of a function, less its
// name). JLGEN_LOG=history writes each function's execution history to
// standard error as JSON lines.
//
// On Function Compute the custom runtime listens on the port of
// FC_CUSTOM_LISTEN_PORT (FC 3.0), else FC_SERVER_PORT, else 9000, on
// every interface unless JLGEN_FC_LISTEN_HOST names one (the tests keep
// it to 127.0.0.1).
package cloud

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/jointlambda/jlgen/config"
	jlrt "github.com/jointlambda/jlgen/runtime"
	awsshim "github.com/jointlambda/jlgen/shim/aws"
)

// Function describes the binary a generated entrypoint builds.
type Function struct {
	// Cloud is the name of the cloud the binary runs on, as the config
	// names it: "aws" for lambda/main.go, "aliyun" for fc/main.go.
	Cloud string
	// Prefix is the default prefix of the deployed functions' names.
	Prefix string
	// Config is the jlgen.yaml the workflow was converted with; empty
	// means the default config.
	Config string
}

// Main runs the function fn of the workflow that build returns, given the
// caller of existing resources its Task states use. On a cloud whose
// provider is aws it starts the Lambda handler; on aliyun it serves
// Function Compute's custom runtime (see the package doc for its
// address). It exits the process when the platform cannot be set up.
func Main(fn Function, build func(jlrt.Resources) *jlrt.Workflow) {
	ctx := context.Background()
	b, err := New(ctx, fn, os.Getenv)
	if err != nil {
		log.Fatalf("jlgen: %v", err)
	}
	wf := build(b.Resources)
	switch b.provider {
	case config.ProviderAWS:
		lambda.StartWithOptions(b.LambdaHandler(wf), lambda.WithContext(ctx))
	case config.ProviderAliyun:
		port := cmpOr(os.Getenv("FC_CUSTOM_LISTEN_PORT"),
			cmpOr(os.Getenv("FC_SERVER_PORT"), "9000"))
		addr := net.JoinHostPort(os.Getenv("JLGEN_FC_LISTEN_HOST"), port)
		log.Fatal(http.ListenAndServe(addr, b.FCHandler(wf)))
	default:
		log.Fatalf("jlgen: cloud %q runs on %q, which has no entrypoint", fn.Cloud, b.provider)
	}
}

// Backend is a function's view of every cloud: the platform the runtime
// runs on and the caller of existing resources.
type Backend struct {
	// Platform holds every cloud of the config, with its real store, blob
	// store and invoker.
	Platform *jlrt.Platform
	// Resources calls existing Lambda functions and Function Compute
	// functions for Task states, whichever cloud runs the state.
	Resources jlrt.Resources

	cloud    string
	provider config.Provider
	lambda   *awsshim.LambdaInvoker
}

// New builds the backend of function fn from its config and getenv.
func New(ctx context.Context, fn Function, getenv func(string) string) (*Backend, error) {
	cfg := config.Default()
	if fn.Config != "" {
		var err error
		if cfg, err = config.Parse("jlgen.yaml", []byte(fn.Config)); err != nil {
			return nil, err
		}
	}
	if cfg.Clouds[fn.Cloud] == nil {
		// A workflow placed elsewhere can still have replicas here: the
		// cloud gets its provider's defaults.
		cl := &config.Cloud{Provider: config.Provider(fn.Cloud)}
		cfg.Clouds[fn.Cloud] = cl
		if err := fillCloud(cl); err != nil {
			return nil, err
		}
	}
	b := &Backend{cloud: fn.Cloud, provider: cfg.Clouds[fn.Cloud].Provider}
	b.Platform = &jlrt.Platform{Clouds: map[string]*jlrt.Cloud{}, Now: time.Now,
		TTL: cfg.CheckpointTTL}
	if getenv("JLGEN_LOG") == "history" {
		b.Platform.Log = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	var aws *awsClients
	var ali *aliyunClients
	for name, cl := range cfg.Clouds {
		s := settingsOf(name, cl, fn, getenv)
		var c *jlrt.Cloud
		var err error
		switch cl.Provider {
		case config.ProviderAWS:
			if aws == nil {
				if aws, err = newAWSClients(ctx, getenv); err != nil {
					return nil, err
				}
			}
			var inv *awsshim.LambdaInvoker
			c, inv, err = aws.cloud(ctx, s)
			if name == fn.Cloud {
				b.lambda = inv
			}
		case config.ProviderAliyun:
			if ali == nil {
				ali = newAliyunClients(getenv)
			}
			c, err = ali.cloud(s)
		default:
			err = fmt.Errorf("provider %q has no backend outside jlgen run", cl.Provider)
		}
		switch {
		case err != nil && name == fn.Cloud:
			return nil, fmt.Errorf("cloud %s: %w", name, err)
		case err != nil:
			// Another cloud this function cannot reach as configured: it
			// may never need it, so the error waits for the first use.
			c = misconfigured(name, err)
		}
		b.Platform.Clouds[name] = c
	}
	b.Resources = router(ctx, getenv, aws, ali)
	return b, nil
}

// LambdaHandler returns the Lambda handler of wf's units: an envelope
// runs its unit; an SQS event from the delay queue is relayed to the
// functions it names; a start request starts an execution, and a describe
// request tells how one stands.
func (b *Backend) LambdaHandler(wf *jlrt.Workflow) func(context.Context,
	json.RawMessage) (any, error) {
	return func(ctx context.Context, raw json.RawMessage) (any, error) {
		switch kind, err := eventKind(raw); {
		case err != nil:
			return nil, err
		case kind == kindSQS:
			if b.lambda == nil {
				return nil, errors.New("an SQS event reached a function with no Lambda invoker")
			}
			var ev events.SQSEvent
			if err := json.Unmarshal(raw, &ev); err != nil {
				return nil, fmt.Errorf("decode SQS event: %w", err)
			}
			return awsshim.Relay(ctx, b.lambda, ev)
		case kind == kindStart:
			return b.start(ctx, wf, raw)
		case kind == kindDescribe:
			return b.describe(ctx, wf, raw)
		}
		return nil, jlrt.Dispatch(ctx, b.Platform, wf, b.cloud, raw)
	}
}

// FCHandler returns the Function Compute custom-runtime handler of wf's
// units: POST /invoke carries one event, an envelope, a start request or
// a describe request;
// POST /initialize is the initializer, which has nothing to do.
//
// It answers as the custom runtime's contract asks: status 200 and
// x-fc-status 200 for a success, 404 and x-fc-status 404 for a failure,
// with the error as the body. Function Compute takes an answer without
// x-fc-status for a success, so a failed unit that left it out would not
// be retried; with it, Function Compute retries the asynchronous
// invocation as the function's async configuration says. Each invocation
// is framed on standard output by the "FC Invoke Start RequestId:" and
// "FC Invoke End RequestId:" lines by which Function Compute collects its
// logs.
func (b *Backend) FCHandler(wf *jlrt.Workflow) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /initialize", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(fcStatusHeader, "200")
		w.WriteHeader(http.StatusOK)
	})
	mux.HandleFunc("POST /invoke", func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("x-fc-request-id")
		fmt.Printf("FC Invoke Start RequestId: %s\n", id)
		defer fmt.Printf("FC Invoke End RequestId: %s\n", id)
		out, err := b.fcInvoke(r, wf)
		if err != nil {
			log.Printf("jlgen: %s: %v", id, err)
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set(fcStatusHeader, "404")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprintln(w, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set(fcStatusHeader, "200")
		json.NewEncoder(w).Encode(out)
	})
	return mux
}

// fcStatusHeader is the header by which a custom runtime tells Function
// Compute whether an invocation succeeded (200) or failed (404).
const fcStatusHeader = "x-fc-status"

// fcInvoke handles the event of one POST /invoke and returns the answer
// of a start or describe request, or nil for an envelope.
func (b *Backend) fcInvoke(r *http.Request, wf *jlrt.Workflow) (any, error) {
	raw, err := readBody(r)
	if err != nil {
		return nil, err
	}
	kind, err := eventKind(raw)
	switch {
	case err != nil:
		return nil, err
	case kind == kindStart:
		return b.start(r.Context(), wf, raw)
	case kind == kindDescribe:
		return b.describe(r.Context(), wf, raw)
	case kind == kindSQS:
		return nil, errors.New("an SQS event reached a Function Compute function")
	}
	return nil, jlrt.Dispatch(r.Context(), b.Platform, wf, b.cloud, raw)
}

// settings is one cloud's configuration after the environment's
// overrides.
type settings struct {
	name   string
	cloud  *config.Cloud
	region string
	// prefix names the cloud's functions: prefix-FunctionID(unit).
	prefix string
	// fcService, when set, makes an aliyun cloud's invoker FC 2.0's.
	fcService string
	// keyPrefix starts the keys of a redis store: the workflow's default
	// prefix, the same in every function whatever its deployment names.
	keyPrefix string
	getenv    func(string) string
}

// settingsOf applies the environment's overrides to cloud name of the
// config; own reports whether it is the function's own cloud.
func settingsOf(name string, cl *config.Cloud, fn Function,
	getenv func(string) string) settings {
	c := *cl
	env := func(key string) string {
		return getenv("JLGEN_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_")) + "_" + key)
	}
	s := settings{name: name, cloud: &c, region: cmpOr(env("REGION"), cl.Region),
		prefix: cmpOr(env("FUNCTION_PREFIX"), fn.Prefix), fcService: env("FC_SERVICE"),
		keyPrefix: fn.Prefix, getenv: getenv}
	if name == fn.Cloud {
		s.prefix = cmpOr(getenv("JLGEN_FUNCTION_PREFIX"), s.prefix)
		switch cl.Provider {
		case config.ProviderAWS:
			c.Store.Table = cmpOr(getenv("JLGEN_TABLE"), c.Store.Table)
			c.Blobs.Bucket = cmpOr(getenv("JLGEN_BUCKET"), c.Blobs.Bucket)
		case config.ProviderAliyun:
			c.Store.Instance = cmpOr(getenv("JLGEN_TABLESTORE_INSTANCE"), c.Store.Instance)
			c.Store.Table = cmpOr(getenv("JLGEN_TABLESTORE_TABLE"), c.Store.Table)
			c.Blobs.Bucket = cmpOr(getenv("JLGEN_OSS_BUCKET"), c.Blobs.Bucket)
		}
	}
	c.Store.Endpoint = cmpOr(env("STORE_ENDPOINT"), c.Store.Endpoint)
	c.Store.Table = cmpOr(env("STORE_TABLE"), c.Store.Table)
	c.Store.Instance = cmpOr(env("STORE_INSTANCE"), c.Store.Instance)
	c.Store.Address = cmpOr(env("STORE_ADDRESS"), c.Store.Address)
	c.Blobs.Endpoint = cmpOr(env("BLOBS_ENDPOINT"), c.Blobs.Endpoint)
	c.Blobs.Bucket = cmpOr(env("BLOBS_BUCKET"), c.Blobs.Bucket)
	c.Invoker.Endpoint = cmpOr(env("INVOKER_ENDPOINT"), c.Invoker.Endpoint)
	return s
}

// functionName returns the mapping from a unit to its function's name.
func (s settings) functionName() func(unit string) string {
	return func(unit string) string { return s.prefix + "-" + jlrt.FunctionID(unit) }
}

// fillCloud fills in the defaults of a cloud the config does not name,
// by parsing a config that names it.
func fillCloud(cl *config.Cloud) error {
	doc := fmt.Sprintf("version: 1\nclouds:\n  c:\n    provider: %s\nplacement:\n  default: c\n",
		cl.Provider)
	cfg, err := config.Parse("jlgen.yaml", []byte(doc))
	if err != nil {
		return err
	}
	*cl = *cfg.Clouds["c"]
	return nil
}

// The kinds of event a function receives.
const (
	kindEnvelope = iota
	kindSQS
	kindStart
	kindDescribe
)

// eventKind tells an envelope from an SQS event, a start request and a
// describe request.
func eventKind(raw json.RawMessage) (int, error) {
	var probe struct {
		Records []struct {
			EventSource string `json:"eventSource"`
		} `json:"Records"`
		Start    *json.RawMessage `json:"startExecution"`
		Describe *json.RawMessage `json:"describeExecution"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return 0, fmt.Errorf("decode event: %w", err)
	}
	switch {
	case len(probe.Records) > 0 && probe.Records[0].EventSource == "aws:sqs":
		return kindSQS, nil
	case probe.Start != nil:
		return kindStart, nil
	case probe.Describe != nil:
		return kindDescribe, nil
	}
	return kindEnvelope, nil
}

// StartRequest is the event that starts an execution, sent to the start
// unit's function: {"startExecution": {"name": "order-42", "input": {...}}}.
type StartRequest struct {
	Name  string          `json:"name"`
	Input json.RawMessage `json:"input,omitempty"`
}

// Started is the answer to a start request: the execution's id, under
// which its result record is written when it ends.
type Started struct {
	ExecutionID string `json:"executionId"`
}

// start starts the execution a start request asks for. Starting the same
// name twice starts it once: the second start's invocations are absorbed
// by the first's checkpoints.
func (b *Backend) start(ctx context.Context, wf *jlrt.Workflow, raw json.RawMessage) (any,
	error) {
	var req struct {
		Start StartRequest `json:"startExecution"`
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		return nil, fmt.Errorf("decode start request: %w", err)
	}
	if req.Start.Name == "" {
		return nil, errors.New("start request: the execution needs a name")
	}
	var input any = map[string]any{}
	if len(req.Start.Input) > 0 {
		d := json.NewDecoder(bytes.NewReader(req.Start.Input))
		d.UseNumber()
		if err := d.Decode(&input); err != nil {
			return nil, fmt.Errorf("start request: decode input: %w", err)
		}
	}
	x := Execution(wf, req.Start.Name, time.Now())
	if err := jlrt.Start(ctx, b.Platform, wf, x, input); err != nil {
		return nil, err
	}
	return Started{ExecutionID: x.ID}, nil
}

// DescribeRequest asks how an execution stands:
// {"describeExecution": {"executionId": "jlgen:orders:order-42"}}.
type DescribeRequest struct {
	ExecutionID string `json:"executionId"`
}

// Description is the answer to a describe request: RUNNING until the
// execution's result record is written, then its result.
type Description struct {
	ExecutionID string `json:"executionId"`
	jlrt.Result
}

// describe reads the result record of the execution a describe request
// names.
func (b *Backend) describe(ctx context.Context, wf *jlrt.Workflow, raw json.RawMessage) (any,
	error) {
	var req struct {
		Describe DescribeRequest `json:"describeExecution"`
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		return nil, fmt.Errorf("decode describe request: %w", err)
	}
	if req.Describe.ExecutionID == "" {
		return nil, errors.New("describe request: no executionId")
	}
	r, ok, err := jlrt.ReadResult(ctx, b.Platform, wf, req.Describe.ExecutionID)
	if err != nil {
		return nil, err
	}
	d := Description{ExecutionID: req.Describe.ExecutionID}
	if ok {
		d.Result = *r
	} else {
		d.Status = "RUNNING"
	}
	return d, nil
}

// Execution returns the execution of wf named name, started at t.
func Execution(wf *jlrt.Workflow, name string, t time.Time) jlrt.Execution {
	return jlrt.Execution{ID: "jlgen:" + wf.Name + ":" + name, Name: name,
		StateMachine: "jlgen:" + wf.Name,
		StartTime:    t.UTC().Format("2006-01-02T15:04:05.000Z")}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// misconfigured returns a cloud whose every operation fails with err, the
// reason it could not be set up.
func misconfigured(name string, err error) *jlrt.Cloud {
	err = fmt.Errorf("cloud %s is not configured here: %w", name, err)
	return &jlrt.Cloud{Name: name, Store: misStore{err}, Blobs: misBlobs{err},
		Invoker: misInvoker{err}, Retryable: func(error) bool { return false }}
}

// misStore, misBlobs and misInvoker fail every operation with their error.
type (
	misStore   struct{ err error }
	misBlobs   struct{ err error }
	misInvoker struct{ err error }
)

func (m misStore) Get(context.Context, string) ([]byte, bool, error) { return nil, false, m.err }

func (m misStore) GetMany(context.Context, []string) (map[string][]byte, error) {
	return nil, m.err
}

func (m misStore) PutIfAbsent(context.Context, string, []byte, time.Duration) ([]byte, bool,
	error) {
	return nil, false, m.err
}

func (m misStore) JoinAdd(context.Context, string, int, []byte, time.Duration) (int, error) {
	return 0, m.err
}

func (m misStore) JoinGet(context.Context, string) (map[int][]byte, error) { return nil, m.err }

func (m misBlobs) PutIfAbsent(context.Context, string, []byte) error { return m.err }

func (m misBlobs) Get(context.Context, string) ([]byte, error) { return nil, m.err }

func (m misInvoker) Invoke(context.Context, string, []byte) error { return m.err }

func (m misInvoker) InvokeAfter(context.Context, string, []byte, time.Duration) error {
	return m.err
}
