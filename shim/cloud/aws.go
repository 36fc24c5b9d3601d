package cloud

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/jointlambda/jlgen/config"
	jlrt "github.com/jointlambda/jlgen/runtime"
	awsshim "github.com/jointlambda/jlgen/shim/aws"
)

// invokeAttempts bounds the SDK's own tries of one Lambda Invoke before
// the runtime fails over: one retry rides out a blip, and a cloud that
// refuses twice is better left to the next one.
const invokeAttempts = 2

// invokeAttemptTimeout bounds each try of a request that starts a unit
// (Lambda Invoke, SQS SendMessage, Scheduler CreateSchedule), from dialing
// to the end of the answer. Each takes well under a second while its
// service is up; the SDK's HTTP client would wait 30 s to connect and
// without end for an answer, so an endpoint that has gone silent would
// hold the invocation until the calling function's own timeout, too late
// to fail over.
const invokeAttemptTimeout = 5 * time.Second

// maxAWSInline caps the envelope an aws cloud carries inline: an
// EventBridge Scheduler target takes at most 256 KB of input, so every
// delay route of the Lambda invoker must accept every inline envelope.
const maxAWSInline = awsshim.MaxScheduleInput

// awsClients holds the SDK configuration all aws clouds share.
type awsClients struct {
	cfg    aws.Config
	getenv func(string) string
	// resources is the Lambda client for Task states.
	resources *lambda.Client
	// attemptTimeout bounds each try of the invokers' requests.
	attemptTimeout time.Duration
}

// newAWSClients loads the SDK's standard configuration chain.
func newAWSClients(ctx context.Context, getenv func(string) string) (*awsClients, error) {
	cfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("load the AWS configuration: %w", err)
	}
	return &awsClients{cfg: cfg, getenv: getenv, resources: lambda.NewFromConfig(cfg),
		attemptTimeout: invokeAttemptTimeout}, nil
}

// invokerConfig is cfg with an HTTP client whose every request ends within
// the attempt timeout, for the clients of the invoker and its delays.
func (a *awsClients) invokerConfig(cfg aws.Config) aws.Config {
	b, ok := cfg.HTTPClient.(*awshttp.BuildableClient)
	if !ok {
		b = awshttp.NewBuildableClient()
	}
	cfg.HTTPClient = b.WithTimeout(a.attemptTimeout)
	return cfg
}

// cloud builds the aws cloud s: its store, blobs and Lambda invoker.
func (a *awsClients) cloud(ctx context.Context, s settings) (*jlrt.Cloud, *awsshim.LambdaInvoker,
	error) {
	cfg := a.cfg.Copy()
	if s.region != "" {
		cfg.Region = s.region
	}
	cl := s.cloud
	c := &jlrt.Cloud{Name: s.name, Retryable: awsshim.Retryable,
		InlineLimit: min(cl.InlineLimit, maxAWSInline)}
	switch cl.Store.Kind {
	case config.StoreDynamoDB:
		client := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
			o.BaseEndpoint = endpoint(cl.Store.Endpoint)
		})
		c.Store = awsshim.NewDynamoStore(client, cl.Store.Table)
	case config.StoreRedis:
		store, err := redisStore(s)
		if err != nil {
			return nil, nil, err
		}
		c.Store = store
	default:
		return nil, nil, fmt.Errorf("store %q is not available on aws", cl.Store.Kind)
	}
	if cl.Blobs.Kind != config.BlobsS3 {
		return nil, nil, fmt.Errorf("blobs %q are not available on aws", cl.Blobs.Kind)
	}
	c.Blobs = awsshim.NewS3Blobs(s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = endpoint(cl.Blobs.Endpoint)
		o.UsePathStyle = cl.Blobs.Endpoint != ""
	}), cl.Blobs.Bucket)
	icfg := a.invokerConfig(cfg)
	client := lambda.NewFromConfig(icfg, func(o *lambda.Options) {
		o.BaseEndpoint = endpoint(cl.Invoker.Endpoint)
		o.RetryMaxAttempts = invokeAttempts
	})
	inv := awsshim.NewLambdaInvoker(client, s.functionName(), a.delays(icfg))
	c.Invoker = inv
	return c, inv, nil
}

// delays returns the delay routes of the Lambda invoker, from the
// variables the SAM template sets on functions that delay: without them,
// only the sleep route is there, and longer delays fail with an error
// that names the missing setting.
func (a *awsClients) delays(cfg aws.Config) awsshim.DelayOptions {
	opts := awsshim.DelayOptions{Log: slog.New(slog.NewTextHandler(os.Stderr, nil))}
	if url := a.getenv("JLGEN_DELAY_QUEUE"); url != "" {
		opts.Queue, opts.QueueURL = sqs.NewFromConfig(cfg), url
	}
	if role := a.getenv("JLGEN_SCHEDULER_ROLE"); role != "" {
		opts.Scheduler, opts.SchedulerRole = scheduler.NewFromConfig(cfg), role
		if prefix := a.getenv("JLGEN_FUNCTION_ARN_PREFIX"); prefix != "" {
			opts.FunctionARN = func(name string) string { return prefix + name }
		}
	}
	return opts
}

// endpoint returns the SDK's form of an endpoint override: nil for none,
// which leaves the SDK's resolution (and AWS_ENDPOINT_URL_*) in force.
func endpoint(url string) *string {
	if url == "" {
		return nil
	}
	return &url
}
