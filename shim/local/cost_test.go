package local_test

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"

	mapinline "github.com/jointlambda/jlgen/golden/map-itemprocessor-inline"
	jlrt "github.com/jointlambda/jlgen/runtime"
	"github.com/jointlambda/jlgen/shim/local"
)

// echo is a task that returns its input.
func echo(ctx context.Context, in any) (any, error) { return in, nil }

// chain builds, as generated code would, a workflow of n Task states in a
// row: a start unit and one unit per task.
func chain(n int) *jlrt.Workflow {
	target := func(i int) jlrt.Target {
		return jlrt.Target{Unit: fmt.Sprintf("task:T%d", i), Clouds: []string{"aws", "aliyun"}}
	}
	wf := &jlrt.Workflow{Name: "chain", Start: "start", Units: []jlrt.Unit{{Name: "start",
		Kind: jlrt.UnitStart, Target: jlrt.Target{Unit: "start", Clouds: []string{"aws"}},
		Run: func(ctx context.Context, c *jlrt.Call) error {
			return c.Invoke(ctx, target(0), c.Input())
		}}}}
	for i := 0; i < n; i++ {
		st := &jlrt.State{Name: fmt.Sprintf("T%d", i), Type: "Task"}
		wf.Units = append(wf.Units, jlrt.Unit{Name: target(i).Unit, Kind: jlrt.UnitTask,
			Target: target(i), Run: func(ctx context.Context, c *jlrt.Call) error {
				o, err := c.Task(ctx, st, echo)
				if err != nil {
					return err
				}
				if i == n-1 {
					return c.End(ctx, o.Output)
				}
				return c.Invoke(ctx, target(i+1), o.Output)
			}})
	}
	return wf
}

// fanIn builds a Parallel state of b branches, each one Task state.
func fanIn(b int) *jlrt.Workflow {
	par := &jlrt.State{Name: "P", Type: "Parallel", Branches: b}
	join := jlrt.Target{Unit: "join:P", Clouds: []string{"aws"}}
	var branches []jlrt.Target
	wf := &jlrt.Workflow{Name: "fanin", Start: "start"}
	for i := 0; i < b; i++ {
		branch := jlrt.Target{Unit: fmt.Sprintf("task:B%d", i), Clouds: []string{"aws"}}
		branches = append(branches, branch)
		st := &jlrt.State{Name: fmt.Sprintf("B%d", i), Type: "Task"}
		wf.Units = append(wf.Units, jlrt.Unit{Name: branch.Unit, Kind: jlrt.UnitTask,
			Target: branch, Run: func(ctx context.Context, c *jlrt.Call) error {
				o, err := c.Task(ctx, st, echo)
				if err != nil {
					return err
				}
				return c.End(ctx, o.Output)
			}})
	}
	wf.Units = append(wf.Units,
		jlrt.Unit{Name: "start", Kind: jlrt.UnitStart, Target: jlrt.Target{Unit: "start",
			Clouds: []string{"aws"}}, Run: func(ctx context.Context, c *jlrt.Call) error {
			return c.FanOut(ctx, par, c.Input(), branches, join)
		}},
		jlrt.Unit{Name: join.Unit, Kind: jlrt.UnitJoin, Target: join,
			Run: func(ctx context.Context, c *jlrt.Call) error {
				o, err := c.Join(ctx, par)
				if err != nil {
					return err
				}
				return c.End(ctx, o.Output)
			}})
	return wf
}

// TestChainCosts: each hop of a chain of tasks pays at most two store
// writes (its checkpoint and its invoked record) and one read.
func TestChainCosts(t *testing.T) {
	const n = 20
	j := local.New(chain(n), "aws", "aliyun")
	r, err := j.Run(context.Background(), "e", map[string]any{"x": 1})
	if err != nil || r.Status != "SUCCEEDED" {
		t.Fatalf("run: %v %+v", err, r)
	}
	s := j.Stats()
	reads := s.StoreReads - 1 // the caller's read of the result record
	if s.StoreWrites > 2*n || reads > n {
		t.Errorf("%d hops cost %d writes and %d reads, want at most %d and %d", n,
			s.StoreWrites, reads, 2*n, n)
	}
	t.Logf("chain of %d tasks: %d store writes, %d reads, %d invocations, %d bytes moved, "+
		"%d ms makespan (virtual)", n, s.StoreWrites, reads, s.Invocations, s.BytesMoved,
		s.MakespanMS)
}

// TestFanInCosts: a fan-in of b branches pays one JoinAdd per branch and
// one batched read of the join record.
func TestFanInCosts(t *testing.T) {
	const b = 16
	j := local.New(fanIn(b), "aws", "aliyun")
	r, err := j.Run(context.Background(), "e", map[string]any{"x": 1})
	if err != nil || r.Status != "SUCCEEDED" {
		t.Fatalf("run: %v %+v", err, r)
	}
	s := j.Stats()
	if s.JoinAdds != b || s.JoinGets != 1 {
		t.Errorf("fan-in of %d branches: %d JoinAdds and %d join reads, want %d and 1",
			b, s.JoinAdds, s.JoinGets, b)
	}
	var out []any
	if err := json.Unmarshal(r.Output, &out); err != nil || len(out) != b {
		t.Errorf("output %s does not hold the %d branch results", r.Output, b)
	}
}

// TestLargeFanInOutputs: branch outputs over their share of the join
// record cost one write more each and are read back with one batched read,
// while outputs within it ride in the record; the join's output is the
// same either way.
func TestLargeFanInOutputs(t *testing.T) {
	const b = 16
	run := func(size int) (local.Stats, []any) {
		t.Helper()
		j := local.New(fanIn(b), "aws", "aliyun")
		in := map[string]any{"pad": strings.Repeat("x", size)}
		r, err := j.Run(context.Background(), "e", in)
		if err != nil || r.Status != "SUCCEEDED" {
			t.Fatalf("run with %d-byte outputs: %v %+v", size, err, r)
		}
		var out []any
		if err := json.Unmarshal(r.Output, &out); err != nil || len(out) != b {
			t.Fatalf("output %.200s does not hold the %d branch results", r.Output, b)
		}
		for i, o := range out {
			if got, _ := o.(map[string]any)["pad"].(string); len(got) != size {
				t.Errorf("branch %d output holds %d bytes of padding, want %d", i, len(got),
					size)
			}
		}
		return j.Stats(), out
	}
	small, _ := run(10)
	large, _ := run(4000)
	if d := large.StoreWrites - small.StoreWrites; d != b {
		t.Errorf("large outputs cost %d writes more than small ones, want one per branch (%d)",
			d, b)
	}
	if d := large.StoreReads - small.StoreReads; d != 1 {
		t.Errorf("large outputs cost %d reads more than small ones, want one batch", d)
	}
	if large.JoinAdds != b || large.JoinGets != 1 {
		t.Errorf("%d JoinAdds and %d join reads, want %d and 1", large.JoinAdds,
			large.JoinGets, b)
	}
	t.Logf("fan-in of %d branches: %d writes and %d reads with 10-byte outputs, "+
		"%d and %d with 4000-byte ones", b, small.StoreWrites, small.StoreReads,
		large.StoreWrites, large.StoreReads)
}

// TestRedeliveryDoesNotRedrive delivers every task invocation of a
// finished execution again: each finds its checkpoint and its invoked
// record, and invokes nothing.
func TestRedeliveryDoesNotRedrive(t *testing.T) {
	ctx := context.Background()
	j := local.New(chain(10), "aws", "aliyun")
	if _, err := j.Run(ctx, "e", map[string]any{"x": 1}); err != nil {
		t.Fatal(err)
	}
	for _, d := range j.Deliveries() {
		if !strings.HasPrefix(d.Unit, "task:") {
			continue
		}
		before := j.Stats().Invocations
		if err := j.Redeliver(ctx, d); err != nil {
			t.Fatal(err)
		}
		if n := j.Stats().Invocations - before; n != 1 {
			t.Errorf("redelivering %s led to %d more invocations, want none", d.Unit, n-1)
		}
	}
}

// BenchmarkHop measures the in-process overhead of one hop on memory
// stores: the checkpoint, the continuation and the invocation.
func BenchmarkHop(b *testing.B) {
	const n = 100
	wf := chain(n)
	b.ReportAllocs()
	for b.Loop() {
		j := local.New(wf, "aws", "aliyun")
		if _, err := j.Run(context.Background(), "e", map[string]any{"x": 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/hop")
}

// BenchmarkMap runs a Map state over 1,000 and 10,000 items on the
// embedded backend, each item a Task, and reports the bytes allocated per
// item: the same at both sizes when memory grows in proportion.
func BenchmarkMap(b *testing.B) {
	for _, items := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("items=%d", items), func(b *testing.B) { benchmarkMap(b, items) })
	}
}

func benchmarkMap(b *testing.B, items int) {
	var lines strings.Builder
	for i := 0; i < items; i++ {
		if i > 0 {
			lines.WriteString(",")
		}
		fmt.Fprintf(&lines, `{"sku": "s%d"}`, i)
	}
	input := decodeB(b, `{"order": {"currency": "EUR", "lines": [`+lines.String()+`]}}`)
	wf := mapinline.New(mapinline.DefaultTasks(flaky{}))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		j := local.New(wf, "aws", "aliyun")
		r, err := j.Run(context.Background(), "e", input)
		if err != nil || r.Status != "SUCCEEDED" {
			b.Fatalf("run: %v %+v", err, r)
		}
	}
	runtime.ReadMemStats(&after)
	perItem := float64(after.TotalAlloc-before.TotalAlloc) / float64(b.N) / float64(items)
	b.ReportMetric(perItem, "B/item")
}
