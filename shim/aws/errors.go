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
)

// Failure is how a failed request to an AWS service went wrong, as the
// failover needs to know it. Its kinds are those of shim/aliyun's
// Failure, so that both clouds' refusals read alike.
type Failure int

// The kinds of failure.
const (
	// FailureNone is no failure.
	FailureNone Failure = iota
	// FailureThrottled is a request refused for load: 429, or an error
	// code that names throttling (TooManyRequestsException,
	// ThrottlingException, EC2ThrottledException, SlowDown...).
	FailureThrottled
	// FailureUnavailable is a server error: 5xx or 408, or a code that
	// says the service or the function is not ready (ServiceException,
	// ResourceNotReadyException, RequestTimeout...). Lambda's 502 faults
	// of a function's setup (KMS keys, subnets, network interfaces) count
	// here too: the function cannot run on this cloud now, and the next
	// cloud may run it.
	FailureUnavailable
	// FailureNetwork is a request that got no answer: refused or reset
	// connections, timeouts, DNS failures.
	FailureNetwork
	// FailureCanceled is a request the caller gave up on: its context was
	// canceled.
	FailureCanceled
	// FailurePermanent is any other failure (a missing function or queue,
	// bad credentials, a payload over the limit): sending it again, here,
	// fails again.
	FailurePermanent
)

// String returns the failure's name.
func (f Failure) String() string {
	switch f {
	case FailureNone:
		return "none"
	case FailureThrottled:
		return "throttled"
	case FailureUnavailable:
		return "unavailable"
	case FailureNetwork:
		return "network"
	case FailureCanceled:
		return "canceled"
	}
	return "permanent"
}

// Retryable reports whether err is a failure that another try may not
// meet: throttling, a server error or a network failure. The failover
// sends such an invocation to the next cloud, or to this one later.
func Retryable(err error) bool {
	switch Classify(err) {
	case FailureThrottled, FailureUnavailable, FailureNetwork:
		return true
	}
	return false
}

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
}

// Classify tells what kind of failure err, an error of aws-sdk-go-v2 or of
// a shim wrapping one, is. It looks through the SDK's wrappers
// (smithy.OperationError, retry.MaxAttemptsError, the HTTP response and
// send errors), so the error of a request retried to exhaustion is
// classified by its last attempt.
func Classify(err error) Failure {
	if err == nil {
		return FailureNone
	}
	if errors.Is(err, context.Canceled) {
		return FailureCanceled
	}
	if status, code, ok := serviceStatus(err); ok {
		return classifyAnswer(status, code)
	}
	var netErr net.Error
	if errors.As(err, &netErr) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		isConnectionError(err) {
		return FailureNetwork
	}
	return FailurePermanent
}

// classifyAnswer classifies a service's answer by its HTTP status and
// error code; the code wins where it is known.
func classifyAnswer(status int, code string) Failure {
	_, throttle := retry.DefaultThrottleErrorCodes[code]
	switch {
	case throttle || strings.Contains(code, "Throttl") ||
		status == http.StatusTooManyRequests:
		return FailureThrottled
	case unavailableCodes[code] || status >= 500 || status == http.StatusRequestTimeout:
		return FailureUnavailable
	}
	return FailurePermanent
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
