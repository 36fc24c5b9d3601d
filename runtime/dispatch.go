package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Dispatch runs one invocation of a unit of wf on cloud: it decodes the
// envelope, runs the unit, and reports an error only when the platform
// should deliver the invocation again.
func Dispatch(ctx context.Context, p *Platform, wf *Workflow, cloud string, payload []byte) error {
	var env Envelope
	var err error
	if err = json.Unmarshal(payload, &env); err != nil {
		return fmt.Errorf("decode envelope: %w", err)
	}
	u := wf.Unit(env.Unit)
	if u == nil {
		return fmt.Errorf("workflow %s has no unit %q", wf.Name, env.Unit)
	}
	if env.InputBlob != "" {
		cl := p.Clouds[cloud]
		if cl == nil || cl.Blobs == nil {
			return fmt.Errorf("input of unit %s is a blob, and cloud %s has no blobs", env.Unit,
				cloud)
		}
		if env.Input, err = cl.Blobs.Get(ctx, env.InputBlob); err != nil {
			return fmt.Errorf("read input blob %s: %w", env.InputBlob, err)
		}
	}
	if env.NotBefore != "" {
		due, err := time.Parse(time.RFC3339Nano, env.NotBefore)
		if err != nil {
			return fmt.Errorf("unit %s: bad notBefore %q: %w", env.Unit, env.NotBefore, err)
		}
		if left := due.Sub(p.Now()); left > 0 {
			// Woken before its time by a platform that cannot hold the
			// whole delay: sleep on, as another delayed invocation.
			env.NotBefore = ""
			return p.send(ctx, u.Target, &env, left)
		}
	}
	var input any
	if len(env.Input) > 0 {
		input, err = decode(env.Input)
	}
	if err != nil {
		return fmt.Errorf("decode input of unit %s: %w", env.Unit, err)
	}
	c := &Call{p: p, wf: wf, unit: u, cloud: cloud, env: env, input: input, vars: env.Vars,
		step: env.Step, event: env.Event}
	err = u.Run(ctx, c)
	if errors.Is(err, errDone) {
		return nil
	}
	return err
}

// Start starts an execution of wf with input: it invokes the start unit.
func Start(ctx context.Context, p *Platform, wf *Workflow, x Execution, input any) error {
	raw := mustJSON(input)
	x.Input = raw
	if len(raw) > maxCarriedInput {
		x.InputKey, x.Input = x.ID+"/input", nil
		_, _, err := p.store(wf.Unit(wf.Start).Target).PutIfAbsent(ctx, x.InputKey, raw, p.TTL)
		if err != nil {
			return fmt.Errorf("write the input of %s: %w", x.ID, err)
		}
	}
	env := &Envelope{Execution: x, Unit: wf.Start, Input: raw, Event: 1}
	return p.send(ctx, wf.Unit(wf.Start).Target, env, 0)
}

// maxCarriedInput is the largest execution input that every envelope of
// the execution carries, for the context object; a larger one is written
// once and read by each function process when it needs it.
const maxCarriedInput = 4 << 10

// executionInput returns the execution input of x, for $$.Execution.Input:
// the one the envelope carries, or the one written at the start, read once
// per process and execution.
func (p *Platform) executionInput(ctx context.Context, wf *Workflow, x *Execution) any {
	if x.InputKey == "" {
		v, _ := decode(x.Input)
		return v
	}
	if v, ok := p.inputs.Load(x.InputKey); ok {
		return v
	}
	b, ok, err := p.store(wf.Unit(wf.Start).Target).Get(ctx, x.InputKey)
	if err != nil || !ok {
		return nil
	}
	v, _ := decode(b)
	p.inputs.Store(x.InputKey, v)
	return v
}

// Result is how an execution ended.
type Result struct {
	Status string          `json:"status"` // SUCCEEDED or FAILED
	Output json.RawMessage `json:"output,omitempty"`
	Error  string          `json:"error,omitempty"`
	Cause  string          `json:"cause,omitempty"`
}

// ReadResult returns the result record of an execution, and whether it
// has ended.
func ReadResult(ctx context.Context, p *Platform, wf *Workflow, id string) (*Result, bool,
	error) {
	b, ok, err := p.store(wf.Unit(wf.Start).Target).Get(ctx, resultKey(id))
	if err != nil || !ok {
		return nil, false, err
	}
	var r Result
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, false, fmt.Errorf("decode result of %s: %w", id, err)
	}
	return &r, true, nil
}

func resultKey(id string) string { return id + "/result" }

// store returns the store of the cloud a target is placed on: a unit's
// records stay there whichever cloud runs it, so that a failover does not
// duplicate work.
func (p *Platform) store(t Target) Store {
	return p.Clouds[t.Clouds[0]].Store
}

// send invokes t with env on the first cloud that accepts, after delay. A
// cloud that refuses with a retryable error (see Cloud.Retryable) passes
// the invocation to the next cloud of the target; one that refuses for
// good ends the attempt, and the platform's redelivery of the calling
// function tries again.
func (p *Platform) send(ctx context.Context, t Target, env *Envelope, delay time.Duration) error {
	var errs []error
	for i, name := range t.Clouds {
		cl := p.Clouds[name]
		if cl == nil {
			errs = append(errs, fmt.Errorf("no cloud %q", name))
			continue
		}
		last := i == len(t.Clouds)-1
		if !last && p.breaker.open(name, p.Now()) {
			errs = append(errs, fmt.Errorf("%s: circuit open", name))
			continue
		}
		d, stepped := delay, env
		if lim, ok := cl.Invoker.(DelayLimiter); ok && d > lim.MaxDelay() {
			d = lim.MaxDelay()
			e := *env
			e.NotBefore = p.Now().Add(delay).UTC().Format(time.RFC3339Nano)
			stepped = &e
		}
		payload, err := p.envelopeFor(ctx, cl, stepped)
		if err != nil {
			return fmt.Errorf("invoke %s: %w", t.Unit, err)
		}
		if d > 0 {
			err = cl.Invoker.InvokeAfter(ctx, t.Unit, payload, d)
		} else {
			err = cl.Invoker.Invoke(ctx, t.Unit, payload)
		}
		if err == nil {
			p.breaker.accepted(name)
			if i > 0 {
				p.breaker.failedOver()
			}
			return nil
		}
		if !cl.retryable(err) {
			return fmt.Errorf("invoke %s: %s refused it for good: %w", t.Unit, name, err)
		}
		p.breaker.refused(name, p.Now())
		errs = append(errs, fmt.Errorf("%s: %w", name, err))
		if p.Tracer != nil && i+1 < len(t.Clouds) {
			p.Tracer.Event(Event{Time: p.Now(), Execution: env.Execution.ID, Type: "Failover",
				Unit: t.Unit, Cloud: t.Clouds[i+1], Cause: err.Error()})
		}
	}
	return fmt.Errorf("invoke %s: every cloud refused: %w", t.Unit, errors.Join(errs...))
}

// envelopeFor encodes env for cloud cl: with its input inline when it
// fits the cloud's limit, or in the cloud's blobs otherwise.
func (p *Platform) envelopeFor(ctx context.Context, cl *Cloud, env *Envelope) ([]byte, error) {
	payload, err := json.Marshal(env)
	if err != nil || cl.InlineLimit == 0 || len(payload) <= cl.InlineLimit {
		return payload, err
	}
	if cl.Blobs == nil {
		return nil, fmt.Errorf("the envelope is %d bytes, over %s's inline limit of %d, and "+
			"the cloud has no blob store", len(payload), cl.Name, cl.InlineLimit)
	}
	big := *env
	big.InputBlob = env.key() + "/input"
	if err := cl.Blobs.PutIfAbsent(ctx, big.InputBlob, env.Input); err != nil {
		return nil, fmt.Errorf("write input blob: %w", err)
	}
	big.Input = nil
	return json.Marshal(&big)
}
