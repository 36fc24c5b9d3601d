package local

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync/atomic"
	"time"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

// Stats counts what a simulation did.
type Stats struct {
	// StoreReads counts requests: a GetMany of any number of keys, as a
	// join makes to read the branch outputs too large for its record,
	// counts one.
	StoreReads  int64 `json:"store_reads"`
	StoreWrites int64 `json:"store_writes"`
	// JoinAdds and JoinGets count the fan-in operations among the writes
	// and the reads.
	JoinAdds    int64            `json:"join_adds"`
	JoinGets    int64            `json:"join_gets"`
	Invocations int64            `json:"invocations"`
	PerCloud    map[string]int64 `json:"invocations_per_cloud"`
	Failovers   int64            `json:"failovers"`
	BytesMoved  int64            `json:"bytes_moved"`
	MakespanMS  int64            `json:"makespan_ms"`
}

// Latency models how long an invocation takes to arrive.
type Latency struct {
	// Within is the latency of an invocation within one cloud, Between
	// the latency from one cloud to another.
	Within, Between time.Duration
}

// DefaultLatency is a plausible model: 5 ms within a cloud, 40 ms between.
var DefaultLatency = Latency{Within: 5 * time.Millisecond, Between: 40 * time.Millisecond}

// DefaultInlineLimit is the largest envelope a local cloud takes inline,
// as AWS Lambda's asynchronous invocations do.
const DefaultInlineLimit = 1 << 20

// Epoch is when every simulation's virtual clock starts.
var Epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Jointcloud is the embedded jointcloud running one workflow.
type Jointcloud struct {
	wf       *jlrt.Workflow
	platform *jlrt.Platform
	clouds   []string
	now      time.Time
	queue    events
	seq      int
	stats    Stats
	latency  Latency
	// sender is the cloud of the invocation being run, for latency.
	sender string
	// Redeliveries is how often a failed invocation is delivered again,
	// as Lambda and Function Compute retry asynchronous invocations.
	Redeliveries int
	// RealTime makes the clock wait for real: Wait states and backoffs
	// take as long as they say.
	RealTime bool

	chaos    *Chaos
	rng      *rand.Rand
	crashed  map[string]int
	faults   Faults
	runStart time.Time
	// draining is true while invocations run: faults hit the functions,
	// not the caller that reads the result afterwards.
	draining bool
	// lastDelivery is true while the platform's last delivery of an
	// invocation runs, which faults leave alone.
	lastDelivery bool
	deliveries   []Delivery
}

// Delivery is one invocation the jointcloud ran.
type Delivery struct {
	Cloud, Unit string
	Payload     []byte
}

// Deliveries returns the invocations run so far, in order.
func (j *Jointcloud) Deliveries() []Delivery { return j.deliveries }

// Redeliver runs an invocation again, as a platform that delivers it a
// second time long after the first, and everything it leads to.
func (j *Jointcloud) Redeliver(ctx context.Context, d Delivery) error {
	j.push(d.Cloud, d.Unit, d.Payload, 0, 0)
	return j.drain(ctx)
}

// New returns a jointcloud with the named clouds, each with a memory
// store, running wf.
func New(wf *jlrt.Workflow, clouds ...string) *Jointcloud {
	j := &Jointcloud{wf: wf, clouds: clouds, now: Epoch, latency: DefaultLatency,
		Redeliveries: 2}
	j.stats.PerCloud = map[string]int64{}
	j.platform = &jlrt.Platform{Clouds: map[string]*jlrt.Cloud{}, Now: func() time.Time {
		return j.now
	}, TTL: 7 * 24 * time.Hour}
	for _, name := range clouds {
		j.platform.Clouds[name] = &jlrt.Cloud{Name: name, Store: NewStore(&j.stats),
			Blobs: NewBlobs(&j.stats), Invoker: &invoker{j: j, cloud: name},
			InlineLimit: DefaultInlineLimit}
	}
	return j
}

// Platform returns the platform the workflow's units see.
func (j *Jointcloud) Platform() *jlrt.Platform { return j.platform }

// Stats returns the counts so far.
func (j *Jointcloud) Stats() Stats { return j.stats }

// Now returns the virtual time.
func (j *Jointcloud) Now() time.Time { return j.now }

// Run starts an execution with input, runs every invocation it leads to,
// and returns its result.
func (j *Jointcloud) Run(ctx context.Context, name string, input any) (*jlrt.Result, error) {
	start := j.now
	j.runStart = start
	x := jlrt.Execution{ID: "arn:aws:states:us-east-1:111111111111:execution:" + j.wf.Name +
		":" + name, Name: name,
		StateMachine: "arn:aws:states:us-east-1:111111111111:stateMachine:" + j.wf.Name,
		StartTime:    j.now.Format("2006-01-02T15:04:05.000Z")}
	if err := jlrt.Start(ctx, j.platform, j.wf, x, input); err != nil {
		return nil, err
	}
	if err := j.drain(ctx); err != nil {
		return nil, err
	}
	j.stats.MakespanMS += j.now.Sub(start).Milliseconds()
	j.stats.Failovers = j.platform.Failovers()
	r, ok, err := jlrt.ReadResult(ctx, j.platform, j.wf, x.ID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("execution %s is stuck: no invocation is left and it has no "+
			"result", name)
	}
	return r, nil
}

// maxEvents bounds a simulation, so that a workflow that loops forever
// ends with an error rather than a hang.
const maxEvents = 1_000_000

// drain runs the queued invocations in virtual-time order.
func (j *Jointcloud) drain(ctx context.Context) error {
	j.draining = true
	defer func() { j.draining = false }()
	for n := 0; j.queue.Len() > 0; n++ {
		if n == maxEvents {
			return errors.New("simulation ran a million invocations: a loop without end?")
		}
		e := heap.Pop(&j.queue).(*event)
		if j.RealTime && e.at.After(j.now) {
			time.Sleep(e.at.Sub(j.now))
		}
		j.now = maxTime(j.now, e.at)
		j.sender = e.cloud
		j.lastDelivery = e.attempt >= j.Redeliveries
		j.deliveries = append(j.deliveries, Delivery{Cloud: e.cloud, Unit: e.unit,
			Payload: e.payload})
		err := jlrt.Dispatch(ctx, j.platform, j.wf, e.cloud, e.payload)
		if err != nil && e.attempt < j.Redeliveries {
			// Lambda retries a failed asynchronous invocation after about
			// one minute, then two; Function Compute backs off likewise.
			delay := time.Duration(e.attempt+1) * time.Minute
			j.push(e.cloud, e.unit, e.payload, delay, e.attempt+1)
		} else if err != nil {
			return fmt.Errorf("unit %s on %s failed %d times: %w", e.unit, e.cloud,
				e.attempt+1, err)
		}
	}
	return nil
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// push queues an invocation of unit on cloud after delay plus latency.
func (j *Jointcloud) push(cloud, unit string, payload []byte, delay time.Duration, attempt int) {
	lat := j.latency.Within
	if j.sender != "" && j.sender != cloud {
		lat = j.latency.Between
	}
	j.seq++
	heap.Push(&j.queue, &event{at: j.now.Add(delay + lat), seq: j.seq, cloud: cloud, unit: unit,
		payload: payload, attempt: attempt})
	j.stats.Invocations++
	j.stats.PerCloud[cloud]++
	j.stats.BytesMoved += int64(len(payload))
}

// invoker queues invocations on one cloud of the jointcloud.
type invoker struct {
	j     *Jointcloud
	cloud string
}

var _ jlrt.Invoker = (*invoker)(nil)

func (i *invoker) Invoke(ctx context.Context, unit string, payload []byte) error {
	return i.InvokeAfter(ctx, unit, payload, 0)
}

// InvokeAfter queues the invocation, unless the cloud is in an outage;
// under chaos, it may deliver it twice.
func (i *invoker) InvokeAfter(ctx context.Context, unit string, payload []byte,
	d time.Duration) error {
	j := i.j
	if j.refuses(i.cloud) {
		atomic.AddInt64(&j.faults.Refusals, 1)
		return ErrRefused
	}
	j.push(i.cloud, unit, payload, d, 0)
	if j.chaos != nil && j.chance(j.chaos.Dup) {
		atomic.AddInt64(&j.faults.Duplicates, 1)
		j.push(i.cloud, unit, payload, d+time.Millisecond, 0)
	}
	return nil
}

// event is one queued invocation.
type event struct {
	at      time.Time
	seq     int
	cloud   string
	unit    string
	payload []byte
	attempt int
}

// events is a heap of invocations by time, then by order sent.
type events []*event

func (q events) Len() int { return len(q) }
func (q events) Less(a, b int) bool {
	if !q[a].at.Equal(q[b].at) {
		return q[a].at.Before(q[b].at)
	}
	return q[a].seq < q[b].seq
}
func (q events) Swap(a, b int) { q[a], q[b] = q[b], q[a] }
func (q *events) Push(x any)   { *q = append(*q, x.(*event)) }
func (q *events) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// SetInlineLimit sets the inline limit of every cloud, so that tests can
// send large payloads through the blob stores.
func (j *Jointcloud) SetInlineLimit(n int) {
	for _, c := range j.platform.Clouds {
		c.InlineLimit = n
	}
}

// Blobs returns the blob store of cloud.
func (j *Jointcloud) Blobs(cloud string) *Blobs {
	return j.platform.Clouds[cloud].Blobs.(*Blobs)
}

// UseBolt gives every cloud a store in a bbolt file of its own under dir,
// in place of its memory store. The caller closes them with Close.
func (j *Jointcloud) UseBolt(dir string) error {
	for name, c := range j.platform.Clouds {
		s, err := OpenBoltStore(filepath.Join(dir, name+".db"), j.platform.Now, &j.stats)
		if err != nil {
			return err
		}
		c.Store = s
	}
	return nil
}

// Close closes the clouds' store files, if any.
func (j *Jointcloud) Close() error {
	var errs []error
	for _, c := range j.platform.Clouds {
		if s, ok := c.Store.(*BoltStore); ok {
			errs = append(errs, s.Close())
		}
	}
	return errors.Join(errs...)
}
