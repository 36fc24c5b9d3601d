package runtime

// Failure is how a failed request to a cloud's service went wrong, as the
// failover needs to know it. Each cloud's shim sorts the errors its SDKs
// return into these kinds once (shim/aws.Classify, shim/aliyun.Classify),
// so that both clouds' refusals read alike.
type Failure int

// The kinds of failure.
const (
	// FailureNone is no failure.
	FailureNone Failure = iota
	// FailureThrottled is a request refused for load: HTTP 429, or an
	// error code that names throttling or exhausted capacity.
	FailureThrottled
	// FailureUnavailable is a server error (5xx or 408), or a code that
	// says the service or the function cannot answer now.
	FailureUnavailable
	// FailureNetwork is a request that got no answer: refused or reset
	// connections, timeouts, DNS failures.
	FailureNetwork
	// FailureCanceled is a request the caller gave up on: its context was
	// canceled.
	FailureCanceled
	// FailurePermanent is any other failure (a missing function, bad
	// credentials, a payload over the limit): sending it again, to this
	// cloud or another, fails again.
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

// Retryable reports whether the failure is one that another try may not
// meet: throttling, a server error or a network failure. The failover
// sends such an invocation to the next cloud, or to this one later.
func (f Failure) Retryable() bool {
	return f == FailureThrottled || f == FailureUnavailable || f == FailureNetwork
}
