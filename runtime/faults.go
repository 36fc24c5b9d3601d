package runtime

import (
	"context"
	"fmt"
)

// FaultPoint names a step of the execution protocol where a function can
// crash: between two of its side effects.
type FaultPoint string

// The steps of the protocol where a crash is injected.
const (
	BeforeTask         FaultPoint = "before-task"         // the checkpoint was missing
	AfterTask          FaultPoint = "after-task"          // the task ran, nothing written
	AfterCheckpoint    FaultPoint = "after-checkpoint"    // written, nothing invoked
	BetweenInvocations FaultPoint = "between-invocations" // a fan-out half sent
	AfterBranchOutput  FaultPoint = "after-branch-output" // a large output written, not joined
	AfterJoinAdd       FaultPoint = "after-joinadd"       // joined, the join not invoked
)

// FaultPoints lists every point, in protocol order.
var FaultPoints = []FaultPoint{BeforeTask, AfterTask, AfterCheckpoint, BetweenInvocations,
	AfterBranchOutput, AfterJoinAdd}

// Faults decides, at each step of the protocol, whether the function
// crashes there. Tests and the embedded jointcloud's chaos mode use it;
// on a real cloud it is nil.
type Faults interface {
	// Crash returns an error when the invocation of the instance key
	// crashes at point.
	Crash(point FaultPoint, key string) error
}

// CrashError is the error of an injected crash.
type CrashError struct {
	Point FaultPoint
	Key   string
}

func (e *CrashError) Error() string {
	return fmt.Sprintf("injected crash %s in %s", e.Point, e.Key)
}

// fault crashes the invocation at point when the platform's faults say so.
func (c *Call) fault(point FaultPoint) error {
	if c.p.Faults == nil {
		return nil
	}
	return c.p.Faults.Crash(point, c.env.key())
}

// attemptKey is the context key of the task attempt being run.
type attemptKey struct{}

// TaskAttempt returns the instance key and the retry count of the task
// attempt a TaskFunc runs for: duplicates of one attempt share both, so
// that a binding replaying recorded results can answer them alike.
func TaskAttempt(ctx context.Context) (string, int, bool) {
	a, ok := ctx.Value(attemptKey{}).(attempt)
	return a.key, a.retries, ok
}

type attempt struct {
	key     string
	retries int
}

// withAttempt marks ctx with the attempt of this invocation's task.
func (c *Call) withAttempt(ctx context.Context) context.Context {
	return context.WithValue(ctx, attemptKey{}, attempt{key: c.env.key(),
		retries: c.retryCount()})
}
