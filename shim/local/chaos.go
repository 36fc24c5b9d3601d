package local

import (
	"context"
	"errors"
	"fmt"

	"math/rand/v2"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

// Chaos describes the faults a simulation injects. Every decision comes
// from one random source seeded with Seed, so a run is reproducible.
type Chaos struct {
	Seed int64
	// Crash is the probability that an invocation crashes at each step of
	// the protocol it reaches.
	Crash float64
	// Dup is the probability that an invocation is delivered twice.
	Dup float64
	// Store is the probability that a store operation fails, as a
	// throttled or unreachable store does.
	Store float64
	// Outages are windows of virtual time in which a cloud refuses
	// invocations.
	Outages []Outage
}

// Outage is a window in which a cloud refuses every invocation; From and
// To count from the start of the execution.
type Outage struct {
	Cloud    string
	From, To time.Duration
}

// Faults counts the faults a simulation injected.
type Faults struct {
	Crashes     int64 `json:"crashes"`
	Duplicates  int64 `json:"duplicates"`
	Refusals    int64 `json:"refusals"`
	StoreErrors int64 `json:"store_errors"`
}

// Total is the number of faults of every kind.
func (f Faults) Total() int64 { return f.Crashes + f.Duplicates + f.Refusals + f.StoreErrors }

// ParseChaos reads "seed=N,crash=P,dup=P,store=P,outage=CLOUD:FROM-TO",
// where FROM and TO are virtual seconds; outage may be given more than
// once.
func ParseChaos(s string) (Chaos, error) {
	var c Chaos
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return c, fmt.Errorf("chaos: want key=value, got %q", part)
		}
		var err error
		switch k {
		case "seed":
			c.Seed, err = strconv.ParseInt(v, 10, 64)
		case "crash":
			c.Crash, err = probability(v)
		case "dup":
			c.Dup, err = probability(v)
		case "store":
			c.Store, err = probability(v)
		case "outage":
			var o Outage
			o, err = parseOutage(v)
			c.Outages = append(c.Outages, o)
		default:
			err = fmt.Errorf("unknown key %q (want seed, crash, dup, store or outage)", k)
		}
		if err != nil {
			return c, fmt.Errorf("chaos: %s: %w", k, err)
		}
	}
	return c, nil
}

func probability(v string) (float64, error) {
	p, err := strconv.ParseFloat(v, 64)
	if err == nil && (p < 0 || p > 1) {
		err = fmt.Errorf("%v is not a probability between 0 and 1", p)
	}
	return p, err
}

func parseOutage(v string) (Outage, error) {
	cloud, window, ok := strings.Cut(v, ":")
	from, to, ok2 := strings.Cut(window, "-")
	if !ok || !ok2 || cloud == "" {
		return Outage{}, fmt.Errorf("want CLOUD:FROM-TO, got %q", v)
	}
	f, err1 := strconv.ParseFloat(from, 64)
	t, err2 := strconv.ParseFloat(to, 64)
	if err := errors.Join(err1, err2); err != nil || t < f {
		return Outage{}, fmt.Errorf("bad window %q", window)
	}
	return Outage{Cloud: cloud, From: seconds(f), To: seconds(t)}, nil
}

func seconds(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }

// SetChaos makes the jointcloud inject the faults of c.
func (j *Jointcloud) SetChaos(c Chaos) {
	j.chaos = &c
	j.rng = rand.New(rand.NewPCG(uint64(c.Seed), 0x6a6c67656e))
	j.crashed = map[string]int{}
	j.platform.Faults = chaosFaults{j}
	for name, cl := range j.platform.Clouds {
		cl.Store = &faultyStore{Store: cl.Store, j: j}
		_ = name
	}
}

// Faults returns the faults injected so far.
func (j *Jointcloud) Faults() Faults { return j.faults }

// chance draws one decision of probability p.
func (j *Jointcloud) chance(p float64) bool {
	return p > 0 && j.rng.Float64() < p
}

// chaosFaults crashes invocations at protocol steps. An instance crashes
// at most as often as the platform redelivers, and the last delivery of
// an invocation runs without faults, as a real platform gives up after
// its retries: the simulation checks that the protocol recovers, not
// that a platform loses invocations.
type chaosFaults struct{ j *Jointcloud }

func (f chaosFaults) Crash(point jlrt.FaultPoint, key string) error {
	j := f.j
	if j.lastDelivery || j.crashed[key] >= j.Redeliveries || !j.chance(j.chaos.Crash) {
		return nil
	}
	j.crashed[key]++
	atomic.AddInt64(&j.faults.Crashes, 1)
	return &jlrt.CrashError{Point: point, Key: key}
}

// refuses reports whether cloud is in an outage now.
func (j *Jointcloud) refuses(cloud string) bool {
	if j.chaos == nil {
		return false
	}
	at := j.now.Sub(j.runStart)
	for _, o := range j.chaos.Outages {
		if o.Cloud == cloud && at >= o.From && at < o.To {
			return true
		}
	}
	return false
}

// ErrRefused is what a cloud in an outage answers an invocation with.
var ErrRefused = errors.New("the cloud refused the invocation (outage)")

// faultyStore fails operations at random, as a throttled store does.
type faultyStore struct {
	jlrt.Store
	j *Jointcloud
}

var errThrottled = errors.New("store throttled the request")

func (s *faultyStore) fail() error {
	if s.j.chaos != nil && s.j.draining && !s.j.lastDelivery && s.j.chance(s.j.chaos.Store) {
		atomic.AddInt64(&s.j.faults.StoreErrors, 1)
		return errThrottled
	}
	return nil
}

func (s *faultyStore) Get(ctx context.Context, key string) ([]byte, bool, error) {
	if err := s.fail(); err != nil {
		return nil, false, err
	}
	return s.Store.Get(ctx, key)
}

func (s *faultyStore) GetMany(ctx context.Context, keys []string) (map[string][]byte, error) {
	if err := s.fail(); err != nil {
		return nil, err
	}
	return s.Store.GetMany(ctx, keys)
}

func (s *faultyStore) PutIfAbsent(ctx context.Context, key string, value []byte,
	ttl time.Duration) ([]byte, bool, error) {
	if err := s.fail(); err != nil {
		return nil, false, err
	}
	return s.Store.PutIfAbsent(ctx, key, value, ttl)
}

func (s *faultyStore) JoinAdd(ctx context.Context, key string, index int, value []byte,
	ttl time.Duration) (int, error) {
	if err := s.fail(); err != nil {
		return 0, err
	}
	return s.Store.JoinAdd(ctx, key, index, value, ttl)
}

func (s *faultyStore) JoinGet(ctx context.Context, key string) (map[int][]byte, error) {
	if err := s.fail(); err != nil {
		return nil, err
	}
	return s.Store.JoinGet(ctx, key)
}

// Records returns the records of every cloud's memory store, by cloud and
// key (see Store.Keys).
func (j *Jointcloud) Records() map[string]map[string]int {
	out := map[string]map[string]int{}
	for name, c := range j.platform.Clouds {
		s := c.Store
		if f, ok := s.(*faultyStore); ok {
			s = f.Store
		}
		if m, ok := s.(*Store); ok {
			out[name] = m.Keys()
		}
	}
	return out
}
