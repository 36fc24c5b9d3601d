package local_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	mapinline "github.com/jointlambda/jlgen/golden/map-itemprocessor-inline"
	parallelbranches "github.com/jointlambda/jlgen/golden/parallel-branches"
	retryallfields "github.com/jointlambda/jlgen/golden/retry-all-fields"
	taskretrycatch "github.com/jointlambda/jlgen/golden/task-retry-catch"
	jlrt "github.com/jointlambda/jlgen/runtime"
	"github.com/jointlambda/jlgen/shim/local"
)

// flaky answers every task, failing the first attempt of each instance
// with a retriable error when fail is set, so that retries run too. Its
// answers carry pad bytes more, to make outputs as large as a test needs.
type flaky struct {
	fail bool
	pad  int
}

func (f flaky) Call(ctx context.Context, r jlrt.Resource, input any) (any, error) {
	if _, retries, ok := jlrt.TaskAttempt(ctx); ok && f.fail && retries == 0 {
		return nil, &jlrt.StateError{Name: "Lambda.TooManyRequestsException", Cause: "busy"}
	}
	return map[string]any{"Payload": map[string]any{"price": 3, "state": r.State},
		"available": true, "Item": map[string]any{"state": r.State,
			"pad": strings.Repeat("p", f.pad)}}, nil
}

// chaosWorkflow is a workflow to run under chaos, with its input and the
// padding of its tasks' answers.
type chaosWorkflow struct {
	name  string
	new   func(r jlrt.Resources) *jlrt.Workflow
	input string
	pad   int
}

func chaosWorkflows() []chaosWorkflow {
	return []chaosWorkflow{
		{"parallel", func(r jlrt.Resources) *jlrt.Workflow {
			return parallelbranches.New(parallelbranches.DefaultTasks(r))
		}, `{"order": {"id": 7, "customer": "c1"}}`, 0},
		// Branch outputs over their share of the join record are written
		// on their own, and the join reads them in one batch.
		{"parallel-large", func(r jlrt.Resources) *jlrt.Workflow {
			return parallelbranches.New(parallelbranches.DefaultTasks(r))
		}, `{"order": {"id": 7, "customer": "c1"}}`, 9000},
		{"map", func(r jlrt.Resources) *jlrt.Workflow {
			return mapinline.New(mapinline.DefaultTasks(r))
		}, `{"order": {"currency": "EUR", "lines": [{"sku": "a"}, {"sku": "b"}, {"sku": "c"}]}}`, 0},
		{"retry-catch", func(r jlrt.Resources) *jlrt.Workflow {
			return taskretrycatch.New(taskretrycatch.DefaultTasks(r))
		}, `{"order": {"id": 1, "total": 9}}`, 0},
		{"retries", func(r jlrt.Resources) *jlrt.Workflow {
			return retryallfields.New(retryallfields.DefaultTasks(r))
		}, `{"partner": "p"}`, 0},
	}
}

// TestChaosExactlyOnce runs each workflow fault-free, then under crashes
// at every protocol step, duplicate deliveries and store errors, once per
// seed. (The golden packages place every unit on aws alone; outages and
// failover are tested with placements that have a replica, below and in
// cmd/jlgen's TestConformanceChaos.) From the stores' contents it checks that
// every instance committed exactly the records the fault-free run did
// (no instance lost, none committed twice under another key), and that
// the execution ended with the same outcome.
func TestChaosExactlyOnce(t *testing.T) {
	seeds := 600
	if testing.Short() {
		seeds = 50
	}
	ctx := context.Background()
	runs, faults := 0, local.Faults{}
	for _, w := range chaosWorkflows() {
		for _, fail := range []bool{false, true} {
			tasks := flaky{fail: fail, pad: w.pad}
			base := local.New(w.new(tasks), "aws", "aliyun")
			want, err := base.Run(ctx, "e", decode(t, w.input))
			if err != nil {
				t.Fatalf("%s: fault-free run: %v", w.name, err)
			}
			wantRecords := base.Records()
			for seed := 1; seed <= seeds/2; seed++ {
				j := local.New(w.new(tasks), "aws", "aliyun")
				j.Redeliveries = 6
				j.SetChaos(local.Chaos{Seed: int64(seed), Crash: 0.3, Dup: 0.3, Store: 0.02})
				got, err := j.Run(ctx, "e", decode(t, w.input))
				where := fmt.Sprintf("%s (fail=%v) seed %d", w.name, fail, seed)
				if err != nil {
					t.Fatalf("%s: lost or stuck: %v", where, err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("%s: outcome differs (-fault-free +chaos):\n%s", where, diff)
				}
				if diff := cmp.Diff(wantRecords, j.Records()); diff != "" {
					t.Fatalf("%s: records differ (-fault-free +chaos):\n%s", where, diff)
				}
				f := j.Faults()
				faults.Crashes += f.Crashes
				faults.Duplicates += f.Duplicates
				faults.Refusals += f.Refusals
				faults.StoreErrors += f.StoreErrors
				runs++
			}
		}
	}
	t.Logf("chaos: %d executions, %d faults injected (%d crashes, %d duplicates, "+
		"%d refusals, %d store errors), every one exactly-once", runs, faults.Total(),
		faults.Crashes, faults.Duplicates, faults.Refusals, faults.StoreErrors)
}

// relay is a two-unit workflow placed on aws with a replica on aliyun:
// the start unit invokes the second, which ends the execution.
func relay() *jlrt.Workflow {
	second := jlrt.Target{Unit: "second", Clouds: []string{"aws", "aliyun"}}
	return &jlrt.Workflow{Name: "relay", Start: "start", Units: []jlrt.Unit{
		{Name: "start", Kind: jlrt.UnitStart, Target: jlrt.Target{Unit: "start",
			Clouds: []string{"aws", "aliyun"}},
			Run: func(ctx context.Context, c *jlrt.Call) error {
				return c.Invoke(ctx, second, c.Input())
			}},
		{Name: "second", Kind: jlrt.UnitBranch, Target: second,
			Run: func(ctx context.Context, c *jlrt.Call) error {
				return c.End(ctx, c.Input())
			}},
	}}
}

// TestFailoverDuringOutage runs executions while aws refuses every
// invocation: they finish on aliyun with the same output, each failover is
// counted, and the circuit breaker stops trying aws after a few refusals.
func TestFailoverDuringOutage(t *testing.T) {
	ctx := context.Background()
	j := local.New(relay(), "aws", "aliyun")
	j.SetChaos(local.Chaos{Outages: []local.Outage{{Cloud: "aws", From: 0, To: 1e12}}})
	for i := 0; i < 10; i++ {
		r, err := j.Run(ctx, fmt.Sprintf("e%d", i), decode(t, `{"n": 1}`))
		if err != nil || r.Status != "SUCCEEDED" || string(r.Output) != `{"n":1}` {
			t.Fatalf("run %d: %v %+v", i, err, r)
		}
	}
	s, f := j.Stats(), j.Faults()
	if s.PerCloud["aws"] != 0 || s.PerCloud["aliyun"] != 20 {
		t.Errorf("invocations per cloud %v, want all 20 on aliyun", s.PerCloud)
	}
	if s.Failovers != 20 {
		t.Errorf("%d failovers, want 20", s.Failovers)
	}
	if f.Refusals >= 20 {
		t.Errorf("aws refused %d invocations: the circuit breaker did not open", f.Refusals)
	}
	t.Logf("outage: %d invocations failed over, %d refused before the breaker opened",
		s.Failovers, f.Refusals)
}

// TestNoFailoverOnPermanentRefusal checks that failover follows the
// cloud's classification: while aws refuses and its shim calls the
// refusal permanent, nothing goes to aliyun and the start is refused.
func TestNoFailoverOnPermanentRefusal(t *testing.T) {
	ctx := context.Background()
	j := local.New(relay(), "aws", "aliyun")
	j.SetChaos(local.Chaos{Outages: []local.Outage{{Cloud: "aws", From: 0, To: 1e12}}})
	var classified int
	j.Platform().Clouds["aws"].Retryable = func(error) bool { classified++; return false }
	_, err := j.Run(ctx, "e", decode(t, `{"n": 1}`))
	if err == nil || !strings.Contains(err.Error(), "refused it for good") {
		t.Fatalf("run = %v, want the permanent refusal reported", err)
	}
	if s := j.Stats(); s.Failovers != 0 || s.PerCloud["aliyun"] != 0 || classified != 1 {
		t.Errorf("failovers %d, aliyun invocations %d, classified %d; want 0, 0, 1",
			s.Failovers, s.PerCloud["aliyun"], classified)
	}
}
