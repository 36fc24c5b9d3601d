package runtime

import "testing"

// TestFailure checks the names of the kinds of failure and which of them
// fail over.
func TestFailure(t *testing.T) {
	for f, want := range map[Failure]struct {
		name      string
		retryable bool
	}{
		FailureNone: {"none", false}, FailureThrottled: {"throttled", true},
		FailureUnavailable: {"unavailable", true}, FailureNetwork: {"network", true},
		FailureCanceled: {"canceled", false}, FailurePermanent: {"permanent", false},
	} {
		if f.String() != want.name || f.Retryable() != want.retryable {
			t.Errorf("%d: %q retryable %v, want %q %v", int(f), f.String(), f.Retryable(),
				want.name, want.retryable)
		}
	}
}
