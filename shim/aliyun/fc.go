package aliyun

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	fc "github.com/alibabacloud-go/fc-20230330/v4/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	"github.com/aliyun/aliyun-tablestore-go-sdk/v5/tablestore"
	fc2 "github.com/aliyun/fc-go-sdk"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

// MaxInvokeDelay is the longest delay InvokeAfter accepts: Function
// Compute defers an asynchronous invocation by at most one hour (the
// x-fc-async-delay header, whole seconds in [0, 3600]).
const MaxInvokeDelay = time.Hour

// The headers of an asynchronous invocation. The SDK has a field for the
// invocation type but none for the delay, which goes in as a common header.
const (
	headerInvocationType = "x-fc-invocation-type"
	headerAsyncDelay     = "x-fc-async-delay"
)

// maxFunctionName is the longest function name Function Compute accepts.
const maxFunctionName = 64

// FCInvoker starts function units as asynchronous invocations of Function
// Compute 3.0 functions: Invoke is one InvokeFunction request with
// x-fc-invocation-type: Async, which returns once Function Compute has
// queued the invocation (202 Accepted). The function of a unit is named
// by FunctionName from the invoker's prefix and the unit's name. It keeps
// no state of its own, so one FCInvoker serves any number of goroutines.
//
// Function Compute delivers an asynchronous invocation at least once, and
// its own retries of a failed invocation are the function's async
// configuration; the protocol absorbs the duplicates either way.
type FCInvoker struct {
	client *fc.Client
	prefix string
}

var _ interface {
	jlrt.Invoker
	jlrt.DelayLimiter
} = (*FCInvoker)(nil)

// NewFCInvoker returns an invoker that starts the functions named after
// prefix (the workflow's name, as a rule) through client.
func NewFCInvoker(client *fc.Client, prefix string) *FCInvoker {
	return &FCInvoker{client: client, prefix: prefix}
}

// Invoke starts unit with payload, asynchronously.
func (v *FCInvoker) Invoke(ctx context.Context, unit string, payload []byte) error {
	return v.invoke(ctx, unit, payload, 0)
}

// MaxDelay is the longest delay InvokeAfter accepts, MaxInvokeDelay: a
// longer Wait or backoff reaches the unit in steps of an hour, each an
// invocation that runs no user code (see runtime.DelayLimiter).
func (v *FCInvoker) MaxDelay() time.Duration { return MaxInvokeDelay }

// InvokeAfter starts unit with payload once d has passed: Function
// Compute holds the invocation for d, rounded up to whole seconds, so no
// function is billed for the wait. A d over MaxInvokeDelay is an error:
// Function Compute has no longer delay. The runtime never asks for one:
// it reads MaxDelay and waits longer in steps.
func (v *FCInvoker) InvokeAfter(ctx context.Context, unit string, payload []byte,
	d time.Duration) error {
	if d > MaxInvokeDelay {
		return fmt.Errorf("fc invoke %s after %v: function compute delays an asynchronous "+
			"invocation by at most %v", unit, d, MaxInvokeDelay)
	}
	return v.invoke(ctx, unit, payload, d)
}

// invoke sends one asynchronous InvokeFunction, held for d when d > 0.
func (v *FCInvoker) invoke(ctx context.Context, unit string, payload []byte,
	d time.Duration) error {
	name := FunctionName(v.prefix, unit)
	headers := &fc.InvokeFunctionHeaders{XFcInvocationType: dara.String("Async")}
	if d > 0 {
		secs := int64((d + time.Second - 1) / time.Second)
		headers.CommonHeaders = map[string]*string{
			headerAsyncDelay: dara.String(strconv.FormatInt(secs, 10))}
	}
	req := &fc.InvokeFunctionRequest{Body: bytes.NewReader(payload)}
	out, err := v.client.InvokeFunctionWithContext(ctx, &name, req, headers,
		&dara.RuntimeOptions{})
	if err != nil {
		return fmt.Errorf("fc invoke %s (function %s): %w", unit, name, err)
	}
	if out.Body != nil {
		if c, ok := out.Body.(io.Closer); ok {
			c.Close()
		}
	}
	return nil
}

// FunctionName returns the Function Compute function that runs unit of
// the workflow deployed under prefix: the prefix, a hyphen and the unit's
// runtime.FunctionID, the name deploy/s.yaml gives the unit's function.
// The name is stable across releases, since deployments are named by it.
func FunctionName(prefix, unit string) string {
	return prefix + "-" + jlrt.FunctionID(unit)
}

// validFunctionName reports whether s is a valid Function Compute
// function name.
func validFunctionName(s string) bool {
	if s == "" || len(s) > maxFunctionName || s[0] == '-' || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := range len(s) {
		if c := s[i]; c != '-' && c != '_' && !isAlnum(c) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// Retryable reports whether err is a failure that another try may not
// meet (see runtime.Failure.Retryable): the failover sends such an
// invocation to the next cloud, or to this one later.
func Retryable(err error) bool { return Classify(err).Retryable() }

// Classify tells what kind of failure err, an error of the Alibaba SDKs
// or of a shim wrapping one, is.
func Classify(err error) jlrt.Failure {
	if err == nil {
		return jlrt.FailureNone
	}
	if errors.Is(err, context.Canceled) {
		return jlrt.FailureCanceled
	}
	if status, code, ok := serviceStatus(err); ok {
		switch {
		case status == http.StatusTooManyRequests || strings.Contains(code, "Throttl") ||
			otsThrottled(code):
			return jlrt.FailureThrottled
		case status >= 500 || status == http.StatusRequestTimeout:
			return jlrt.FailureUnavailable
		}
		return jlrt.FailurePermanent
	}
	var netErr net.Error
	if errors.As(err, &netErr) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) {
		return jlrt.FailureNetwork
	}
	return jlrt.FailurePermanent
}

// otsThrottled reports whether code is one by which TableStore refuses a
// request for load, whatever the HTTP status it comes with (403 for the
// capacity codes, 503 for a busy server, 409 for a contended row).
func otsThrottled(code string) bool {
	switch code {
	case "OTSNotEnoughCapacityUnit", "OTSCapacityUnitExhausted", "OTSServerBusy",
		"OTSRowOperationConflict":
		return true
	}
	return false
}

// serviceStatus returns the HTTP status and error code of the answer err
// reports, and whether it reports one.
func serviceStatus(err error) (int, string, bool) {
	var tsdk *tea.SDKError
	if errors.As(err, &tsdk) && tsdk.StatusCode != nil {
		return *tsdk.StatusCode, dara.StringValue(tsdk.Code), true
	}
	var dsdk *dara.SDKError
	if errors.As(err, &dsdk) && dsdk.StatusCode != nil {
		return *dsdk.StatusCode, dara.StringValue(dsdk.Code), true
	}
	var ots *tablestore.OtsError
	if errors.As(err, &ots) {
		return ots.HttpStatusCode, ots.Code, true
	}
	var oerr *oss.ServiceError
	if errors.As(err, &oerr) {
		return oerr.StatusCode, oerr.Code, true
	}
	// The Function Compute 2.0 SDK answers a status of 300 or more with a
	// *fc2.ServiceError; its value type is an error as well.
	var f2 *fc2.ServiceError
	if errors.As(err, &f2) && f2 != nil && f2.HTTPStatus != 0 {
		return f2.HTTPStatus, f2.ErrorCode, true
	}
	var f2v fc2.ServiceError
	if errors.As(err, &f2v) && f2v.HTTPStatus != 0 {
		return f2v.HTTPStatus, f2v.ErrorCode, true
	}
	var resp interface {
		error
		GetStatusCode() *int
		GetCode() *string
	}
	if errors.As(err, &resp) && resp.GetStatusCode() != nil {
		return *resp.GetStatusCode(), dara.StringValue(resp.GetCode()), true
	}
	return 0, "", false
}
