package aliyun

import (
	"context"
	"fmt"
	"time"

	fc2 "github.com/aliyun/fc-go-sdk"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

// The invocation types of Function Compute, as x-fc-invocation-type
// carries them.
const (
	invocationAsync = "Async"
	invocationSync  = "Sync"
)

// FC2Invoker starts function units as asynchronous invocations of
// Function Compute 2.0 functions, which live in a service: Invoke is one
// InvokeFunction request (POST /2016-08-15/services/{service}/functions/
// {function}/invocations) with X-Fc-Invocation-Type: Async, which returns
// once Function Compute has queued the invocation (202 Accepted). It
// keeps no state of its own, so one FC2Invoker serves any number of
// goroutines.
//
// Function Compute delivers an asynchronous invocation at least once, and
// its own retries of a failed invocation are the function's async
// configuration; the protocol absorbs the duplicates either way.
//
// The 2.0 SDK takes no context: a request runs in a goroutine of its own,
// and when ctx ends first the call returns ctx's error while the request
// goes on, in the background, until it is answered or the SDK's timeout
// (60 seconds unless the client was made with fc.WithTimeout) ends it. An
// invocation abandoned that way may still be queued; the protocol absorbs
// that duplicate too.
type FC2Invoker struct {
	client   *fc2.Client
	service  string
	function func(unit string) string
}

var _ interface {
	jlrt.Invoker
	jlrt.DelayLimiter
} = (*FC2Invoker)(nil)

// NewFC2Invoker returns an invoker that starts, through client, the
// functions of service that functionName names for each unit. A nil
// functionName names them as FCInvoker does, by FunctionName with the
// service as the prefix, so one naming scheme serves both versions.
func NewFC2Invoker(client *fc2.Client, service string,
	functionName func(unit string) string) *FC2Invoker {
	if functionName == nil {
		functionName = func(unit string) string { return FunctionName(service, unit) }
	}
	return &FC2Invoker{client: client, service: service, function: functionName}
}

// Invoke starts unit with payload, asynchronously.
func (v *FC2Invoker) Invoke(ctx context.Context, unit string, payload []byte) error {
	return v.invoke(ctx, unit, payload, 0)
}

// MaxDelay is the longest delay InvokeAfter accepts, MaxInvokeDelay: a
// longer Wait or backoff reaches the unit in steps of that much, each an
// invocation that runs no user code (see runtime.DelayLimiter).
func (v *FC2Invoker) MaxDelay() time.Duration { return MaxInvokeDelay }

// InvokeAfter starts unit with payload once d has passed: Function
// Compute 2.0 holds the invocation for d, rounded up to whole seconds, in
// the x-fc-async-delay header (see MaxInvokeDelay), so no function is
// billed for the wait. A d over MaxInvokeDelay is an error: Function
// Compute has no longer delay. The runtime never asks for one: it reads
// MaxDelay and waits longer in steps.
func (v *FC2Invoker) InvokeAfter(ctx context.Context, unit string, payload []byte,
	d time.Duration) error {
	if err := checkDelay("fc2", unit, d); err != nil {
		return err
	}
	return v.invoke(ctx, unit, payload, d)
}

// invoke sends one asynchronous InvokeFunction, held for d when d > 0.
func (v *FC2Invoker) invoke(ctx context.Context, unit string, payload []byte,
	d time.Duration) error {
	name := v.function(unit)
	in := fc2.NewInvokeFunctionInput(v.service, name).WithPayload(payload).
		WithInvocationType(invocationAsync)
	if d > 0 {
		in = in.WithHeader(headerAsyncDelay, asyncDelay(d))
	}
	_, err := invokeFC2(ctx, v.client, in)
	if err != nil {
		return fmt.Errorf("fc2 invoke %s (function %s/%s): %w", unit, v.service, name, err)
	}
	return nil
}

// invokeFC2 sends in through client, giving up on it when ctx ends first
// (see FC2Invoker for what happens to the request then).
func invokeFC2(ctx context.Context, client *fc2.Client,
	in *fc2.InvokeFunctionInput) (*fc2.InvokeFunctionOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	type answer struct {
		out *fc2.InvokeFunctionOutput
		err error
	}
	done := make(chan answer, 1)
	go func() {
		out, err := client.InvokeFunction(in)
		done <- answer{out, err}
	}()
	select {
	case a := <-done:
		return a.out, a.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
