package runtime

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Store is a cloud's strongly consistent key-value store, where the
// protocol keeps checkpoints, join records and results.
type Store interface {
	// Get returns the value of key, and whether there is one.
	Get(ctx context.Context, key string) ([]byte, bool, error)
	// GetMany returns the values of those of keys that have one, read as
	// consistently as Get and in as few requests as the store allows: a
	// join reads its branches' outputs with it. Keys may repeat; no keys
	// read nothing.
	GetMany(ctx context.Context, keys []string) (map[string][]byte, error)
	// PutIfAbsent stores value under key unless key has a value already.
	// It returns the value now stored and whether it is the one given.
	PutIfAbsent(ctx context.Context, key string, value []byte, ttl time.Duration) ([]byte,
		bool, error)
	// JoinAdd adds value under index to the join record key, atomically,
	// and returns how many distinct indexes the record holds now.
	JoinAdd(ctx context.Context, key string, index int, value []byte, ttl time.Duration) (int,
		error)
	// JoinGet returns the values of a join record by index, in one read.
	JoinGet(ctx context.Context, key string) (map[int][]byte, error)
}

// Invoker starts function units on a cloud, asynchronously.
type Invoker interface {
	// Invoke starts unit with payload; it returns once the platform
	// accepted the invocation.
	Invoke(ctx context.Context, unit string, payload []byte) error
	// InvokeAfter starts unit with payload once d has passed.
	InvokeAfter(ctx context.Context, unit string, payload []byte, d time.Duration) error
}

// DelayLimiter is implemented by an invoker whose platform holds a
// delayed invocation for a bounded time, such as Function Compute's one
// hour. A longer delay is sent in steps of at most MaxDelay: each step's
// envelope carries the due time (Envelope.NotBefore), and the unit, woken
// early, invokes itself again for the time left. Each step costs one
// invocation that runs no user code.
type DelayLimiter interface {
	MaxDelay() time.Duration
}

// Blobs is a cloud's object storage, for payloads too large to travel
// inline in an invocation.
type Blobs interface {
	// PutIfAbsent writes data under key unless the key exists.
	PutIfAbsent(ctx context.Context, key string, data []byte) error
	Get(ctx context.Context, key string) ([]byte, error)
}

// Cloud is one cloud as the runtime sees it.
type Cloud struct {
	Name    string
	Store   Store
	Blobs   Blobs
	Invoker Invoker
	// InlineLimit is the largest envelope the cloud's platform accepts
	// inline; a larger input goes to Blobs. Zero means no limit.
	InlineLimit int
	// Retryable reports whether an error of Invoker is one that another
	// cloud, or this one later, may not meet: an outage, throttling, a
	// network failure or a server error. Only such errors fail over; any
	// other (a missing function, a payload over the limit, bad
	// credentials) is returned at once, since every replica would refuse
	// it alike. Each cloud's shim classifies its own SDK's errors; nil
	// treats every error as retryable.
	Retryable func(error) bool
}

// retryable reports whether err, returned by the cloud's invoker, may
// fail over.
func (cl *Cloud) retryable(err error) bool {
	return cl.Retryable == nil || cl.Retryable(err)
}

// Platform is the set of clouds a workflow runs on, and what the runtime
// needs besides: a clock, the time to keep records, and where to report.
type Platform struct {
	Clouds map[string]*Cloud
	// Now returns the current time; the local backend's is virtual.
	Now func() time.Time
	// TTL bounds how long checkpoints and records are kept.
	TTL time.Duration
	// Log receives the execution history when it is not nil.
	Log *slog.Logger
	// Tracer, when not nil, receives the execution's events.
	Tracer Tracer
	// Faults, when not nil, injects crashes into the protocol.
	Faults Faults

	breaker breaker
	// inputs caches the large execution inputs this process read.
	inputs sync.Map
}

// Tracer receives the events of an execution, in the order they happen.
type Tracer interface {
	Event(e Event)
}

// Event is one entry of an execution's history.
type Event struct {
	Time      time.Time `json:"time"`
	Execution string    `json:"execution"`
	Cloud     string    `json:"cloud,omitempty"`
	// Type is, for example, "StateEntered", "StateExited",
	// "TaskScheduled", "TaskRetried", "Invoked", "Failover",
	// "ExecutionSucceeded" or "ExecutionFailed".
	Type   string `json:"type"`
	State  string `json:"state,omitempty"`
	Unit   string `json:"unit,omitempty"`
	Input  any    `json:"input,omitempty"`
	Output any    `json:"output,omitempty"`
	Error  string `json:"error,omitempty"`
	Cause  string `json:"cause,omitempty"`
}
