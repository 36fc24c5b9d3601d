package aws

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

// Retryable reports whether err is a failure that another try may not
// meet (see runtime.Failure.Retryable): the failover sends such an
// invocation to the next cloud, or to this one later. Lambda's 502 faults
// of a function's setup (KMS keys, subnets, network interfaces) count as
// unavailable: the function cannot run on this cloud now, and the next
// cloud may run it. So do Lambda's 409 answers to Invoke: the function is
// not Active yet (Pending while it is created, or while an Inactive one
// gets its resources back) or SnapStart is still initializing it.
func Retryable(err error) bool { return Classify(err).Retryable() }

// unavailableCodes are error codes of a service that cannot answer now,
// whatever the status they come with.
var unavailableCodes = map[string]bool{
	"ServiceException":            true,
	"ServiceUnavailable":          true,
	"ServiceUnavailableException": true,
	"InternalError":               true,
	"InternalFailure":             true,
	"InternalServerError":         true,
	"InternalServerException":     true,
	"ResourceNotReadyException":   true,
	"ENINotReadyException":        true,
	"EC2UnexpectedException":      true,
	"RequestTimeout":              true,
	"RequestTimeoutException":     true,
	// Lambda: "The operation cannot be performed at this time. The
	// function is currently in the following state: Pending".
	"ResourceConflictException":  true,
	"SnapStartNotReadyException": true,
	// DynamoDB: an item that a transaction is writing; a later try
	// finds the transaction done.
	"TransactionConflictException": true,
}

// Classify tells what kind of failure err, an error of aws-sdk-go-v2 or of
// a shim wrapping one, is. It looks through the SDK's wrappers
// (smithy.OperationError, retry.MaxAttemptsError, the HTTP response and
// send errors), so the error of a request retried to exhaustion is
// classified by its last attempt.
func Classify(err error) jlrt.Failure {
	if err == nil {
		return jlrt.FailureNone
	}
	if errors.Is(err, context.Canceled) {
		return jlrt.FailureCanceled
	}
	if status, code, ok := serviceStatus(err); ok {
		return classifyAnswer(status, code)
	}
	var netErr net.Error
	if errors.As(err, &netErr) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		isConnectionError(err) {
		return jlrt.FailureNetwork
	}
	return jlrt.FailurePermanent
}

// classifyAnswer classifies a service's answer by its HTTP status and
// error code; the code wins where it is known.
func classifyAnswer(status int, code string) jlrt.Failure {
	_, throttle := retry.DefaultThrottleErrorCodes[code]
	switch {
	case throttle || strings.Contains(code, "Throttl") ||
		status == http.StatusTooManyRequests:
		return jlrt.FailureThrottled
	case unavailableCodes[code] || status >= 500 || status == http.StatusRequestTimeout:
		return jlrt.FailureUnavailable
	}
	return jlrt.FailurePermanent
}

// serviceStatus returns the HTTP status and error code of the answer err
// reports, and whether it reports one. The SDK wraps a request that got
// no answer in a response error of status 0, which is no answer; an error
// code without a status (a modeled error built by hand) is one, of
// status 0.
func serviceStatus(err error) (int, string, bool) {
	var api smithy.APIError
	hasCode := errors.As(err, &api)
	var resp interface{ HTTPStatusCode() int }
	hasStatus := errors.As(err, &resp) && resp.HTTPStatusCode() > 0
	switch {
	case hasStatus && hasCode:
		return resp.HTTPStatusCode(), api.ErrorCode(), true
	case hasStatus:
		return resp.HTTPStatusCode(), "", true
	case hasCode:
		return 0, api.ErrorCode(), true
	}
	return 0, "", false
}

// isConnectionError reports whether err is one the SDK's HTTP client
// marks as a failure to send the request (smithyhttp.RequestSendError).
func isConnectionError(err error) bool {
	var conn interface{ ConnectionError() bool }
	return errors.As(err, &conn) && conn.ConnectionError()
}
