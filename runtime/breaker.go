package runtime

import (
	"sync"
	"time"
)

// The circuit breaker stops sending to a cloud that keeps refusing: after
// breakerThreshold refusals in a row, invocations skip it for
// breakerCooldown, unless it is the last cloud left to try.
const (
	breakerThreshold = 3
	breakerCooldown  = 30 * time.Second
)

// breaker tracks the refusals of each cloud, and counts failovers.
type breaker struct {
	mu        sync.Mutex
	refusals  map[string]int
	openUntil map[string]time.Time
	failovers int64
}

// open reports whether invocations should skip cloud at now.
func (b *breaker) open(cloud string, now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return now.Before(b.openUntil[cloud])
}

// refused records a refusal by cloud at now.
func (b *breaker) refused(cloud string, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.refusals == nil {
		b.refusals, b.openUntil = map[string]int{}, map[string]time.Time{}
	}
	b.refusals[cloud]++
	if b.refusals[cloud] >= breakerThreshold {
		b.openUntil[cloud] = now.Add(breakerCooldown)
		b.refusals[cloud] = 0
	}
}

// accepted records that cloud took an invocation.
func (b *breaker) accepted(cloud string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.refusals, cloud)
}

// failedOver counts an invocation sent past its placed cloud.
func (b *breaker) failedOver() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failovers++
}

// Failovers returns how many invocations went to a cloud other than the
// one their unit is placed on.
func (p *Platform) Failovers() int64 {
	p.breaker.mu.Lock()
	defer p.breaker.mu.Unlock()
	return p.breaker.failovers
}
