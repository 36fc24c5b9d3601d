package aliyun

import (
	"bytes"
	"context"
	"encoding/json"
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
// Compute defers an asynchronous invocation by the x-fc-async-delay
// header, whole seconds under an hour. The 3.0 guide gives the range as
// (0, 3600), the 2.0 guide as [0, 3600]
// (https://help.aliyun.com/document_detail/2513619.html,
// https://help.aliyun.com/document_detail/181866.html), so the longest
// delay sent is 3599 seconds, which both take.
const MaxInvokeDelay = time.Hour - time.Second

// The headers of an asynchronous invocation. The SDK has a field for the
// invocation type but none for the delay, which goes in as a common header.
const (
	headerInvocationType = "x-fc-invocation-type"
	headerAsyncDelay     = "x-fc-async-delay"
)

// checkDelay refuses a delay d of unit over MaxInvokeDelay, which
// Function Compute has no way to hold; api names the invoker in the error.
func checkDelay(api, unit string, d time.Duration) error {
	if d > MaxInvokeDelay {
		return fmt.Errorf("%s invoke %s after %v: function compute delays an asynchronous "+
			"invocation by at most %v", api, unit, d, MaxInvokeDelay)
	}
	return nil
}

// asyncDelay is the x-fc-async-delay of a delay d > 0: whole seconds,
// rounded up, so that the invocation never starts early.
func asyncDelay(d time.Duration) string {
	return strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10)
}

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
// longer Wait or backoff reaches the unit in steps of that much, each an
// invocation that runs no user code (see runtime.DelayLimiter).
func (v *FCInvoker) MaxDelay() time.Duration { return MaxInvokeDelay }

// InvokeAfter starts unit with payload once d has passed: Function
// Compute holds the invocation for d, rounded up to whole seconds, so no
// function is billed for the wait. A d over MaxInvokeDelay is an error:
// Function Compute has no longer delay. The runtime never asks for one:
// it reads MaxDelay and waits longer in steps.
func (v *FCInvoker) InvokeAfter(ctx context.Context, unit string, payload []byte,
	d time.Duration) error {
	if err := checkDelay("fc", unit, d); err != nil {
		return err
	}
	return v.invoke(ctx, unit, payload, d)
}

// invoke sends one asynchronous InvokeFunction, held for d when d > 0.
func (v *FCInvoker) invoke(ctx context.Context, unit string, payload []byte,
	d time.Duration) error {
	name := FunctionName(v.prefix, unit)
	headers := &fc.InvokeFunctionHeaders{XFcInvocationType: dara.String("Async")}
	if d > 0 {
		headers.CommonHeaders = map[string]*string{headerAsyncDelay: dara.String(asyncDelay(d))}
	}
	req := &fc.InvokeFunctionRequest{Body: bytes.NewReader(payload)}
	out, err := v.client.InvokeFunctionWithContext(ctx, &name, req, headers,
		&dara.RuntimeOptions{})
	if err != nil {
		return fmt.Errorf("fc invoke %s (function %s): %w", unit, name, fc3Error(err))
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
	if errors.As(err, new(*unreadableAnswer)) {
		return jlrt.FailureUnavailable
	}
	var ots *tablestore.OtsError
	if errors.As(err, &ots) {
		if f, ok := otsCodeFailure(ots.Code, ots.Message); ok {
			return f
		}
	}
	if status, code, ok := serviceStatus(err); ok {
		switch {
		case status == http.StatusTooManyRequests || strings.Contains(code, "Throttl"):
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

// otsQuotaTooFrequent is the message of the OTSQuotaExhausted error that
// refuses a request for its rate; the code's other messages are limits
// that another try does not lift.
const otsQuotaTooFrequent = "Too frequent table operations."

// otsCodeFailure tells what kind of failure a TableStore error of code and
// message is, when its code says it whatever the HTTP status it comes
// with: the codes that the service's error reference marks for retry and
// that the SDK retries for any operation
// (https://www.alibabacloud.com/help/en/tablestore/developer-reference/error-codes).
// They come with 403 for the capacity and quota codes, 409 for a
// contended row, 404 for a table still loading and 503 for a busy server
// or partition. ok is false for other codes.
func otsCodeFailure(code, message string) (f jlrt.Failure, ok bool) {
	switch code {
	case tablestore.NOT_ENOUGH_CAPACITY_UNIT, "OTSCapacityUnitExhausted",
		tablestore.SERVER_BUSY, tablestore.STORAGE_SERVER_BUSY,
		tablestore.ROW_OPERATION_CONFLICT:
		return jlrt.FailureThrottled, true
	case tablestore.QUOTA_EXHAUSTED:
		if message == otsQuotaTooFrequent {
			return jlrt.FailureThrottled, true
		}
	case tablestore.TABLE_NOT_READY, tablestore.PARTITION_UNAVAILABLE:
		return jlrt.FailureUnavailable, true
	}
	return jlrt.FailureNone, false
}

// unreadableAnswer is the error of an InvokeFunction that Function Compute
// 3.0 answered with an error status (400 to 599) and a body that is not
// JSON. The 3.0 SDK reads the body of such an answer as JSON, and reports
// only the decoder's error, with neither the status nor a code. Function
// Compute's own errors are JSON documents (Code, Message, RequestId;
// https://help.aliyun.com/zh/functioncompute/fc/developer-reference/api-fc-2023-03-30-struct-error),
// so such an answer comes from in front of it, a gateway or load balancer
// (a 502 or 503 page, as a rule), and Classify takes it for the cloud
// being unavailable.
type unreadableAnswer struct{ err error }

func (e *unreadableAnswer) Error() string {
	return "function compute answered an error whose body is not JSON (a gateway's " +
		"answer, as a rule): " + e.err.Error()
}

func (e *unreadableAnswer) Unwrap() error { return e.err }

// fc3Error returns err, an error of the Function Compute 3.0 SDK's
// InvokeFunction, as an *unreadableAnswer when it is the decoder's error
// of an answer's body (see unreadableAnswer).
func fc3Error(err error) error {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return &unreadableAnswer{err: err}
	}
	return err
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
