package asl_test

import "runtime"

// runtimeMem sums the bytes allocated between start and stop.
type runtimeMem struct {
	before runtime.MemStats
	alloc  uint64
}

func (m *runtimeMem) start() { runtime.ReadMemStats(&m.before) }

func (m *runtimeMem) stop() {
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	m.alloc += after.TotalAlloc - m.before.TotalAlloc
}
