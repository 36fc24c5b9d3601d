package asl_test

import (
	"github.com/jointlambda/jlgen/internal/gendef"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/jointlambda/jlgen/parser/asl"
)

func TestGeneratedChainIsValid(t *testing.T) {
	if _, diags := asl.Parse("chain.json", gendef.Chain(1000)); len(diags) > 0 {
		t.Fatalf("generated machine rejected:\n%s", diags)
	}
}

// BenchmarkParse1000States parses and checks a 1,000-state machine.
func BenchmarkParse1000States(b *testing.B) {
	data := gendef.Chain(1000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := asl.Parse("chain.json", data); len(diags) > 0 {
			b.Fatal(diags)
		}
	}
}

// BenchmarkParse10MB parses and checks a definition of about 10 MB. It
// reports, per byte of input, the bytes allocated in all, the peak of the
// live heap during the parse (sampled with the collector running often,
// so that garbage does not count), and the heap the parsed workflow keeps.
func BenchmarkParse10MB(b *testing.B) {
	n := 1000
	for len(gendef.Chain(n)) < 10<<20 {
		n *= 2
	}
	data := gendef.Chain(n)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	var alloc, live, peak uint64
	for b.Loop() {
		before := heap()
		stop := samplePeak()
		wf, diags := asl.Parse("big.json", data)
		top := stop()
		if len(diags) > 0 {
			b.Fatal(diags[0])
		}
		b.StopTimer()
		after := heap()
		alloc += after.TotalAlloc - before.TotalAlloc
		live = max(live, after.HeapAlloc-before.HeapAlloc)
		peak = max(peak, top-before.HeapAlloc)
		runtime.KeepAlive(wf)
		b.StartTimer()
	}
	size := float64(len(data))
	b.ReportMetric(float64(alloc)/float64(b.N)/size, "alloc/input-byte")
	b.ReportMetric(float64(peak)/size, "peak/input-byte")
	b.ReportMetric(float64(live)/size, "kept/input-byte")
}

// heap collects garbage and returns the memory statistics.
func heap() runtime.MemStats {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms
}

// samplePeak samples the heap's object bytes until the returned function
// is called, which returns the largest sample.
func samplePeak() func() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	done := make(chan struct{})
	result := make(chan uint64)
	go func() {
		var top uint64
		tick := time.NewTicker(100 * time.Microsecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			top = max(top, sample[0].Value.Uint64())
			select {
			case <-done:
				result <- top
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		return <-result
	}
}
