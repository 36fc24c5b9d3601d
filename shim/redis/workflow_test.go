package redis_test

import (
	"context"
	"encoding/json"
	"maps"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	goredis "github.com/redis/go-redis/v9"

	parallelbranches "github.com/jointlambda/jlgen/golden/parallel-branches"
	jlrt "github.com/jointlambda/jlgen/runtime"
	"github.com/jointlambda/jlgen/shim/local"
	jlredis "github.com/jointlambda/jlgen/shim/redis"
)

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

// TestWorkflowOnRedis runs the parallel-branches golden on the local
// jointcloud with every cloud's store on Redis, then delivers every
// invocation again: the records do not change and no task runs twice.
func TestWorkflowOnRedis(t *testing.T) {
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
	}}
	c := testClient(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			runOnRedis(t, c, tc.tasks, tc.want)
		})
	}
}

// runOnRedis runs the workflow with tasks answering results, checks its
// output against want, and delivers every invocation again.
func runOnRedis(t *testing.T, c *goredis.Client, results map[string]any, want string) {
	ctx := context.Background()
	tasks := &stubs{results: results, runs: map[string]int{}}
	j := local.New(parallelbranches.New(parallelbranches.DefaultTasks(tasks)), "aws", "aliyun")
	var prefixes []string
	for name, cl := range j.Platform().Clouds {
		p := testPrefix(t, c, name)
		cl.Store = jlredis.New(c, p)
		prefixes = append(prefixes, p)
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
	before := snapshot(t, c, prefixes)
	if hashes := joinRecords(before); hashes != 1 {
		t.Errorf("%d join records on Redis, want the Parallel state's 1", hashes)
	}
	runs := tasks.counts()
	for _, d := range j.Deliveries() {
		if err := j.Redeliver(ctx, d); err != nil {
			t.Fatalf("redeliver %s: %v", d.Unit, err)
		}
	}
	if diff := cmp.Diff(before, snapshot(t, c, prefixes)); diff != "" {
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

// counts returns how often each task has run so far.
func (s *stubs) counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.runs)
}

// snapshot reads every record under prefixes: a value as its bytes, a
// join record as its fields.
func snapshot(t *testing.T, c *goredis.Client, prefixes []string) map[string]any {
	t.Helper()
	ctx := context.Background()
	out := map[string]any{}
	for _, p := range prefixes {
		for _, k := range scanKeys(t, c, p) {
			switch typ := c.Type(ctx, k).Val(); typ {
			case "string":
				out[k] = c.Get(ctx, k).Val()
			case "hash":
				out[k] = c.HGetAll(ctx, k).Val()
			default:
				t.Fatalf("key %s is a %s, want a string or a hash", k, typ)
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("the execution left no records on Redis")
	}
	return out
}

// joinRecords counts the join records of a snapshot.
func joinRecords(recs map[string]any) int {
	n := 0
	for _, v := range recs {
		if _, ok := v.(map[string]string); ok {
			n++
		}
	}
	return n
}

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}
