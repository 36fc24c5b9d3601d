package aws

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/jointlambda/jlgen/internal/pause"
	jlrt "github.com/jointlambda/jlgen/runtime"
)

// LambdaInvoker starts function units as asynchronous invocations of
// Lambda functions: Invoke is one Lambda Invoke request with
// InvocationType Event, which returns once Lambda has queued the event
// (202 Accepted). The payload is the envelope as it is, so it must be
// JSON, as Lambda requires, and at most Lambda's asynchronous limit
// (1 MB); the runtime moves larger inputs to blobs before they get here.
// InvokeAfter keeps the delay in the service that suits its length: see
// its doc and DelayOptions.
//
// The function of a unit is named by the mapping given to
// NewLambdaInvoker. The invoker keeps no state of its own, so one
// LambdaInvoker serves any number of goroutines.
//
// Lambda delivers an asynchronous invocation at least once, and retries a
// failed one as the function's asynchronous configuration says; the
// protocol absorbs the duplicates either way. A failed request is
// classified by Classify, which the failover reads through Retryable.
type LambdaInvoker struct {
	client *lambda.Client
	// function names the Lambda function that runs a unit.
	function func(unit string) string
	delay    DelayOptions
}

var _ jlrt.Invoker = (*LambdaInvoker)(nil)

// NewLambdaInvoker returns an invoker that starts, through client, the
// function that function(unit) names (a name, a partial ARN or an ARN,
// with or without a qualifier) for each unit, and delays invocations as
// opts says.
func NewLambdaInvoker(client *lambda.Client, function func(unit string) string,
	opts DelayOptions) *LambdaInvoker {
	return &LambdaInvoker{client: client, function: function, delay: opts}
}

// Invoke starts unit with payload, asynchronously.
func (v *LambdaInvoker) Invoke(ctx context.Context, unit string, payload []byte) error {
	name, err := v.functionOf(unit)
	if err != nil {
		return fmt.Errorf("lambda invoke %s: %w", unit, err)
	}
	if err := v.invokeEvent(ctx, name, payload); err != nil {
		return fmt.Errorf("lambda invoke %s: %w", unit, err)
	}
	return nil
}

// InvokeAfter starts unit with payload once d has passed. Lambda has no
// delayed invocation of its own, so the wait is kept where it costs least
// for its length (the figures are us-east-1 list prices, for scale):
//
//   - d < DelayOptions.SleepBelow (DefaultSleepBelow, 2 s, unless set):
//     the calling function sleeps for d, honouring ctx, then invokes. The
//     sleep is billed as the caller's duration (about $3.3 per million
//     seconds at 256 MB on arm64) and must fit in its timeout; it keeps
//     the delay exact and adds no hop, which suits the short first
//     backoffs of a Retry.
//   - d up to MaxQueueDelay (15 minutes): one SQS SendMessage to the delay
//     queue with DelaySeconds = d rounded up to whole seconds; when the
//     message becomes visible, the queue's relay function (Relay) invokes
//     the target. Cost: about three SQS requests and one short relay
//     invocation, near $1.5 per million delays, and the relay's latency
//     (under a second, with long polling) after the due time.
//   - d over 15 minutes: one EventBridge Scheduler one-time schedule,
//     at(due time) in UTC with no flexible window, whose target is the
//     function itself with the payload as input and which deletes itself
//     once it has run. Cost: $1.00 per million scheduled invocations
//     (14 million free a month); the time has whole-second resolution.
//
// Each range needs its settings in DelayOptions; without them InvokeAfter
// fails with an error that names the missing one (ErrDelayUnconfigured).
// The queue and the scheduler deliver at least once, like Lambda, and a
// duplicate caller's delay is absorbed: a second schedule of the same
// target and payload is refused by name (ConflictException), which counts
// as done, and a second queued message makes a duplicate invocation that
// the protocol skips.
func (v *LambdaInvoker) InvokeAfter(ctx context.Context, unit string, payload []byte,
	d time.Duration) error {
	name, err := v.functionOf(unit)
	if err == nil {
		err = v.delayed(ctx, name, payload, d)
	}
	if err != nil {
		return fmt.Errorf("lambda invoke %s after %v: %w", unit, d, err)
	}
	return nil
}

// delayed invokes function with payload after d, by the route for d.
func (v *LambdaInvoker) delayed(ctx context.Context, function string, payload []byte,
	d time.Duration) error {
	switch {
	case d <= 0:
		return v.invokeEvent(ctx, function, payload)
	case d < v.delay.sleepBelow():
		return v.sleepThenInvoke(ctx, function, payload, d)
	case d <= MaxQueueDelay:
		return v.enqueue(ctx, function, payload, d)
	}
	return v.schedule(ctx, function, payload, d)
}

// functionOf returns the function that runs unit.
func (v *LambdaInvoker) functionOf(unit string) (string, error) {
	if v.function == nil {
		return "", errors.New("the invoker has no function name mapping")
	}
	name := v.function(unit)
	if name == "" {
		return "", errors.New("the function name mapping gives no function")
	}
	return name, nil
}

// invokeEvent sends one asynchronous Invoke of function with payload.
func (v *LambdaInvoker) invokeEvent(ctx context.Context, function string,
	payload []byte) error {
	_, err := v.client.Invoke(ctx, &lambda.InvokeInput{
		FunctionName:   &function,
		InvocationType: types.InvocationTypeEvent,
		Payload:        payload,
	})
	if err != nil {
		return fmt.Errorf("function %s: %w", function, err)
	}
	return nil
}

// sleepThenInvoke waits d in the calling function, then invokes.
func (v *LambdaInvoker) sleepThenInvoke(ctx context.Context, function string,
	payload []byte, d time.Duration) error {
	if err := pause.For(ctx, d); err != nil {
		return fmt.Errorf("sleep before invoking %s: %w", function, err)
	}
	return v.invokeEvent(ctx, function, payload)
}
