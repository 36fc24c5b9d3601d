// Package storerun runs a whole workflow with its records in a store
// under test, as the integration tests of the Redis and DynamoDB stores
// do: the parallel-branches golden on the embedded jointcloud, each cloud
// with a store of its own, then every invocation delivered again.
package storerun

import (
	"context"
	"encoding/json"
	"maps"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	parallelbranches "github.com/jointlambda/jlgen/golden/parallel-branches"
	jlrt "github.com/jointlambda/jlgen/runtime"
	"github.com/jointlambda/jlgen/shim/local"
)

// Backend is the store under test.
type Backend struct {
	// Store returns a fresh store for the named cloud.
	Store func(t *testing.T, cloud string) jlrt.Store
	// Snapshot reads every record the stores hold, comparably.
	Snapshot func(t *testing.T) map[string]any
	// JoinRecords counts the join records of a snapshot.
	JoinRecords func(snapshot map[string]any) int
}

// large is a text that makes a branch output too large to ride in the
// join record.
var large = strings.Repeat("large ", 2000)

// Run runs the workflow with tasks in stock and out of stock, and with
// outputs too large to ride in the join record. Each run
// must give the expected output, leave one join record, and, when every
// invocation is delivered again, keep its records and run no task twice.
func Run(t *testing.T, b Backend) {
	cases := []struct {
		name  string
		tasks map[string]any
		want  string
	}{{
		name: "in-stock",
		tasks: map[string]any{"GetCustomer": map[string]any{"Item": map[string]any{
			"name": "Ada"}}, "CheckStock": map[string]any{"available": true}},
		want: `{"customer": {"name": "Ada"}, "stock": {"available": true}}`,
	}, {
		// CheckStock says no: the branch fails with OutOfStock, which the
		// Parallel state's Catch sends to Backorder.
		name: "out-of-stock",
		tasks: map[string]any{"GetCustomer": map[string]any{"Item": map[string]any{
			"name": "Ada"}}, "CheckStock": map[string]any{"available": false}},
		want: `{"order": {"id": 7, "customer": "c1"}, ` +
			`"error": {"Error": "OutOfStock", "Cause": ""}}`,
	}, {
		// Both branch outputs are over their share of the join record:
		// each is written on its own and the join reads them in one
		// GetMany.
		name: "large-outputs",
		tasks: map[string]any{"GetCustomer": map[string]any{"Item": map[string]any{
			"name": large}}, "CheckStock": map[string]any{"available": true, "note": large}},
		want: `{"customer": {"name": "` + large + `"}, ` +
			`"stock": {"available": true, "note": "` + large + `"}}`,
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { run(t, b, tc.tasks, tc.want) })
	}
}

func run(t *testing.T, b Backend, results map[string]any, want string) {
	ctx := context.Background()
	tasks := &stubs{results: results, runs: map[string]int{}}
	j := local.New(parallelbranches.New(parallelbranches.DefaultTasks(tasks)), "aws", "aliyun")
	for name, cl := range j.Platform().Clouds {
		cl.Store = b.Store(t, name)
	}
	r, err := j.Run(ctx, "e1", decode(t, `{"order": {"id": 7, "customer": "c1"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != "SUCCEEDED" {
		t.Fatalf("status %s: %s %s", r.Status, r.Error, r.Cause)
	}
	if diff := cmp.Diff(decode(t, want), decode(t, string(r.Output))); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	before := b.Snapshot(t)
	if n := b.JoinRecords(before); n != 1 {
		t.Errorf("%d join records, want the Parallel state's 1", n)
	}
	runs := tasks.counts()
	for _, d := range j.Deliveries() {
		if err := j.Redeliver(ctx, d); err != nil {
			t.Fatalf("redeliver %s: %v", d.Unit, err)
		}
	}
	if diff := cmp.Diff(before, b.Snapshot(t)); diff != "" {
		t.Errorf("redeliveries changed the records (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(runs, tasks.counts()); diff != "" {
		t.Errorf("redeliveries ran tasks again (-before +after):\n%s", diff)
	}
	if len(runs) != 2 {
		t.Errorf("tasks ran %v, want GetCustomer and CheckStock", runs)
	}
	for state, n := range runs {
		if n != 1 {
			t.Errorf("task %s ran %d times, want 1", state, n)
		}
	}
}

// stubs answers every Task state from a map of state name to result, and
// counts how often each ran.
type stubs struct {
	results map[string]any
	mu      sync.Mutex
	runs    map[string]int
}

func (s *stubs) Call(ctx context.Context, r jlrt.Resource, input any) (any, error) {
	s.mu.Lock()
	s.runs[r.State]++
	s.mu.Unlock()
	if v, ok := s.results[r.State]; ok {
		return v, nil
	}
	return nil, &jlrt.StateError{Name: "NoStub", Cause: r.State}
}

func (s *stubs) counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.runs)
}

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}
